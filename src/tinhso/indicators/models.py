"""Indicators, their values, targets and collection rounds (DHIS2's model).

A value is (indicator, unit, period) with its source and a status: draft -> submitted ->
approved, or returned with a reason. Formula indicators are never entered: they are computed
from other indicators' aggregated values (``indicators.formula``). Targets are per indicator,
unit and year, with a baseline; a target may be a rank.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import parse_period
from tinhso.units.models import Level


class Measure(models.TextChoices):
    PERCENT = "percent", _("Percent")
    COUNT = "count", _("Count")
    MONEY = "money", _("Money (VND)")
    SCORE = "score", _("Score")
    RANK = "rank", _("Rank")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class PeriodType(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


class Aggregation(models.TextChoices):
    """How values of the units below add up to a unit's value."""

    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    WEIGHTED = "weighted", _("Average weighted by another indicator")
    FORMULA = "formula", _("Formula over aggregated inputs")
    NONE = "none", _("Not aggregated")


class SourceKind(models.TextChoices):
    ENTERED = "entered", _("Entered by units")
    IMPORTED = "imported", _("Imported")
    COMPUTED = "computed", _("Computed from the platform's data")
    PUBLISHED = "published", _("Published by a national body")


class TaskGroup(models.TextChoices):
    """The four groups of tasks of Resolution 16-NQ/TU (and the national programme)."""

    FOUNDATIONS = "foundations", _("Foundations")
    DIGITAL_GOVERNMENT = "digital_government", _("Digital government")
    DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
    DIGITAL_SOCIETY = "digital_society", _("Digital society")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER)
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices,
                                   default=PeriodType.YEAR)
    reporting_levels = models.JSONField(
        _("reporting levels"), default=list, blank=True,
        help_text=_("Unit levels that report it, e.g. [\"department\", \"commune\"]."),
    )
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    weight_indicator = models.ForeignKey(
        "self", verbose_name=_("weighted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("For a weighted average: the indicator giving the weights."),
    )
    formula = models.CharField(
        _("formula"), max_length=500, blank=True,
        help_text=_("Arithmetic over other indicators' codes, e.g. "
                    "online_dossiers / received_dossiers * 100"),
    )
    source_kind = models.CharField(_("source"), max_length=10, choices=SourceKind.choices,
                                   default=SourceKind.ENTERED)
    owner_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("owner unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_indicators",
    )
    task_group = models.CharField(_("task group"), max_length=20, choices=TaskGroup.choices,
                                  blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    is_headline = models.BooleanField(_("headline"), default=False)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    display_order = models.PositiveSmallIntegerField(default=100)
    # Bumped whenever one of the indicator's values changes; the blocks record the version they
    # were built from, so stale blocks are rebuilt before they are read (indicators/blocks.py).
    values_version = models.PositiveBigIntegerField(default=0, editable=False)
    blocks_version = models.BigIntegerField(default=-1, editable=False)

    class Meta:
        ordering = ["display_order", "code"]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.code

    @property
    def is_formula(self) -> bool:
        return bool(self.formula)

    def clean(self) -> None:
        if self.aggregation == Aggregation.WEIGHTED and self.weight_indicator_id is None:
            raise ValidationError({"weight_indicator": _("A weighted average needs the "
                                                         "indicator giving the weights.")})
        if self.aggregation == Aggregation.FORMULA and not self.formula:
            raise ValidationError({"formula": _("Give the formula.")})
        unknown = set(self.reporting_levels or []) - set(Level.values)
        if unknown:
            raise ValidationError({"reporting_levels": _("Unknown levels: %s")
                                   % ", ".join(sorted(unknown))})


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT,
                             related_name="indicator_values")
    period = models.CharField(_("period"), max_length=10,
                              help_text=_("2020, 2020S1, 2020Q3 or 202011"))
    period_start = models.DateField(_("period start"), editable=False, db_index=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    # For a rank: out of how many (41st of 63).
    rank_of = models.PositiveSmallIntegerField(_("out of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ValueStatus.choices,
                              default=ValueStatus.APPROVED, db_index=True)
    source = models.CharField(_("source"), max_length=300)
    comment = models.TextField(_("comment"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # Who sent it for approval (four eyes: neither they nor the author approve it).
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator value")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"],
                                    name="indicator_value_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period} = {self.value}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.period_start = parse_period(self.period).start
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        try:
            parse_period(self.period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.value.indicator.code}/{instance.value.unit.code}/{filename}"


class Evidence(models.Model):
    """A file supporting a value (minh chứng): validated type and size on upload."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    """What a target asks (``indicators.target_kinds`` judges the plan's kinds)."""

    VALUE = "value", _("A value (or a rank) to reach")
    BAND = "rank_band", _("A rank band")
    SCORE = "score", _("A score in points")
    RANK_COUNT = "rank_count", _("A count of main indicators in the top ranks")
    CLIMB = "climb", _("A yearly climb in places")


class Target(models.Model):
    """What an indicator should reach for a unit by a year, from a baseline.

    Besides a value (or a rank), a plan's kinds read against a framework's published results:
    a rank band (``value``-``value_high`` of ``rank_of``, inside the ``top`` group), a score
    (``value`` of ``scale`` points), a count of ranks (``value`` of the ``among`` main
    indicators in the ``top``), a yearly climb (``value``-``value_high`` places a year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=6)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=20, decimal_places=6,
                                         null=True, blank=True)
    # For a rank: the field the target was set in (top 20 of 63 provinces is not top 20 of
    # 34). Two documents may set targets for the same year in different fields.
    rank_of = models.PositiveSmallIntegerField(
        _("out of"), null=True, blank=True,
        help_text=_("For a rank target: how many units were ranked when it was set."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    kind = models.CharField(_("kind"), max_length=12, choices=TargetKind.choices,
                            default=TargetKind.VALUE)
    value_high = models.DecimalField(
        _("up to"), max_digits=20, decimal_places=6, null=True, blank=True,
        help_text=_("A band's last rank (19 of 17-19); a climb's upper figure (2 of 1-2)."))
    scale = models.PositiveIntegerField(
        _("points in all"), null=True, blank=True,
        help_text=_("A score's scale as the plan writes it: 1,000 for 800/1,000."))
    top = models.PositiveSmallIntegerField(
        _("top group"), null=True, blank=True,
        help_text=_("A count's rank threshold (the top 10); a band's group (the top 20)."))
    among = models.PositiveSmallIntegerField(
        _("of main indicators"), null=True, blank=True,
        help_text=_("A count's number of main indicators (4 of 8)."))
    framework = models.CharField(
        _("index"), max_length=60, blank=True,
        help_text=_("The index whose published results judge it, e.g. dti-province-405."))
    quote = models.TextField(_("quotation"), blank=True)

    class Meta:
        ordering = ["indicator", "unit", "year", "rank_of"]
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year", "kind"],
                                    name="target_unique",
                                    condition=models.Q(rank_of__isnull=True)),
            models.UniqueConstraint(fields=["indicator", "unit", "year", "kind", "rank_of"],
                                    name="target_unique_in_field",
                                    condition=models.Q(rank_of__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.year}: {self.value}"


class CollectionRound(models.Model):
    """A request for values: these indicators, from these units, for a period, by a deadline."""

    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=10)
    deadline = models.DateField(_("deadline"))
    indicators = models.ManyToManyField(Indicator, related_name="rounds")
    units = models.ManyToManyField("units.Unit", related_name="collection_rounds")
    owner_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("collection round")

    def __str__(self) -> str:
        return self.title


class ValueBlock(models.Model):
    """A read-optimised projection (DHIS2's analytics tables): one indicator's approved values
    for one period as two binary arrays (unit ids, values). Rebuildable at any time from
    IndicatorValue; never edited by hand."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="blocks")
    period = models.CharField(max_length=10)
    unit_ids = models.BinaryField()
    values = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="value_block_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"
