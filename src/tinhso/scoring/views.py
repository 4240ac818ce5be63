from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.core.languages import localized
from tinhso.scoring.engine import Framework, FrameworkError
from tinhso.scoring.gap_selectors import Gap, ceilings_for, gap_to_rank, robustness_among
from tinhso.scoring.history_selectors import DTI_PREFIX, RankHistory, rank_history
from tinhso.scoring.points_selectors import framework_in_force, frameworks_in_force
from tinhso.scoring.selectors import (
    RankingRow,
    UnitAssessment,
    ranking,
    result_fields,
    unit_assessment,
    with_full_values,
    years_with_results,
)
from tinhso.units.selectors import unit_by_code


def _framework(code: str) -> Framework:
    try:
        return framework_in_force(code)
    except FrameworkError as exc:
        raise Http404(str(exc)) from exc


def _home_history() -> RankHistory | None:
    """The home province's DTI rank over the years (None when it is not a unit here)."""
    home = unit_by_code(settings.TINHSO_HOME_UNIT)
    history = rank_history(home) if home is not None else None
    return history if history and history.points else None


def index(request: HttpRequest) -> HttpResponse:
    frameworks = [(f, years_with_results(f.code)) for f in frameworks_in_force()]
    return render(request, "scoring/index.html", {"frameworks": frameworks,
                                                  "history": _home_history()})


def _field(raw: str | None, fields: list[int]) -> int:
    """The field asked for (?field=63), else the first one; 404 for a field not ranked."""
    if not raw:
        return fields[0]
    if not raw.isdigit() or int(raw) not in fields:
        raise Http404(_("This ranking has no field of %(n)s.") % {"n": raw})
    return int(raw)


def ranking_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    framework = _framework(code)
    fields = result_fields(code, year)
    if not fields:
        raise Http404(_("No results for %(code)s in %(year)s.") % {"code": code, "year": year})
    field_size = _field(request.GET.get("field"), fields)
    rows = ranking(code, year, field_size)
    best = max((float(r.total) for r in rows if r.total is not None), default=1.0)
    return render(request, "scoring/ranking.html", {
        "framework": framework, "year": year, "rows": rows, "best": best,
        "fields": fields, "field_size": field_size, "partial": len(rows) < field_size,
        "history": _home_history() if code.startswith(DTI_PREFIX) else None,
    })


def _float(raw: str | None, field: str) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError as exc:
        raise BadRequest(_("'%(raw)s' is not a number (%(field)s).") % {"raw": raw,
                                                                      "field": field}) from exc


def _what_if(request: HttpRequest, framework: Framework
             ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """The values (v_<code>), efforts per point (e_<code>) and ceilings (c_<code>) the what-if
    form changed."""
    overrides, efforts, ceilings = {}, {}, {}
    for indicator in framework.indicators:
        value = _float(request.GET.get(f"v_{indicator.code}"), indicator.code)
        if value is not None:
            overrides[indicator.code] = min(max(value, 0.0), 1.0)
        effort = _float(request.GET.get(f"e_{indicator.code}"), indicator.code)
        if effort is not None:
            efforts[indicator.code] = max(effort, 0.0)
        ceiling = _float(request.GET.get(f"c_{indicator.code}"), indicator.code)
        if ceiling is not None:
            ceilings[indicator.code] = min(max(ceiling, 0.0), 1.0)
    return overrides, efforts, ceilings


def _target_rank(raw: str | None, field_size: int) -> tuple[int | None, str]:
    """The target rank asked for (25 by default) or why it cannot be used."""
    try:
        target = int((raw or "25").strip())
    except ValueError:
        return None, _("The target rank must be a whole number, not '%(raw)s'.") % {"raw": raw}
    if not 1 <= target <= field_size:
        return None, _("The target rank must be between 1 and %(n)s (the number of units "
                       "ranked).") % {"n": field_size}
    return target, ""


def _indicator_rows(framework: Framework, assessment: UnitAssessment, rows: list[RankingRow],
                    gap: Gap | None, efforts: dict[str, float], overrides: dict[str, float]
                    ) -> list[dict[str, Any]]:
    complete = with_full_values(framework, rows)
    ceilings = gap.ceilings if gap else ceilings_for(framework, rows)
    indicators = []
    for j, indicator in enumerate(framework.indicators):
        value = float(assessment.scores.indicators[0][j])
        column = [float(r.values[indicator.code]) for r in complete
                  if indicator.code in r.values]
        indicators.append({
            "indicator": indicator,
            "value": None if math.isnan(value) else value,  # not published: no value, not 0
            "best": max(column) if column else None,
            "average": sum(column) / len(column) if column else None,
            "effort": efforts.get(indicator.code, 1.0),
            "ceiling": ceilings[indicator.code],
            "override": indicator.code in overrides,
        })
    return indicators


def _radar(unit_name: str, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    weighted = [i for i in indicators if i["indicator"].weight > 0]
    return {"labels": [localized(i["indicator"]) for i in weighted],
            "unit": [i["value"] for i in weighted], "best": [i["best"] for i in weighted],
            "average": [i["average"] for i in weighted],
            "names": [unit_name, _("Best published"), _("Average of published")]}


def unit_page(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    """A unit's scores, the gap to a target rank and the cheapest plan; what-if by the form
    (an htmx request gets the results part only). A target rank that cannot be used answers
    400 with the page saying why."""
    framework = _framework(code)
    unit = unit_by_code(unit_code)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": unit_code})
    overrides, efforts, ceilings = _what_if(request, framework)
    assessment = unit_assessment(framework, year, unit, overrides)
    if assessment is None:
        raise Http404(_("%(unit)s has no values for %(code)s in %(year)s.")
                      % {"unit": localized(unit), "code": code, "year": year})
    rows = ranking(code, year)
    field_size = rows[0].field_size if rows else 0
    target_rank, rank_error = _target_rank(request.GET.get("rank"), field_size)
    gap = None if target_rank is None else gap_to_rank(framework, rows, assessment,
                                                       target_rank, efforts, ceilings)
    indicators = _indicator_rows(framework, assessment, rows, gap, efforts, overrides)
    context = {
        "framework": framework, "year": year, "unit": unit, "assessment": assessment,
        "gap": gap, "rank_error": rank_error, "indicators": indicators,
        "target_rank": target_rank if target_rank is not None else request.GET.get("rank"),
        "what_if": bool(overrides or efforts or ceilings), "field_size": field_size,
        "current": float(assessment.scores.total[0]),
        "published_rank": next((r.rank for r in rows if r.unit.pk == unit.pk), None),
        "steps": ([(s, localized(framework.indicator(s.code))) for s in gap.plan.steps]
                  if gap else []),
    }
    status = 400 if rank_error else 200
    if request.headers.get("HX-Request"):
        return render(request, "scoring/_gap.html", context, status=status)
    robust_rows = robustness_among(framework, with_full_values(framework, rows), assessment)
    context.update({"robust_rows": robust_rows, "robust_n": len(robust_rows),
                    "radar": _radar(localized(unit), indicators)})
    return render(request, "scoring/unit.html", context, status=status)
