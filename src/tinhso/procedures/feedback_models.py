"""Feedback (phản ánh, kiến nghị) on dossiers: the record Decision 766 items 5.1-5.3 count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Complaint(models.Model):
    """Feedback (phản ánh, kiến nghị) about a dossier: its category (Decision 766 item 5.1), the
    unit that handles it, its due time in working days (``feedback.FEEDBACK_WORKING_DAYS``), the
    answer, and the submitter's satisfaction with the handling (items 5.2, 5.3)."""

    class Category(models.TextChoices):
        PROCEDURE = "procedure", _("About regulations or the procedure")
        CONDUCT = "conduct", _("About an officer's conduct")

    dossier = models.ForeignKey("procedures.Dossier", on_delete=models.CASCADE,
                                related_name="complaints")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices,
                                default=Category.PROCEDURE)
    text = models.TextField(_("complaint"))
    at = models.DateTimeField(_("time"))
    handling_unit = models.ForeignKey("units.Unit", verbose_name=_("handling unit"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    satisfied = models.BooleanField(_("satisfied with the handling"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["handling_unit", "at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.at}"
