"""What may be public of the public services (the part of ``published`` about dossiers): the
counts of the statistics aggregate and the Decision 766 scores as ``/services/statistics/``
computes them (``procedures.figures``), never a dossier, each count and each rate or score
derived from it passed through the small-count rule (``disclosure``)."""

from __future__ import annotations

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
from tinhso.transparency.disclosure import Cell, count_cell, derived_cell, rate_cell
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


def _row(f: UnitFigures, year: int) -> ServiceRow:
    m = min_count()
    c = f.counts
    received, online = c.get("dossiers_received"), c.get("dossiers_online")
    resolved = c.get("dossiers_resolved")
    on_time, base = (f.on_time_counted, f.on_time_base) if f.has_dossiers else (None, None)
    return ServiceRow(
        f.unit.code, localized(f.unit, "name"), f.unit.level, f.unit.is_illustrative, year,
        count_cell(received, m), count_cell(online, m), count_cell(resolved, m),
        count_cell(on_time, m),
        derived_cell(f.rates.get("online_dossiers_rate"), online, received, minimum=m),
        derived_cell(f.rates.get("on_time_rate"), on_time, base, minimum=m),
        derived_cell(f.score_766, received, base, minimum=m))


def service_rows(root: Unit, year: int) -> list[ServiceRow]:
    """``root`` then each unit below it that had dossiers in ``year`` (the statistics page's
    figures, suppressed where small)."""
    on = date(year, 12, 31) if year < timezone.localdate().year else None
    figures = service_figures(root, year, on)
    return [_row(figures[0], year)] + [_row(f, year) for f in figures[1:] if f.has_dossiers]


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


def _month_row(unit: str, name: str, month: date, received: int, online: int, resolved: int,
               on_time: int) -> MonthRow:
    m = min_count()
    return MonthRow(unit, name, month, count_cell(received, m), count_cell(online, m),
                    count_cell(resolved, m), count_cell(on_time, m),
                    rate_cell(online, received, m), rate_cell(on_time, resolved, m))


def months(root: Unit, year: int) -> list[MonthRow]:
    """``root``'s months of ``year`` (all the units below it together), suppressed where
    small; months without dossiers are zeros (one query)."""
    name = localized(root, "name")
    return [_month_row(root.code, name, m.month, m.received, m.online, m.resolved, m.on_time)
            for m in monthly_trend(root, year)]


def months_by_unit(root: Unit) -> list[MonthRow]:
    """Each receiving unit below ``root`` and each month it had dossiers in, from the statistics
    aggregate, suppressed where small."""
    return [_month_row(m.unit.code, localized(m.unit, "name"), m.month, m.received, m.online,
                       m.resolved, m.on_time) for m in monthly_by_unit(root)]


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
