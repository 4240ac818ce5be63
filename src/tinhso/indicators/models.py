"""Indicators and their values (DHIS2's model: indicator x unit x period).

This is the first slice: enough for the published headline figures. The indicators issue adds
formulas, targets, statuses with approval, evidence and collection rounds.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import parse_period


class Measure(models.TextChoices):
    PERCENT = "percent", _("Percent")
    COUNT = "count", _("Count")
    MONEY = "money", _("Money (VND)")
    SCORE = "score", _("Score")
    RANK = "rank", _("Rank")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    is_headline = models.BooleanField(_("headline"), default=False)
    display_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["display_order", "code"]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.code


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT,
                             related_name="indicator_values")
    period = models.CharField(_("period"), max_length=10,
                              help_text=_("2020, 2020S1, 2020Q3 or 202011"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    # For a rank: out of how many (41st of 63).
    rank_of = models.PositiveSmallIntegerField(_("out of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator value")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"],
                                    name="indicator_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period} = {self.value}"

    def clean(self) -> None:
        try:
            parse_period(self.period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc
