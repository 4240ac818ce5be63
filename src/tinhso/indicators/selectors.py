"""Reads on indicators: computed values at any unit and period, series, status vs targets.

Every function loads what it needs in a fixed number of queries and computes with
``indicators.compute`` (NumPy), never one query per unit or per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Q, QuerySet, Sum

from tinhso.accounts.permissions import may
from tinhso.core.periods import Period, parse_period
from tinhso.indicators import blocks
from tinhso.indicators.compute import Rows, UnitIndex, build_unit_index, evaluate_catalogue
from tinhso.indicators.formula import check_catalogue, parse
from tinhso.indicators.loading import value_columns
from tinhso.indicators.models import Indicator, IndicatorValue, Measure, Target, TargetKind
from tinhso.indicators.permissions import READ_VALUES, scopes_q
from tinhso.indicators.progress import Progress, assess, assess_rank
from tinhso.units.selectors import all_units, units_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit

COUNTED = blocks.COUNTED


def headline_values(unit: Unit) -> QuerySet[IndicatorValue]:
    """The unit's stored values of headline indicators, in display order then period."""
    return (
        IndicatorValue.objects.filter(unit=unit, indicator__is_headline=True)
        .select_related("indicator")
        .order_by("indicator__display_order", "indicator__code", "period")
    )


def may_read_value(user: Any, value: IndicatorValue) -> bool:
    """Whether ``user`` reads ``value`` (whatever its status, with its comment): where they may
    enter, approve or watch the dashboards of its unit. The value page asks this."""
    return any(may(user, action, value.unit) for action in READ_VALUES)


def visible_values(user: Any) -> QuerySet[IndicatorValue]:
    """The values :func:`may_read_value` lets ``user`` read, with their indicators and units
    (the values API, by session or token)."""
    values = IndicatorValue.objects.select_related("indicator", "unit")
    where = scopes_q(user, READ_VALUES, "unit__path")
    return values if where is None else values.filter(where)


def stored_values(unit: Unit, indicators: Iterable[Indicator], periods: Iterable[str]
                  ) -> dict[tuple[int, str], IndicatorValue]:
    """The stored values of these indicators at a unit for these periods, by (indicator id,
    period): their source and illustrative mark (one query)."""
    return {(v.indicator_id, v.period): v for v in IndicatorValue.objects.filter(
        unit=unit, indicator__in=list(indicators), period__in=set(periods))}


def units_with_values(codes: Iterable[str], period: str) -> set[int]:
    """The ids of the units holding a stored value of any of ``codes`` for ``period``."""
    return set(IndicatorValue.objects.filter(indicator__code__in=list(codes), period=period)
               .values_list("unit_id", flat=True))


def catalogue() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("owner_unit", "weight_indicator")


def all_indicators() -> QuerySet[Indicator]:
    """Every indicator in display order, nothing joined: a queryset to refine, or the choices
    of a form field."""
    return Indicator.objects.order_by("display_order", "code")


def indicator_by_code(code: str) -> Indicator | None:
    """The indicator with this code, or None."""
    return Indicator.objects.filter(code=code).first()


def indicators_matching(*, codes: Iterable[str] = (), ids: Iterable[int] = ()
                        ) -> QuerySet[Indicator]:
    """The indicators with one of these codes or one of these keys (one query)."""
    return Indicator.objects.filter(Q(code__in=set(codes)) | Q(pk__in=set(ids)))


@dataclass(frozen=True)
class Plan:
    """The indicators to compute (inputs first) and their rules."""

    order: list[str]
    rules: dict[str, tuple[str, str | None, str]]
    ids: dict[str, int]


