from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.scoring.engine import FrameworkError, available_frameworks, load_framework
from tinhso.scoring.selectors import (
    gap_to_rank,
    ranking,
    robustness_among,
    unit_assessment,
    with_full_values,
    years_with_results,
)
from tinhso.units.selectors import unit_by_code


def _framework(code: str):  # type: ignore[no-untyped-def]
    try:
        return load_framework(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def index(request: HttpRequest) -> HttpResponse:
    frameworks = [(f, years_with_results(f.code)) for f in available_frameworks()]
    return render(request, "scoring/index.html", {"frameworks": frameworks})


def ranking_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    framework = _framework(code)
    rows = ranking(code, year)
    if not rows:
        raise Http404(_("No results for %(code)s in %(year)s.") % {"code": code, "year": year})
    best = max((float(r.total) for r in rows if r.total is not None), default=1.0)
    return render(request, "scoring/ranking.html", {
        "framework": framework, "year": year, "rows": rows, "best": best,
    })


def _float(raw: str | None, field: str) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError as exc:
        raise BadRequest(_("'%(raw)s' is not a number (%(field)s).") % {"raw": raw,
                                                                      "field": field}) from exc


def unit_page(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    """A unit's scores, the gap to a target rank and the cheapest plan; what-if by the form."""
    framework = _framework(code)
    unit = unit_by_code(unit_code)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": unit_code})
    try:
        target_rank = int(request.GET.get("rank", 25))
    except ValueError as exc:
        raise BadRequest(_("The target rank must be a whole number.")) from exc
    overrides, efforts = {}, {}
    for indicator in framework.indicators:
        value = _float(request.GET.get(f"v_{indicator.code}"), indicator.code)
        if value is not None:
            overrides[indicator.code] = min(max(value, 0.0), 1.0)
        effort = _float(request.GET.get(f"e_{indicator.code}"), indicator.code)
        if effort is not None:
            efforts[indicator.code] = max(effort, 0.0)
    assessment = unit_assessment(framework, year, unit, overrides)
    if assessment is None:
        raise Http404(_("%(unit)s has no values for %(code)s in %(year)s.")
                      % {"unit": unit.name, "code": code, "year": year})
    rows = ranking(code, year)
    if not 1 <= target_rank <= max(len(rows), 1):
        raise Http404(_("The target rank must be between 1 and %(n)s.") % {"n": len(rows)})
    gap = gap_to_rank(framework, rows, assessment, target_rank, efforts)
    complete = with_full_values(framework, rows)
    indicators = []
    for j, indicator in enumerate(framework.indicators):
        column = [float(r.values[indicator.code]) for r in complete
                  if indicator.code in r.values]
        indicators.append({
            "indicator": indicator,
            "value": float(assessment.scores.indicators[0][j]),
            "best": max(column) if column else None,
            "average": sum(column) / len(column) if column else None,
            "effort": efforts.get(indicator.code, 1.0),
            "override": indicator.code in overrides,
        })
    radar = {
        "labels": [i["indicator"].name for i in indicators if i["indicator"].weight > 0],
        "unit": [i["value"] for i in indicators if i["indicator"].weight > 0],
        "best": [i["best"] for i in indicators if i["indicator"].weight > 0],
        "average": [i["average"] for i in indicators if i["indicator"].weight > 0],
        "names": [unit.name, _("Best published"), _("Average of published")],
    }
    robust_rows = robustness_among(framework, complete, assessment)
    return render(request, "scoring/unit.html", {
        "robust_rows": robust_rows, "robust_n": len(robust_rows),
        "framework": framework, "year": year, "unit": unit, "assessment": assessment,
        "gap": gap, "indicators": indicators, "radar": radar, "target_rank": target_rank,
        "what_if": bool(overrides or efforts), "total_points": len(rows),
        "steps": [(s, framework.indicator(s.code).name) for s in gap.plan.steps],
    })
