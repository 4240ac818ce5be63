"""The catalogue's history: each change of a procedure is a version, in force from its
effective date, announced by a decision (``ProcedureVersion``); and the imports of the national
procedure database's export run in the background (``CatalogueImport``).

``Procedure`` keeps the current state (the version in force today), so every reader of the
catalogue keeps working; ``procedures.versions`` answers "the procedure as it stood on day D".
Imported by ``procedures.models`` (so Django and the migrations see these models); refers to
``Procedure`` by name, so it imports nothing of it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The fields a version holds: those a decision can change (the rest of ``Procedure`` is the
# platform's own configuration: the form, the receiving department, online payment).
VERSIONED_FIELDS = ("name", "field", "level", "agency", "agency_en", "time_limit",
                    "time_limit_en", "time_rule", "fee", "fee_en", "legal_basis",
                    "legal_basis_en", "online_level", "required_documents", "retired")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class ProcedureVersion(models.Model):
    """One state of a procedure, in force from ``effective_from`` (blank: in force since before
    the platform kept the history, as the shipped sample's first versions) until the next
    version's date."""

    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("procedure"),
                                  on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    decision_number = models.CharField(_("announcing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    legal_effective_date = models.DateField(
        _("legal text effective from"), null=True, blank=True,
        help_text=_("When the legal text behind the change takes effect."))
    published_at = models.DateTimeField(_("published on the platform"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    field = models.CharField(_("field"), max_length=200)
    level = models.CharField(_("level"), max_length=20)
    agency = models.CharField(_("implementing agency"), max_length=200)
    agency_en = models.CharField(max_length=200, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=200)
    time_limit_en = models.CharField(max_length=200, blank=True)
    time_rule = models.JSONField(_("time-limit rule"), default=dict)
    fee = models.CharField(_("fee"), max_length=300, blank=True)
    fee_en = models.CharField(max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    legal_basis_en = models.CharField(max_length=300, blank=True)
    online_level = models.CharField(_("online level"), max_length=10,
                                    choices=OnlineLevel.choices)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    retired = models.BooleanField(_("retired"), default=False)
    changed = models.JSONField(_("fields changed"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["procedure", "number"]
        verbose_name = _("procedure version")
        constraints = [models.UniqueConstraint(fields=["procedure", "number"],
                                               name="procedure_version_unique")]
        indexes = [models.Index(fields=["procedure", "effective_from"]),
                   models.Index(fields=["decision_date"])]

    def __str__(self) -> str:
        return f"{self.procedure_id} v{self.number}"

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in VERSIONED_FIELDS}


class ImportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class CatalogueImport(models.Model):
    """An upload of the national procedure database's export, imported in the background; its
    progress and, at the end, its report of what changed (or the problems that refused it)."""

    name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField()
    effective_from = models.DateField(_("effective from"))
    decision_number = models.CharField(_("announcing decision"), max_length=100)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    legal_effective_date = models.DateField(_("legal text effective from"), null=True,
                                            blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.WAITING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.REJECTED):
            return 100
        return min(100, 100 * self.rows_done // self.rows_total) if self.rows_total else 0

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.WAITING, ImportStatus.RUNNING)