def plan_for(codes: Iterable[str]) -> Plan:
    """The codes and everything they depend on (formula inputs, weights), in order (1 query)."""
    everything = {i.code: i for i in Indicator.objects.select_related("weight_indicator")}
    needed: set[str] = set()
    stack = list(codes)
    while stack:
        code = stack.pop()
        if code in needed or code not in everything:
            continue
        needed.add(code)
        indicator = everything[code]
        if indicator.formula:
            stack.extend(parse(indicator.formula).codes)
        if indicator.weight_indicator:
            stack.append(indicator.weight_indicator.code)
    formulas = {c: everything[c].formula for c in needed if everything[c].formula}
    formula_order = check_catalogue(formulas, set(everything))
    plain = sorted(c for c in needed if not everything[c].formula)
    # Weighted averages after their weights.
    plain.sort(key=lambda c: everything[c].weight_indicator is not None)
    rules: dict[str, tuple[str, str | None, str]] = {}
    for c in needed:
        weight = everything[c].weight_indicator
        rules[c] = (everything[c].aggregation, weight.code if weight else None,
                    everything[c].formula)
    return Plan([*plain, *formula_order], rules, {c: everything[c].pk for c in needed})


@dataclass(frozen=True)
class Computed:
    index: UnitIndex
    units: list[tuple[int, str, str]]
    periods: list[str]
    matrices: dict[str, np.ndarray]

    def value(self, code: str, unit: Unit, period: str) -> float | None:
        if code not in self.matrices or period not in self.periods:
            return None
        position = self.index.position.get(unit.pk)
        if position is None:
            return None
        result = self.matrices[code][self.periods.index(period), position]
        return None if np.isnan(result) else float(result)

    def series(self, code: str, unit: Unit) -> list[tuple[str, float]]:
        position = self.index.position.get(unit.pk)
        if position is None or code not in self.matrices:
            return []
        column = self.matrices[code][:, position]
        return [(p, float(v)) for p, v in zip(self.periods, column, strict=True)
                if not np.isnan(v)]


def compute(*, codes: Iterable[str], periods: Sequence[str] | None = None,
            root: Unit | None = None, statuses: Sequence[str] = COUNTED) -> Computed:
    """Values of ``codes`` at every unit within ``root`` (all units when None) for ``periods``
    (every period with data when None). Four queries at most, whatever the size."""
    plan = plan_for(codes)
    units_qs = all_units() if root is None else units_within(root)
    units = list(units_qs.order_by("path").values_list("id", "code", "path"))
    index = build_unit_index(units)
    # Formula indicators too: a published figure of theirs stands (compute.evaluate_catalogue).
    input_ids = [plan.ids[c] for c in plan.order]
    if tuple(statuses) == COUNTED:
        # Approved values come from the value blocks (indicators/blocks.py).
        periods, indicator_ids, unit_ids, period_idx, values = blocks.read(input_ids, periods)
    else:
        raw = IndicatorValue.objects.filter(indicator_id__in=input_ids, status__in=statuses)
        if root is not None:
            raw = raw.filter(unit__path__startswith=root.path)
        if periods is None:
            found_periods = set(raw.order_by().values_list("period", flat=True).distinct())
            periods = sorted(found_periods, key=lambda p: (parse_period(p).start, p))
        indicator_ids, unit_ids, period_idx, values = value_columns(raw, periods)
    sorted_ids = np.sort(index.ids)
    id_order = np.argsort(index.ids)
    found = np.searchsorted(sorted_ids, unit_ids)
    found = np.minimum(found, max(len(sorted_ids) - 1, 0))
    known = (sorted_ids[found] == unit_ids) if len(sorted_ids) else np.zeros(0, bool)
    unit_pos = id_order[found] if len(sorted_ids) else found
    kept = np.nonzero(known & (period_idx >= 0))[0]
    by_indicator = kept[np.argsort(indicator_ids[kept], kind="stable")]
    sorted_indicators = indicator_ids[by_indicator]
    rows = {}
    for code, pk in plan.ids.items():
        lo, hi = np.searchsorted(sorted_indicators, [pk, pk + 1])
        if hi > lo:
            mine = by_indicator[lo:hi]
            rows[code] = Rows(unit_pos[mine], period_idx[mine], values[mine])
    matrices = evaluate_catalogue(index, len(periods), plan.order, plan.rules, rows)
    return Computed(index, units, list(periods), matrices)


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: float


def indicator_series(indicator: Indicator, unit: Unit) -> list[SeriesPoint]:
    computed = compute(codes=[indicator.code], root=unit)
    return [SeriesPoint(parse_period(p), v) for p, v in computed.series(indicator.code, unit)]


