"""Stored results of index frameworks: published rankings (imported) and computed scores."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedResult(models.Model):
    """A unit's result as a national body published it: its rank, and values where given."""

    framework = models.CharField(_("framework"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT,
                             related_name="published_results")
    published_name = models.CharField(_("published name"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"))
    total = models.DecimalField(_("index"), max_digits=10, decimal_places=6, null=True,
                                blank=True)
    values = models.JSONField(_("main indicator values"), default=dict, blank=True)
    recomputed = models.DecimalField(_("recomputed index"), max_digits=10, decimal_places=6,
                                     null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework", "year", "rank", "unit__code"]
        verbose_name = _("published result")
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "unit"],
                                    name="published_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.unit_id}: {self.rank}"


class ScoreInput(models.Model):
    """One input of a framework for a unit and year: a main indicator's value in [0, 1] or a
    component's input, with where it came from."""

    framework = models.CharField(_("framework"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="score_inputs")
    code = models.CharField(_("input"), max_length=60)
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=300)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("score input")
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "unit", "code"],
                                    name="score_input_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.unit_id} {self.code}={self.value}"
