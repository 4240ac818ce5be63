"""The reports' stored data: the Word templates an administrator replaced, and the history
of reports made (who asked for which report: type, period, unit, format, layout; the data
version it was read at, how its making went, and the file it gave)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TemplateLayout(models.TextChoices):
    STATE = "state", _("State body (Decree 30/2020)")
    PARTY = "party", _("Party committee")


class ReportTemplate(models.Model):
    """A Word template an administrator uploaded to replace a layout's default. At most one
    per layout is active; the ones it replaced are kept (inactive) as the history. No active
    row: the layout uses the committed default (``reports/data/templates/``)."""

    layout = models.CharField(_("layout"), max_length=10, choices=TemplateLayout.choices)
    name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["layout", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["layout"], condition=Q(active=True),
                                    name="reports_one_active_template_per_layout"),
        ]

    def __str__(self) -> str:
        return f"{self.layout}: {self.name}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def report_file_path(instance: ReportRun, filename: str) -> str:
    day = timezone.localdate()
    return f"reports/{day:%Y/%m}/{instance.pk or 'new'}-{filename}"


class ReportRun(models.Model):
    """One report asked for and made by the task worker (or the command line)."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by_label = models.CharField(_("asked by"), max_length=150)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    kind = models.CharField(_("report type"), max_length=30)
    period = models.CharField(_("period"), max_length=10)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    fmt = models.CharField(_("format"), max_length=10)
    layout = models.CharField(_("layout"), max_length=10, default="state")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    data_version = models.CharField(_("data version"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to=report_file_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report made")
        verbose_name_plural = _("reports made")

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.fmt} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