def _preferred(targets: list[Target], field: int | None, rank: float | None) -> Target:
    """Of targets for the same year (a rank set in two fields): the one set in ``field``, else
    the one whose value is ``rank`` (a goal's "top 25"), else the first."""
    return (next((t for t in targets if field is not None and t.rank_of == field), None)
            or next((t for t in targets if rank is not None and float(t.value) == rank), None)
            or targets[0])


def next_target(indicator: Indicator, unit: Unit, after_year: int | None = None,
                field: int | None = None, rank: float | None = None) -> Target | None:
    """The first target not yet past (the last one when all are); of two for the same year,
    the one set in ``field`` or, failing that, of value ``rank`` (see :func:`_preferred`)."""
    targets = list(Target.objects.filter(indicator=indicator, unit=unit, kind=TargetKind.VALUE)
                   .order_by("year", "rank_of"))
    if not targets:
        return None
    upcoming = [t for t in targets if after_year is not None and t.year >= after_year]
    year = upcoming[0].year if upcoming else targets[-1].year
    return _preferred([t for t in targets if t.year == year], field, rank)


def indicator_progress(indicator: Indicator, unit: Unit, series: list[SeriesPoint],
                       today: date | None = None) -> tuple[Target | None, Progress | None]:
    """The indicator's next target and the progress toward it; for a rank, the target set in
    the field of the latest rank when there is one for that year (16/34: the 2025 plan's)."""
    year = (today or date.today()).year
    ranks = rank_history(indicator, unit) if indicator.measure == Measure.RANK else None
    target = next_target(indicator, unit, year, ranks[-1].of if ranks else None)
    if target is None:
        return None, None
    return target, progress_for(indicator, target, series, ranks)


def progress_for(indicator: Indicator, target: Target, series: list[SeriesPoint],
                 ranks: list[RankPoint] | None = None) -> Progress:
    """The target's progress; a rank target against the ranks of its own field (``ranks``:
    the unit's rank history, from :func:`rank_history`)."""
    baseline = float(target.baseline_value) if target.baseline_value is not None else None
    if indicator.measure == Measure.RANK and ranks is not None:
        return assess_rank([(r.period.end, r.value, r.of) for r in ranks
                            if r.period.end.year <= target.year],
                           float(target.value), target.year, target.rank_of, baseline)
    points = [(p.period.end, p.value) for p in series if p.period.end.year <= target.year]
    return assess(points, float(target.value), target.year,
                  higher_is_better=indicator.direction == "higher", baseline=baseline)


@dataclass(frozen=True)
class RankPoint:
    """A published rank with its field: ``value`` of ``of`` (16 of 34) and its source."""

    period: Period
    value: float
    of: int | None
    source: str
    is_illustrative: bool


def rank_histories(indicators: Iterable[Indicator], unit: Unit
                   ) -> dict[int, list[RankPoint]]:
    """indicator id -> the unit's approved ranks of it, oldest first, each with its field size
    (one query). A rank is stored, never computed: no aggregation mixes fields."""
    out: dict[int, list[RankPoint]] = {i.pk: [] for i in indicators}
    rows = (IndicatorValue.objects.filter(indicator_id__in=list(out), unit=unit,
                                          status__in=COUNTED)
            .order_by("period_start", "period")
            .values_list("indicator_id", "period", "value", "rank_of", "source",
                         "is_illustrative"))
    for indicator_id, period, value, of, source, illustrative in rows:
        out[indicator_id].append(RankPoint(parse_period(period), float(value), of, source,
                                           illustrative))
    return out


def rank_history(indicator: Indicator, unit: Unit) -> list[RankPoint]:
    """The unit's approved ranks of ``indicator``, oldest first, with their fields (1 query)."""
    return rank_histories([indicator], unit)[indicator.pk]


def rank_targets(indicator: Indicator, unit: Unit) -> list[Target]:
    """Every target of a rank indicator for the unit, by field then year (one query)."""
    return list(Target.objects.filter(indicator=indicator, unit=unit, kind=TargetKind.VALUE)
                .order_by("rank_of", "year"))


