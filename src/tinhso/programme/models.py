"""The programme's documents (resolutions, plans, decisions) and the goals they set.

Later work adds task groups, tasks, progress reports and evidence to these documents.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    PROGRAMME = "programme", _("Programme")


class Document(models.Model):
    """A resolution, plan or decision: 16-NQ/TU, 10633/KH-UBND, 749/QĐ-TTg..."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=400)
    title_en = models.CharField(_("title in English"), max_length=400, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="documents")
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["issued_on"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.number


class Goal(models.Model):
    """A goal a document sets for a unit by a year, e.g. 'top 25 provinces in DX by 2025'."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="goals")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="goals")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("goal"))
    text_en = models.TextField(_("goal in English"), blank=True)
    target_rank = models.PositiveSmallIntegerField(_("target rank"), null=True, blank=True)
    quote = models.TextField(_("quotation"), blank=True)

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("goal")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit", "year"], name="goal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.year}"
