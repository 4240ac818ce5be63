"""What may be public: the one place the transparency portal and the open data read from.

Every figure a visitor or a downloaded file sees comes out of this module (and its part for
the public services, ``published_services``), as plain data with only the fields that may be
public:

- indicator values: approved only (``ValueStatus.APPROVED``; drafts, submitted and returned
  values never), without their comment, author or submitter;
- goals and targets: judged from approved values and published results only
  (``indicators.selectors.targets_with_progress``, ``programme.goal_status``);
- the programme: counts and weighted progress of tasks by the four groups of Resolution
  16-NQ/TU, no task, reason or person;
- the DTI: the national results as published (``scoring`` ``PublishedResult``);
- the public services: counts from the statistics aggregate, never a dossier, with the
  small-count rule of ``disclosure`` applied to every count and every rate or score derived
  from it (``published_services``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from tinhso.core.languages import localized
from tinhso.indicators.models import Measure
from tinhso.indicators.public import approved_values
from tinhso.indicators.selectors import TargetStatus, targets_with_progress
from tinhso.programme.board_selectors import unit_figures
from tinhso.programme.goal_status import GoalStatus, goal_statuses
from tinhso.programme.models import Area
from tinhso.programme.selectors import (
    clock,
    task_rows,
    unit_groups,
    unit_tasks,
    unit_tasks_span,
)
from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.scoring.history_selectors import (
    RankHistory,
    published_results,
    published_span,
    rank_history,
)
from tinhso.transparency.disclosure import DEFAULT_MINIMUM, is_small
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.indicators.models import IndicatorValue
    from tinhso.units.models import Unit


def min_count() -> int:
    """The smallest count of people published (``TINHSO_PUBLIC_MIN_COUNT``)."""
    return int(getattr(settings, "TINHSO_PUBLIC_MIN_COUNT", DEFAULT_MINIMUM))


def home_unit() -> Unit | None:
    return unit_by_code(settings.TINHSO_HOME_UNIT)


# --- indicator values ------------------------------------------------------------------------


def _small_count(value: IndicatorValue) -> bool:
    """A count of people below the minimum: never published (see ``disclosure``)."""
    return value.indicator.measure == Measure.COUNT and is_small(float(value.value), min_count())


def headline_figures(unit: Unit) -> list[IndicatorValue]:
    """The unit's approved values of headline indicators (the home page's figures, with the
    drafts, submitted and returned values left out), by display order then period."""
    values = (approved_values().filter(unit=unit, indicator__is_headline=True)
              .order_by("indicator__display_order", "indicator__code", "period"))
    return [v for v in values if not _small_count(v)]


@dataclass(frozen=True)
class PublicValue:
    """One approved value in the indicators' import format (``indicators.file_columns``)."""

    indicator: str
    indicator_name: str
    measure: str
    unit: str
    unit_name: str
    period: str
    value: Decimal
    rank_of: int | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class PublicValues:
    rows: list[PublicValue]
    withheld: int  # counts below the minimum, left out
    first_updated: datetime | None
    last_updated: datetime | None


def _importable(value: IndicatorValue) -> bool:
    """A value the indicators module takes as an entry (``value_checks.value_check``'s rules
    on the indicator and unit): not a formula's, at a level that reports it. The others are
    computed from these (a rate from its counts) or stored as a national body published them
    (shown on the portal)."""
    indicator = value.indicator
    return not indicator.formula and (not indicator.reporting_levels
                                      or value.unit.level in indicator.reporting_levels)


def indicator_values() -> PublicValues:
    """Every approved value of an indicator that units enter, in the import format, without
    the counts of people below the minimum (one query)."""
    rows, withheld, first, latest = [], 0, None, None
    values = approved_values().order_by("indicator__display_order", "indicator__code",
                                        "unit__path", "period_start", "period")
    for v in values:
        if not _importable(v):
            continue
        if _small_count(v):
            withheld += 1
            continue
        latest = max(latest, v.updated_at) if latest else v.updated_at
        first = min(first, v.updated_at) if first else v.updated_at
        rows.append(PublicValue(v.indicator.code, v.indicator.name, v.indicator.measure,
                                v.unit.code, v.unit.name, v.period, v.value.normalize(),
                                v.rank_of, v.source, v.is_illustrative))
    return PublicValues(rows, withheld, first, latest)


