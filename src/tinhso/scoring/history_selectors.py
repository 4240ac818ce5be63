"""Reads: a unit's rank over the years across the DTI's methods and fields (see
``history``), for the rankings pages and the leader's dashboard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Max, Min, QuerySet

from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.scoring.history import Break, Chart, Point, breaks, chart
from tinhso.scoring.models import PublishedResult

if TYPE_CHECKING:
    from tinhso.units.models import Unit

DTI_PREFIX = "dti-province-"


@dataclass(frozen=True)
class RankHistory:
    unit: Unit
    points: list[Point]  # one a year with published results, the unit's or a gap
    breaks: list[Break]
    methods: dict[str, str]  # framework code -> its short name ("DTI (QĐ 922/QĐ-BTTTT)")
    chart: Chart

    @property
    def found(self) -> list[Point]:
        return [p for p in self.points if p.found]


def _short_name(code: str) -> str:
    try:
        return load_framework(code).short_name
    except FrameworkError:
        return code


def rank_history(unit: Unit, prefix: str = DTI_PREFIX) -> RankHistory:
    """The unit's published rank for every year some ranking of a framework whose code starts
    with ``prefix`` was published: in the year's latest map when it was ranked in two (2024:
    among 34), else a gap ("not found", never a zero) with the year's method and field."""
    sets: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for code, year, size in (PublishedResult.objects.filter(framework__startswith=prefix)
                             .values_list("framework", "year", "field_size").distinct()):
        sets[year].add((code, size))
    own: dict[int, PublishedResult] = {}
    for result in PublishedResult.objects.filter(framework__startswith=prefix, unit=unit
                                                 ).order_by("year", "-field_size"):
        own[result.year] = result  # the smallest field last: the latest map wins
    points = []
    for year in sorted(sets):
        r = own.get(year)
        if r is not None:
            points.append(Point(year, r.framework, r.field_size, r.rank, r.rank_to,
                                r.rank_basis, r.rank_note, r.total, r.source))
        else:
            code, size = max(sets[year], key=lambda s: (s[1], s[0]))
            points.append(Point(year, code, size, None))
    methods = {p.method: _short_name(p.method) for p in points}
    return RankHistory(unit, points, breaks(points), methods, chart(points))


def latest_rank(unit: Unit, prefix: str = DTI_PREFIX) -> Point | None:
    """The unit's latest published rank (with its field size, method, index and source), for
    targets measured against it; None when none was found."""
    found = rank_history(unit, prefix).found
    return found[-1] if found else None


def published_results(prefix: str = DTI_PREFIX) -> QuerySet[PublishedResult]:
    """Every published result of the frameworks starting with ``prefix`` (every province),
    by year, field (the larger first) and rank, with their units."""
    return (PublishedResult.objects.filter(framework__startswith=prefix).select_related("unit")
            .order_by("year", "-field_size", "rank", "unit__code"))


def published_span(prefix: str = DTI_PREFIX
                   ) -> tuple[datetime | None, datetime | None, int | None]:
    """When those results were first and last imported, and the latest year held."""
    row = PublishedResult.objects.filter(framework__startswith=prefix).aggregate(
        first=Min("imported_at"), last=Max("imported_at"), year=Max("year"))
    return row["first"], row["last"], row["year"]