def rank_target_fields(unit: Unit) -> dict[tuple[int, int, int], int | None]:
    """(indicator id, year, rank) -> the field the unit's rank target was set in, for saying
    which field a goal's "top 20" means (one query). A rank set in two fields for the same year
    maps to None: the goal alone does not say which."""
    fields: dict[tuple[int, int, int], int | None] = {}
    rows = Target.objects.filter(unit=unit, indicator__measure=Measure.RANK,
                                 kind=TargetKind.VALUE).values_list(
        "indicator_id", "year", "value", "rank_of")
    for indicator_id, year, value, of in rows:
        key = (indicator_id, year, int(value))
        fields[key] = of if fields.get(key, of) == of else None
    return fields


@dataclass(frozen=True)
class RankEra:
    """Consecutive ranks taken in one field (63 provinces until 2024, 34 after the merger)."""

    of: int | None
    points: list[RankPoint]


def rank_eras(history: list[RankPoint]) -> list[RankEra]:
    """Split a rank history where its field changes: a chart draws each era as its own line."""
    eras: list[RankEra] = []
    for point in history:
        if eras and eras[-1].of == point.of:
            eras[-1].points.append(point)
        else:
            eras.append(RankEra(point.of, [point]))
    return eras


@dataclass(frozen=True)
class TargetStatus:
    indicator: Indicator
    target: Target
    progress: Progress
    series: list[SeriesPoint]
    ranks: list[RankPoint] | None = None


def _chosen_targets(unit: Unit, year: int) -> list[Target]:
    """Each indicator's (and, for a rank, each field's) first target not yet past, else its
    last one (one query)."""
    targets = list(Target.objects.filter(unit=unit, kind=TargetKind.VALUE)
                   .select_related("indicator")
                   .order_by("indicator__display_order", "indicator__code", "rank_of", "year"))
    chosen: dict[tuple[int, int | None], Target] = {}
    for target in targets:
        key = (target.indicator_id, target.rank_of)
        current = chosen.get(key)
        if current is None or (current.year < year and target.year >= current.year):
            chosen[key] = target
    return list(chosen.values())


def targets_with_progress(unit: Unit, today: date | None = None) -> list[TargetStatus]:
    """Each indicator's next target for the unit, with its status (a fixed number of queries).
    A rank indicator has one per field its targets were set in (top 20 of 63 from the 2021
    resolution, top 10 of 34 from the 2025 plan), each judged against ranks of its field."""
    return progress_of_targets(_chosen_targets(unit, (today or date.today()).year), unit)


def progress_of_targets(targets: Iterable[Target], unit: Unit) -> list[TargetStatus]:
    """The status of each of ``targets`` (of ``unit``, with their indicators loaded): a rank
    against the ranks of the target's own field, any other value against its computed series.
    One read of the rank histories and one computation for all of them."""
    targets = list(targets)
    if not targets:
        return []
    ranked = {t.indicator_id: t.indicator for t in targets
              if t.indicator.measure == Measure.RANK}
    histories = rank_histories(ranked.values(), unit) if ranked else {}
    others = {t.indicator.code for t in targets if t.indicator_id not in ranked}
    computed = compute(codes=sorted(others), root=unit) if others else None
    result = []
    for target in targets:
        indicator = target.indicator
        ranks = histories.get(indicator.pk)
        if ranks is not None:
            series = [SeriesPoint(r.period, r.value) for r in ranks]
        else:
            assert computed is not None
            series = [SeriesPoint(parse_period(p), v)
                      for p, v in computed.series(indicator.code, unit)]
        result.append(TargetStatus(indicator, target,
                                   progress_for(indicator, target, series, ranks), series,
                                   ranks))
    return result


def indicator_targets(indicator: Indicator) -> QuerySet[Target]:
    """An indicator's targets by unit (name) and year, with their units; one query."""
    return (Target.objects.filter(indicator=indicator).select_related("unit")
            .order_by("unit__name", "year", "rank_of"))


def values_version() -> int:
    """The sum of every indicator's ``values_version``: it grows whenever any stored value is
    written (``blocks``), so a figure read earlier can be told stale."""
    return int(Indicator.objects.aggregate(v=Sum("values_version"))["v"] or 0)