# --- goals and targets -----------------------------------------------------------------------


def goals(unit: Unit) -> tuple[list[GoalStatus], list[GoalStatus]]:
    """The goals in force and those superseded, with their status from published results."""
    return goal_statuses(unit)


def targets(unit: Unit) -> list[TargetStatus]:
    """Each indicator's next target and its status, from approved values only."""
    return targets_with_progress(unit)


# --- the programme ---------------------------------------------------------------------------


@dataclass
class AreaProgress:
    """The tasks of one of the four groups (or of all): how many, by status, and the weighted
    progress (``programme.rollup``)."""

    area: str
    label: str
    tasks: int = 0
    done: int = 0
    done_late: int = 0
    overdue: int = 0
    open: int = 0
    progress: float | None = None
    counts: Counter[str] = field(default_factory=Counter)


def _area_of_groups(groups: list[Any]) -> dict[int, str]:
    by_id = {g.id: g for g in groups}

    def area(g: Any) -> str:
        while not g.area and g.parent_id in by_id:
            g = by_id[g.parent_id]  # type: ignore[index]
        return g.area

    return {g.id: area(g) for g in groups}


def programme_progress(unit: Unit, today: date | None = None) -> list[AreaProgress]:
    """The unit's programme tasks by the four groups of 16-NQ/TU, then all of them: counts by
    status and the weighted progress; no task named (three queries)."""
    clk = clock(today)
    rows = task_rows(unit_tasks(unit), clk)
    areas = _area_of_groups(unit_groups(unit))
    parts: list[tuple[str, str, list[Any]]] = [
        (code, str(label), [r for r in rows if areas.get(r.task.group_id) == code])
        for code, label in Area.choices]
    parts.append(("", "", rows))
    out = []
    for code, label, area_rows in parts:
        figures = unit_figures(area_rows)
        c = figures.counts
        out.append(AreaProgress(
            code, label, tasks=len(area_rows), done=c["done_on_time"] + c["done_late"],
            done_late=c["done_late"], overdue=c["overdue"],
            open=c["not_started"] + c["in_progress"] + c["due_soon"] + c["overdue"],
            progress=figures.progress, counts=Counter(c)))
    return out


def programme_updated(unit: Unit) -> tuple[datetime | None, datetime | None]:
    """When the unit's programme tasks were first recorded and last changed."""
    return unit_tasks_span(unit)


# --- the DTI -------------------------------------------------------------------------------


def dti_history(unit: Unit) -> RankHistory:
    """The unit's DTI rank by year, broken where the method or the field changes."""
    return rank_history(unit)


@dataclass(frozen=True)
class PublicRank:
    year: int
    framework: str
    method: str
    field_size: int
    unit: str
    unit_name: str
    published_name: str
    rank: int
    rank_to: int | None
    rank_basis: str
    rank_note: str
    index: Decimal | None
    index_note: str
    source: str


def method_name(code: str) -> str:
    """A framework's short name ("DTI (QĐ 922/QĐ-BTTTT)"), its code when unknown."""
    try:
        return load_framework(code).short_name
    except FrameworkError:
        return code


def dti_ranks() -> list[PublicRank]:
    """Every published DTI result of every province, by year, field and rank (one query)."""
    results = list(published_results())
    methods = {code: method_name(code) for code in {r.framework for r in results}}
    return [PublicRank(r.year, r.framework, methods[r.framework],
                       r.field_size, r.unit.code, localized(r.unit, "name"), r.published_name,
                       r.rank, r.rank_to, r.rank_basis, r.rank_note, r.total, r.total_note,
                       r.source) for r in results]


def dti_updated() -> tuple[datetime | None, datetime | None, int | None]:
    """When the DTI results were first and last imported, and the latest year held."""
    return published_span()


def now() -> datetime:
    return timezone.now()
