"""The programme: documents (resolutions, plans, decisions) and the goals they set; a document's
task groups (any depth) and tasks; progress reports with evidence, reviewed by the coordinator;
the task's history and the reminders sent about it.

A task's status is never stored: it is derived from its dates, progress and closing
(``programme.schedule.task_status``, and its query form ``programme.selectors.status_q``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.programme import schedule


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    PROGRAMME = "programme", _("Programme")
    REPORT = "report", _("Report")


class Supersession(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPLACES = "replaces", _("replaces")


def document_file_path(instance: Document, filename: str) -> str:
    return f"programme/documents/{instance.pk or 'new'}/{filename}"


class Document(models.Model):
    """A resolution, plan or decision: 16-NQ/TU, 10633/KH-UBND, 749/QĐ-TTg...

    ``number`` is the number and symbol as Decree 30/2020 writes it (``programme.notation``)."""

    number = models.CharField(_("number and symbol"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=400)
    title_en = models.CharField(_("title in English"), max_length=400, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="documents")
    source = models.CharField(_("source"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True)
    implements = models.ForeignKey(
        "self", verbose_name=_("implements"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="implemented_by")
    supersedes = models.ForeignKey(
        "self", verbose_name=_("amends or replaces"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="superseded_by")
    supersession = models.CharField(_("how"), max_length=10, choices=Supersession.choices,
                                    blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.number


class Goal(models.Model):
    """A goal a document sets for a unit by a year, e.g. 'top 25 provinces in DX by 2025'.

    ``indicator`` names the indicator whose target (same unit and year) measures the goal."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="goals")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="goals")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("goal"))
    text_en = models.TextField(_("goal in English"), blank=True)
    target_rank = models.PositiveSmallIntegerField(_("target rank"), null=True, blank=True)
    quote = models.TextField(_("quotation"), blank=True)
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("measured by"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="goals")
    # The target measuring it when the indicator has several for the year (a band, a score).
    target = models.ForeignKey("indicators.Target", verbose_name=_("target"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="goals")
    # A later document's goal that replaces this one (Plan 4636 for 16-NQ/TU's DTI ranks):
    # kept as history, shown as superseded.
    superseded_by = models.ForeignKey("self", verbose_name=_("superseded by"), null=True,
                                      blank=True, on_delete=models.SET_NULL,
                                      related_name="supersedes")

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("goal")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit", "year"], name="goal_unique",
                                    condition=models.Q(target__isnull=True)),
            models.UniqueConstraint(fields=["document", "unit", "year", "target"],
                                    name="goal_unique_per_target",
                                    condition=models.Q(target__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.year}"


class Area(models.TextChoices):
    """The four groups of tasks and solutions of Resolution 16-NQ/TU."""

    FOUNDATIONS = "foundations", _("Foundations")
    DIGITAL_GOVERNMENT = "digital_government", _("Digital government")
    DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
    DIGITAL_SOCIETY = "digital_society", _("Digital society")


class TaskGroup(models.Model):
    """A group of tasks and solutions of a document, or an item inside a group (any depth)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="groups")
    parent = models.ForeignKey("self", verbose_name=_("within"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=400)
    title_en = models.CharField(_("title in English"), max_length=400, blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    position = models.PositiveIntegerField(default=0)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["document", "position", "id"]
        verbose_name = _("task group")
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="task_group_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class TaskStatus(models.TextChoices):
    """Derived, never typed (``schedule.task_status``)."""

    NOT_STARTED = schedule.NOT_STARTED, _("Not started")
    IN_PROGRESS = schedule.IN_PROGRESS, _("In progress, on time")
    DUE_SOON = schedule.DUE_SOON, _("Due soon")
    OVERDUE = schedule.OVERDUE, _("Overdue")
    DONE_ON_TIME = schedule.DONE_ON_TIME, _("Done on time")
    DONE_LATE = schedule.DONE_LATE, _("Done late")
    CANCELLED = schedule.CANCELLED, _("Cancelled")


def task_file_path(instance: Task, filename: str) -> str:
    return f"programme/tasks/{instance.pk}/{filename}"


class Task(models.Model):
    """A task (nhiệm vụ) of a group: who leads it, who supports, by when, producing what."""

    group = models.ForeignKey(TaskGroup, verbose_name=_("group"), on_delete=models.CASCADE,
                              related_name="tasks")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("task"), max_length=500)
    title_en = models.CharField(_("task in English"), max_length=500, blank=True)
    lead_unit = models.ForeignKey("units.Unit", verbose_name=_("lead unit"),
                                  on_delete=models.PROTECT, related_name="led_tasks")
    support_units = models.ManyToManyField("units.Unit", verbose_name=_("supporting units"),
                                           blank=True, related_name="supported_tasks")
    start_on = models.DateField(_("start"))
    due_on = models.DateField(pgettext_lazy("task", "due date"))
    expected_output = models.CharField(_("expected output"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(Document, verbose_name=_("assigned by"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="assigned_tasks")
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    indicators = models.ManyToManyField("indicators.Indicator", verbose_name=_("indicators"),
                                        blank=True, related_name="programme_tasks")
    dti_codes = models.JSONField(_("DTI main indicators"), default=list, blank=True,
                                 help_text=_("Codes of the DTI framework's main indicators "
                                             "the task serves, e.g. chinh_quyen_so."))
    # The accepted progress, in percent (the last accepted report of the lead unit).
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Set when the task is closed, by the calendar rule schedule.finished_late (never typed).
    finished_late = models.BooleanField(default=False, editable=False)
    result_document = models.CharField(_("result document"), max_length=60, blank=True)
    result_file = models.FileField(_("result file"), upload_to=task_file_path, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    position = models.PositiveIntegerField(default=0)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "position", "id"]
        verbose_name = _("task")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="task_code_unique"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("start_on")),
                                   name="task_due_after_start"),
        ]
        indexes = [models.Index(fields=["due_on"], name="task_due_on")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.done_on is not None or self.cancelled_on is not None


class ReportingSchedule(models.Model):
    """How often the lead units report progress (one row per installation; the default when
    there is none: calendar quarters, due five working days after the quarter closes)."""

    period_type = models.CharField(_("period"), max_length=10,
                                   choices=[("month", _("Month")), ("quarter", _("Quarter")),
                                            ("half_year", _("Half-year")), ("year", _("Year"))],
                                   default="quarter")
    close_day = models.PositiveSmallIntegerField(
        _("closing day"), default=0, validators=[MaxValueValidator(28)],
        help_text=_("0: the period closes at the end of its last month (calendar periods); "
                    "1-28: on that day of its last month (Decree 09/2019: the 14th)."))
    due_working_days = models.PositiveSmallIntegerField(
        _("report due after (working days)"), default=5)
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("'due soon' within (working days)"), default=10)

    class Meta:
        verbose_name = _("reporting schedule")

    def __str__(self) -> str:
        return f"{self.period_type} +{self.due_working_days}"

    def rule(self) -> schedule.ReportingRule:
        return schedule.ReportingRule(self.period_type, self.close_day, self.due_working_days)


class ReportKind(models.TextChoices):
    LEAD = "lead", _("Lead unit's report")
    SUPPORT = "support", _("Supporting unit's part")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReport(models.Model):
    """What a unit did on a task in a reporting period. A returned report stays as it was (with
    the coordinator's comment); the resubmission is a new report that follows it."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="reports")
    period = models.CharField(_("period"), max_length=10)
    unit = models.ForeignKey("units.Unit", verbose_name=_("reporting unit"),
                             on_delete=models.PROTECT, related_name="programme_reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices,
                            default=ReportKind.LEAD)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    done_text = models.TextField(_("what was done"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    regression_reason = models.TextField(_("why progress went back"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result_document = models.CharField(_("result document"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.SUBMITTED)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="resubmission")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("coordinator's comment"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("progress report")
        constraints = [
            # one report waiting for the coordinator per task, period and unit
            models.UniqueConstraint(fields=["task", "period", "unit"],
                                    condition=models.Q(status="submitted"),
                                    name="progress_report_pending_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.period} {self.unit_id}"


def report_file_path(instance: ReportEvidence, filename: str) -> str:
    return f"programme/reports/{instance.report.task_id}/{instance.report_id}/{filename}"


class ReportEvidence(models.Model):
    """A file supporting a progress report (minh chứng); validated type and size on upload."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE,
                               related_name="evidence")
    file = models.FileField(upload_to=report_file_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")

    def __str__(self) -> str:
        return self.name


class TaskEventKind(models.TextChoices):
    CREATED = "created", _("Task created")
    UPDATED = "updated", _("Task changed")
    REPORTED = "reported", _("Progress reported")
    SUPPORT_REPORTED = "support", _("Supporting unit reported")
    ACCEPTED = "accepted", _("Report accepted")
    RETURNED = "returned", _("Report returned")
    CLOSED = "closed", _("Task done")
    CANCELLED = "cancelled", _("Task cancelled")
    OVERDUE = "overdue", _("Turned overdue")
    REMINDED = "reminded", _("Reminder sent")


class TaskEvent(models.Model):
    """The task's history as its page shows it (the audit log keeps the same facts)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=TaskEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="events")
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", _("Turned overdue")
    DUE_SOON = "due_soon", _("Due soon")
    REPORT_MISSING = "report", _("Report not sent")


class TaskReminder(models.Model):
    """That a reminder was made: once per task, kind and key (the due date, or the reporting
    period), never twice, whatever restarts in between (a unique constraint)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    key = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "key"], name="task_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.key}"
