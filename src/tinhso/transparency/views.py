"""The public transparency portal: no login, Vietnamese first, every figure from
``published`` (what may be public), the computed figures kept a few minutes per language."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.transparency import published, published_services
from tinhso.transparency.disclosure import Cell
from tinhso.transparency.opendata import cached
from tinhso.units.models import Level, Unit


def _home() -> Unit:
    unit = published.home_unit()
    if unit is None:
        raise Http404(_("No data has been loaded yet."))
    return unit


def _value(cell: Cell) -> float | None:
    return None if cell.value is None else round(float(cell.value), 2)


def months_chart(rows: list[published_services.MonthRow]) -> dict[str, Any]:
    """The months as the chart script draws them (``web/static/web/charts.js``, "months"): a
    suppressed or unpublished month is a gap in the line, never a 0."""
    return {"labels": [r.month.strftime("%m/%Y") for r in rows],
            "series": [{"label": _("Received"), "values": [_value(r.received) for r in rows]},
                       {"label": _("Submitted online"),
                        "values": [_value(r.online) for r in rows]},
                       {"label": _("Resolved on time"),
                        "values": [_value(r.on_time) for r in rows]}]}


def _figures(unit: Unit, history: Any) -> list[tuple[Any, str]]:
    """The headline figures, a DTI rank or score with the method of its year ("16/34, 2024,
    DTI (QĐ 405)")."""
    methods = {str(p.year): history.methods.get(p.method, p.method) for p in history.found}
    return [(v, methods.get(v.period, "") if v.indicator.code.startswith("dti_") else "")
            for v in published.headline_figures(unit)]


def _overview(unit: Unit, year: int) -> dict[str, Any]:
    goals, superseded = published.goals(unit)
    months = published_services.months(unit, year)
    history = published.dti_history(unit)
    return {
        "goals": goals, "superseded_goals": superseded,
        "figures": _figures(unit, history), "targets": published.targets(unit),
        "areas": published.programme_progress(unit),
        "history": history,
        "services": published_services.service_rows(unit, year)[0],
        "illustrative": published_services.illustrative_count(unit, year),
        "months": months, "months_chart": months_chart(months),
    }


def overview(request: HttpRequest) -> HttpResponse:
    """``/transparency/``: the province's goals, programme, targets, DTI and services."""
    unit = _home()
    year = timezone.localdate().year
    data = cached(f"overview:{unit.code}:{year}", lambda: _overview(unit, year))
    return render(request, "transparency/overview.html", {"unit": unit, "year": year,
                                                          "minimum": published.min_count(),
                                                          **data})


def _year(request: HttpRequest, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    current = timezone.localdate().year
    if not raw:
        return years[0] if years else current
    if not raw.isdigit() or int(raw) not in {*years, current}:
        raise Http404(_("There are no statistics for the year '%(year)s'.") % {"year": raw})
    return int(raw)


def _services(unit: Unit, year: int) -> dict[str, Any]:
    rows = published_services.service_rows(unit, year)
    months = published_services.months(unit, year)
    return {"total": rows[0], "rows": rows[1:], "months": months,
            "months_chart": months_chart(months),
            "illustrative": published_services.illustrative_count(unit, year)}


def services(request: HttpRequest) -> HttpResponse:
    """``/transparency/services/?year=``: dossiers by month and by unit, suppressed where
    small."""
    unit = _home()
    years = cached("statistics-years", published_services.statistics_years)
    year = _year(request, years)
    data = cached(f"services:{unit.code}:{year}", lambda: _services(unit, year))
    return render(request, "transparency/services.html", {
        "unit": unit, "year": year, "years": years, "minimum": published.min_count(), **data})


def _by_score(rows: list[published_services.ServiceRow], level: str
              ) -> list[published_services.ServiceRow]:
    kept = [r for r in rows if r.level == level]
    return sorted(kept, key=lambda r: (r.score_766.value is None, -(r.score_766.value or 0),
                                       r.unit_name))


def _rankings(unit: Unit, year: int) -> dict[str, Any]:
    rows = published_services.service_rows(unit, year)
    return {"history": published.dti_history(unit), "province": rows[0],
            "departments": _by_score(rows[1:], Level.DEPARTMENT),
            "communes": _by_score(rows[1:], Level.COMMUNE)}


def rankings(request: HttpRequest) -> HttpResponse:
    """``/transparency/rankings/``: the DTI rank over the years (broken at the merger and at a
    change of method) and the Decision 766 scores of departments and communes."""
    unit = _home()
    years = cached("statistics-years", published_services.statistics_years)
    year = _year(request, years)
    data = cached(f"rankings:{unit.code}:{year}", lambda: _rankings(unit, year))
    return render(request, "transparency/rankings.html", {
        "unit": unit, "year": year, "years": years, "minimum": published.min_count(), **data})
