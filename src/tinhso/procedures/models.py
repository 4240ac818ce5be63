"""The public-service catalogue (thủ tục hành chính)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.procedures import workflow

# the catalogue's history (catalogue_models) and feedback on dossiers (feedback_models), here
# so that Django sees their models
from tinhso.procedures.catalogue_models import (  # noqa: F401
    CatalogueImport,
    OnlineLevel,
    ProcedureVersion,
)
from tinhso.procedures.feedback_models import Complaint  # noqa: F401
from tinhso.procedures.rating_keys import RatingManager, copy_key
from tinhso.procedures.relevance import fold
from tinhso.procedures.texts import Shown, shown


class Procedure(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    national_code = models.CharField(_("national code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    field = models.CharField(_("field"), max_length=200)
    level = models.CharField(_("level"), max_length=20)
    agency = models.CharField(_("implementing agency"), max_length=200)
    agency_en = models.CharField(_("implementing agency (English)"), max_length=200, blank=True)
    online_level = models.CharField(_("online level"), max_length=10,
                                    choices=OnlineLevel.choices)
    time_limit = models.CharField(_("time limit"), max_length=200)
    time_limit_en = models.CharField(_("time limit (English)"), max_length=200, blank=True)
    time_rule = models.JSONField(_("time-limit rule"), default=dict)
    fee = models.CharField(_("fee"), max_length=300, blank=True)
    fee_en = models.CharField(_("fee (English)"), max_length=300, blank=True)
    fee_payable = models.BooleanField(_("fee payable"), default=False)
    receiving_unit_code = models.CharField(
        _("receiving agency (unit code)"), max_length=40, blank=True,
        help_text=_("For a provincial procedure: the department that receives its dossiers."))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    form_schema = models.JSONField(_("form"), default=list, blank=True)
    result_type = models.CharField(_("result"), max_length=20, default="electronic")
    search_text = models.TextField(editable=False, default="")
    source = models.CharField(_("source"), max_length=300, blank=True)
    # false when retired or announced but not yet in force (procedures.versions)
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("administrative procedure")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(" ".join([self.name, self.field, self.agency, self.code,
                                          self.national_code]))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # What a page shows in its language: decided in one place, ``texts.shown``.
    @property
    def agency_text(self) -> Shown:
        return shown(self, "agency")

    @property
    def time_limit_text(self) -> Shown:
        return shown(self, "time_limit")

    @property
    def fee_text(self) -> Shown:
        return shown(self, "fee")

    @property
    def legal_basis_text(self) -> Shown:
        return shown(self, "legal_basis")


# --- Dossiers (hồ sơ một cửa) ---------------------------------------------------------------


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("Postal")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("In processing")
    SUPPLEMENT = "supplement", _("Waiting for supplement")
    APPROVED = "approved", _("Resolved, result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The workflow's groups of statuses, as choices (one statement: ``workflow.OPEN``/``FINISHED``).
OPEN_STATUSES = tuple(DossierStatus(s) for s in workflow.OPEN)
FINISHED_STATUSES = tuple(DossierStatus(s) for s in workflow.FINISHED)


class DossierSequence(models.Model):
    """The last sequence number given for an agency code on a day (codes have no gaps)."""

    agency_code = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"],
                                               name="dossier_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last}"


class Dossier(models.Model):
    # Unique by a constraint of the table (Meta), not unique=True: on PostgreSQL that would add
    # a second index (varchar_pattern_ops, for LIKE) that no query uses.
    code = models.CharField(_("code"), max_length=60)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"),
                                  on_delete=models.PROTECT, related_name="dossiers")
    # No index of its own for unit and assigned_unit: the indexes (unit, status, due_at) and
    # (assigned_unit, status, due_at) below begin with them.
    unit = models.ForeignKey("units.Unit", verbose_name=_("receiving agency"),
                             on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=DossierStatus.choices,
                              default=DossierStatus.RECEIVED)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="dossiers", db_index=False)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"))
    finished_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The clock stops while the applicant supplements: the working time left is kept.
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    remaining_seconds = models.IntegerField(null=True, blank=True, editable=False)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    assigned_unit = models.ForeignKey("units.Unit", verbose_name=_("processing unit"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="assigned_dossiers", db_index=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="assigned_dossiers", db_index=False)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    fee_payable = models.BooleanField(_("fee payable"), default=False)
    paid_online = models.BooleanField(_("paid online"), default=False)
    digitised = models.BooleanField(_("digitised"), default=False)
    # Decision 766 items 4.3 and 4.5b: the officer reused digitised data (documents already held
    # in digital form, not asked again) / used data from the national population database
    reused_data = models.BooleanField(_("reused digitised data"), default=False)
    population_data = models.BooleanField(_("used the national population database"),
                                          default=False)
    electronic_result = models.BooleanField(_("electronic result"), default=False)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    source = models.CharField(_("source"), max_length=100, default="tinhso")
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("dossier")
        constraints = [models.UniqueConstraint(fields=["code"], name="dossier_code_unique")]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"]),
            # The applicant, the processing unit and the officer are often none (an imported
            # dossier, one not yet assigned): their indexes hold only the dossiers that have
            # one (every query asks for a given one), so a dossier without costs them nothing.
            models.Index(fields=["assigned_unit", "status", "due_at"],
                         condition=models.Q(assigned_unit__isnull=False),
                         name="dossier_assigned_unit_queue"),
            models.Index(fields=["applicant"], condition=models.Q(applicant__isnull=False),
                         name="dossier_applicant"),
            models.Index(fields=["assigned_to"], condition=models.Q(assigned_to__isnull=False),
                         name="dossier_assigned_to"),
            models.Index(fields=["received_at"]),
            # the look-up by code, whatever its case (code__iexact: UPPER(code) = UPPER(...))
            models.Index(Upper("code"), name="dossier_code_upper"),
            # the few illustrative dossiers among the real ones, counted to say so on screen
            models.Index(fields=["received_at"], condition=models.Q(is_illustrative=True),
                         name="dossier_illustrative"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return workflow.is_open(self.status)


def dossier_file_path(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.dossier.received_at:%Y/%m}/{instance.dossier.code}/{filename}"


class FileKind(models.TextChoices):
    DOCUMENT = "document", _("Document submitted")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Result")
    APOLOGY = "apology", _("Apology letter")


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=FileKind.choices)
    document = models.CharField(_("document"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=dossier_file_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """The dossier's public history (the audit log keeps the full record)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=DossierStatus.choices)
    actor_repr = models.CharField(_("by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at}"


class Rating(models.Model):
    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        ACCEPTABLE = 3, _("Acceptable")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("satisfaction"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))
    # the dossier's agency, procedure and channel, copied for the statistics (rating_keys)
    dossier_unit_id = models.BigIntegerField(editable=False)
    dossier_procedure_id = models.BigIntegerField(editable=False)
    dossier_channel = models.CharField(max_length=10, choices=Channel.choices, editable=False)

    objects = RatingManager()

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        copy_key(self, self.dossier)
        super().save(*args, **kwargs)

    @property
    def satisfied(self) -> bool:
        return self.level >= Rating.Level.ACCEPTABLE



class ApologyLetter(models.Model):
    """The letter an agency owes when it is late (phiếu xin lỗi và hẹn lại ngày trả kết quả)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField(_("issued"))
    reason = models.TextField(_("reason"))
    new_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=150)

    class Meta:
        ordering = ["issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.issued_at}"


class DossierStat(models.Model):
    """The rebuildable aggregate the dashboards read: counts per agency, procedure, month and
    channel (``procedures.aggregate``). Never edited by hand."""

    # No foreign-key constraints and no indexes of their own: the rows are derived and rebuilt
    # (a deleted agency or procedure loses its rows through on_delete, which Django applies);
    # a rebuild writes tens of thousands of rows at once, whose per-row constraint checks at
    # the commit and entries in two more indexes cost more than the rest of the write; every
    # dossier action writes here too. The unique constraint's index begins with unit_id.
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+",
                             db_constraint=False, db_index=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+",
                                  db_constraint=False, db_index=False)
    month = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    received = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    fee_payable = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    reused_data = models.IntegerField(default=0)
    population_data = models.IntegerField(default=0)
    electronic_result = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "month", "channel"],
                                               name="dossier_stat_unique")]
        indexes = [models.Index(fields=["month", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.procedure_id} {self.month} {self.channel}"


class PendingPublication(models.Model):
    """An agency and year whose statistics wait to be published into indicators: one row
    however many dossiers changed meanwhile, so one background task (``statistics``)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    requested = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="pending_publication_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class Notification(models.Model):
    """A message written in the transaction of the action it tells about: it exists if and only
    if the action committed (an outbox). Either to a dossier's applicant (thông báo; ``dossier``
    set) or to a member of staff about a ``topic`` (e.g. ``programme.overdue:56.STC``, a
    programme reminder; ``dossier`` empty). The task worker delivers the waiting ones in
    batches through the enabled connectors (``procedures.notifications``); a failed delivery is
    tried again, at most ``MAX_ATTEMPTS`` times."""

    MAX_ATTEMPTS = 5

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notifications")
    topic = models.CharField(_("about"), max_length=100, blank=True,
                             help_text=_("What a message to staff is about; empty for a "
                                         "message to a dossier's applicant."))
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    channels = models.CharField(_("sent through"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at", "id"], name="notification_waiting",
                                condition=models.Q(sent_at__isnull=True))]
        constraints = [
            # a message is about a dossier or about a topic, never about nothing
            models.CheckConstraint(condition=models.Q(dossier__isnull=False) | ~models.Q(topic=""),
                                   name="notification_about_something"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id or self.topic} {self.subject}"
