"""``/api/v1/statistics/``: the public-service figures of a unit and the units below it, for a
year, computed from the dossiers (the same figures as the statistics page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from tinhso.procedures.figures import service_figures
from tinhso.units.selectors import unit_by_code

router = Router(tags=["statistics"])


class UnitStatistics(Schema):
    unit: str
    name: str
    counts: dict[str, float | None]
    rates: dict[str, float | None]
    score_766: float | None


class StatisticsOut(Schema):
    year: int
    unit: UnitStatistics
    below: list[UnitStatistics]


def _row(figures: Any) -> dict[str, Any]:
    return {"unit": figures.unit.code, "name": figures.unit.name, "counts": figures.counts,
            "rates": figures.rates, "score_766": figures.score_766}


@router.get("/services/", response=StatisticsOut, auth=None,
            summary="Public-service statistics of a unit for a year",
            description="Counts (received, online, resolved, on time, paid online, digitised, "
                        "electronic results, ratings), rates and the Decision 766 score of the "
                        "unit and of each unit directly below it that received dossiers. "
                        "Public, like the statistics page.")
def services_statistics(request: HttpRequest, unit: str = "", year: int | None = None
                        ) -> dict[str, Any]:
    code = unit or settings.TINHSO_HOME_UNIT
    found = unit_by_code(code)
    if found is None:
        raise Http404(f"There is no unit with code '{code}'.")
    year = year or timezone.localdate().year
    rows = service_figures(found, year)
    return {"year": year, "unit": _row(rows[0]),
            "below": [_row(r) for r in rows[1:] if r.counts["dossiers_received"]]}
