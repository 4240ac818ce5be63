"""What may be public of the public services (the part of ``published`` about dossiers): the
counts of the statistics aggregate and the Decision 766 scores as ``/services/statistics/``
computes them (``procedures.figures``), never a dossier, each count and each rate or score
derived from it passed through the small-count rule (``disclosure``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tinhso.core.languages import localized
from tinhso.indicators.public import approved_span
from tinhso.procedures.figures import (
    UnitFigures,
    illustrative_dossiers,
    monthly_by_unit,
    monthly_trend,
    service_figures,
)
from tinhso.procedures.figures import statistics_years as aggregate_years
from tinhso.procedures.publication import ALL_COUNTS
from tinhso.transparency.disclosure import (
    SUPPRESSED,
    Cell,
    count_cell,
    derived_cell,
    hidden_cells,
    rate_cell,
)
from tinhso.transparency.published import min_count
from tinhso.units.models import Unit


@dataclass(frozen=True)
class ServiceRow:
    """A unit's year: dossiers received, online, resolved, on time (Decision 766's count:
    resolved on time plus open and not late), the two rates and the 766 score."""

    unit: str
    unit_name: str
    level: str
    illustrative: bool
    year: int
    received: Cell
    online: Cell
    resolved: Cell
    on_time: Cell
    online_rate: Cell
    on_time_rate: Cell
    score_766: Cell


COUNTS = ("received", "online", "resolved", "on_time")  # a row's counts, in this order


def _counts(f: UnitFigures) -> list[float | None]:
    c = f.counts
    on_time = f.on_time_counted if f.has_dossiers else None
    return [c.get("dossiers_received"), c.get("dossiers_online"), c.get("dossiers_resolved"),
            on_time]


def _shown(counts: Sequence[float | None], hidden: set[int], m: int) -> list[Cell]:
    """The counts as published: hidden ones (small, or giving a small one away) suppressed."""
    return [SUPPRESSED if i in hidden else count_cell(v, m) for i, v in enumerate(counts)]


def _row(f: UnitFigures, year: int, hidden: set[int]) -> ServiceRow:
    """A unit's published row; a rate or score of a row with a hidden count is hidden too."""
    m = min_count()
    counts = _counts(f)
    received, online, resolved, on_time = _shown(counts, hidden, m)
    base = f.on_time_base if f.has_dossiers else None
    if hidden:
        online_rate = on_time_rate = score = SUPPRESSED
    else:
        online_rate = derived_cell(f.rates.get("online_dossiers_rate"), counts[1], counts[0],
                                   minimum=m)
        on_time_rate = derived_cell(f.rates.get("on_time_rate"), counts[3], base, minimum=m)
        score = derived_cell(f.score_766, counts[0], base, minimum=m)
    return ServiceRow(
        f.unit.code, localized(f.unit, "name"), f.unit.level, f.unit.is_illustrative, year,
        received, online, resolved, on_time, online_rate, on_time_rate, score)


def _hidden_by_row(table: Sequence[Sequence[float | None]], groups: list[list[int]]
                   ) -> list[set[int]]:
    hidden = hidden_cells(table, groups, min_count())
    return [{c for r, c in hidden if r == row} for row in range(len(table))]


def service_rows(root: Unit, year: int) -> list[ServiceRow]:
    """``root`` then each unit below it that had dossiers in ``year`` (the statistics page's
    figures, suppressed where small, and where a unit's small count would be the root's total
    less the others')."""
    on = date(year, 12, 31) if year < timezone.localdate().year else None
    figures = service_figures(root, year, on)
    figures = [figures[0]] + [f for f in figures[1:] if f.has_dossiers]
    table = [_counts(f) for f in figures]
    hidden = _hidden_by_row(table, [list(range(1, len(figures)))])
    return [_row(f, year, h) for f, h in zip(figures, hidden, strict=True)]


@dataclass(frozen=True)
class MonthRow:
    unit: str
    unit_name: str
    month: date
    received: Cell
    online: Cell
    resolved: Cell
    on_time: Cell
    online_rate: Cell
    on_time_rate: Cell


def _month_rows(months: Sequence[tuple[str, str, date, Sequence[float | None]]],
                groups: list[list[int]]) -> list[MonthRow]:
    """The months as published: small counts and those that would give one away suppressed
    (within each of ``groups``), and the rates of a month with a hidden count."""
    m = min_count()
    hidden = _hidden_by_row([counts for *_, counts in months], groups)
    rows = []
    for (unit, name, month, counts), h in zip(months, hidden, strict=True):
        received, online, resolved, on_time = counts
        shown = _shown(counts, h, m)
        rates = ((SUPPRESSED, SUPPRESSED) if h else
                 (rate_cell(online, received, m), rate_cell(on_time, resolved, m)))
        rows.append(MonthRow(unit, name, month, shown[0], shown[1], shown[2], shown[3], *rates))
    return rows


def months(root: Unit, year: int) -> list[MonthRow]:
    """``root``'s months of ``year`` (all the units below it together), suppressed where
    small (the months add up to the year's published total); months without dossiers are
    zeros (one query)."""
    name = localized(root, "name")
    found = [(root.code, name, m.month, [m.received, m.online, m.resolved, m.on_time])
             for m in monthly_trend(root, year)]
    return _month_rows(found, [list(range(len(found)))])


def months_by_unit(root: Unit) -> list[MonthRow]:
    """Each receiving unit below ``root`` and each month it had dossiers in, from the statistics
    aggregate, suppressed where small: a unit's months add up to its year, and a month's units
    to the province's month, both published."""
    found = [(m.unit.code, localized(m.unit, "name"), m.month,
              [m.received, m.online, m.resolved, m.on_time]) for m in monthly_by_unit(root)]
    by_unit: dict[tuple[str, int], list[int]] = {}
    by_month: dict[date, list[int]] = {}
    for i, (unit, _name, month, _counts) in enumerate(found):
        by_unit.setdefault((unit, month.year), []).append(i)
        by_month.setdefault(month, []).append(i)
    return _month_rows(found, [*by_unit.values(), *by_month.values()])


def statistics_years() -> list[int]:
    """The years the aggregate holds dossiers of, latest first."""
    return aggregate_years()


def statistics_updated() -> tuple[datetime | None, datetime | None]:
    """When the platform first and last published its dossier counts (the approved values it
    writes after each change, ``procedures.publication``)."""
    return approved_span(ALL_COUNTS)


def illustrative_count(root: Unit, year: int) -> int:
    """How many of the year's dossiers at ``root`` and below were invented for the demo (a
    count, for the "illustrative" mark)."""
    return illustrative_dossiers(year, within=root)
