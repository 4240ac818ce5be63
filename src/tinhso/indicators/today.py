"""What needs a person today, from the indicators side: open collection rounds with their
completeness (the same counts as ``rounds.completeness``, for many rounds in a fixed number of
queries), values waiting for approval, values returned to their reporters, and the status of
the targets that measure a document's goals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from tinhso.accounts.permissions import may_somewhere, scope_paths
from tinhso.core.db import within_paths
from tinhso.indicators.models import (
    CollectionRound,
    IndicatorValue,
    Target,
    TargetKind,
    ValueStatus,
)
from tinhso.indicators.permissions import written_by
from tinhso.indicators.progress import Progress
from tinhso.indicators.rounds import Completeness, UnitProgress, owed
from tinhso.indicators.selectors import progress_of_targets

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def _in_scope(user: Any, action: str, qs: QuerySet[Any], field: str) -> QuerySet[Any]:
    if not may_somewhere(user, action):
        return qs.none()
    paths = scope_paths(user, action)
    return qs if paths is None else qs.filter(within_paths(field, paths))


def rounds_owned(user: Any) -> list[CollectionRound]:
    """The open rounds a coordinator runs (owned by a unit within their "indicators.define"
    scope), the nearest deadline first, with their indicators and units (three queries)."""
    rounds = (CollectionRound.objects.filter(is_open=True).select_related("owner_unit")
              .prefetch_related("indicators", "units").order_by("deadline", "id"))
    return list(_in_scope(user, "indicators.define", rounds, "owner_unit__path"))


def rounds_to_enter(user: Any) -> list[tuple[CollectionRound, list[Unit]]]:
    """The open rounds with the units of the user's "indicators.enter" scope that report in
    them (``rounds.rounds_to_report``'s rule, with the indicators read too)."""
    if not may_somewhere(user, "indicators.enter"):
        return []
    paths = scope_paths(user, "indicators.enter")
    result = []
    for collection in (CollectionRound.objects.filter(is_open=True)
                       .prefetch_related("indicators", "units").order_by("deadline", "id")):
        units = [u for u in collection.units.all()
                 if paths is None or any(u.path.startswith(p) for p in paths)]
        if units:
            result.append((collection, units))
    return result


def completeness_of(rounds: Iterable[CollectionRound], today: date | None = None
                    ) -> dict[int, Completeness]:
    """``rounds.completeness`` of each round (its indicators and units prefetched), with every
    round's values read in one query."""
    today = today or timezone.localdate()
    rounds = list(rounds)
    if not rounds:
        return {}
    indicator_ids = {i.pk for r in rounds for i in r.indicators.all()}
    unit_ids = {u.pk for r in rounds for u in r.units.all()}
    statuses = Counter(IndicatorValue.objects.filter(
        indicator__in=indicator_ids, unit__in=unit_ids, period__in={r.period for r in rounds},
    ).values_list("period", "indicator_id", "unit_id", "status"))
    result = {}
    for collection in rounds:
        indicators = list(collection.indicators.all())
        mine = {i.pk for i in indicators}
        rows = []
        for unit in sorted(collection.units.all(), key=lambda u: u.path):
            count: Counter[str] = Counter()
            for (period, indicator_id, unit_id, status), n in statuses.items():
                if period == collection.period and unit_id == unit.pk and indicator_id in mine:
                    count[status] += n
            owes = len(owed(indicators, unit))
            submitted, approved = count[ValueStatus.SUBMITTED], count[ValueStatus.APPROVED]
            reported = owes > 0 and submitted + approved >= owes
            rows.append(UnitProgress(
                unit, owes, submitted + approved + count[ValueStatus.RETURNED]
                + count[ValueStatus.DRAFT], submitted, approved, count[ValueStatus.RETURNED],
                late=collection.is_open and today > collection.deadline and not reported))
        result[collection.pk] = Completeness(collection, rows)
    return result


def values_to_approve(user: Any) -> QuerySet[IndicatorValue]:
    """The submitted values within the user's "indicators.approve" scope (the review page's
    list) that they did not enter or submit themselves (four eyes), the oldest first."""
    values = (IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED)
              .exclude(written_by(user))
              .select_related("indicator", "unit").order_by("updated_at", "id"))
    return _in_scope(user, "indicators.approve", values, "unit__path")


def values_returned(user: Any) -> QuerySet[IndicatorValue]:
    """The values returned to the units of the user's "indicators.enter" scope, to correct."""
    values = (IndicatorValue.objects.filter(status=ValueStatus.RETURNED)
              .select_related("indicator", "unit").order_by("updated_at", "id"))
    return _in_scope(user, "indicators.enter", values, "unit__path")


@dataclass(frozen=True)
class GoalTarget:
    target: Target
    progress: Progress


def goal_progress(unit: Unit, wanted: Iterable[tuple[int, int, Decimal | None]]
                  ) -> dict[tuple[int, int], GoalTarget]:
    """The target measuring each goal, (indicator id, year, the goal's value when it names
    one: a rank), with its progress as the indicator's page computes it: a rank against the
    ranks of the target's own field ("not comparable" across the 2025 merger). Where several
    targets share an indicator and year (two fields), the one with the goal's value. A fixed
    number of queries."""
    wanted = list(wanted)
    if not wanted:
        return {}
    targets = list(Target.objects.filter(unit=unit, indicator__in={i for i, _y, _v in wanted},
                                         kind=TargetKind.VALUE)
                   .select_related("indicator").order_by("rank_of", "id"))
    chosen: dict[tuple[int, int], Target] = {}
    for indicator_id, year, value in wanted:
        same = [t for t in targets if (t.indicator_id, t.year) == (indicator_id, year)]
        exact = [t for t in same if value is not None and t.value == value]
        if exact or same:
            chosen[(indicator_id, year)] = (exact or same)[0]
    if not chosen:
        return {}
    statuses = progress_of_targets(chosen.values(), unit)
    return {key: GoalTarget(status.target, status.progress)
            for key, status in zip(chosen, statuses, strict=True)}


def rank_values(code: str, unit: Unit) -> list[IndicatorValue]:
    """The approved values of a rank indicator for ``unit`` (each with its field size in
    ``rank_of`` and its source), oldest first: one query."""
    return list(IndicatorValue.objects.filter(
        indicator__code=code, unit=unit, status=ValueStatus.APPROVED).order_by("period_start"))
