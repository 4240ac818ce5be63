from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tinhso.scoring.models import PublishedResult
from tinhso.units.models import Unit


@dataclass(frozen=True)
class RankingRow:
    rank: int
    unit: Unit
    name: str
    total: Decimal | None
    recomputed: Decimal | None
    values: dict[str, str]


def ranking(framework: str, year: int) -> list[RankingRow]:
    """The published ranking of a framework and year, by rank (one query)."""
    results = PublishedResult.objects.filter(framework=framework, year=year).select_related(
        "unit").order_by("rank", "unit__code")
    return [RankingRow(r.rank, r.unit, r.published_name or r.unit.name, r.total, r.recomputed,
                       r.values) for r in results]
