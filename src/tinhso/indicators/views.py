from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.core.languages import localized
from tinhso.core.periods import parse_period
from tinhso.indicators.files import values_csv, values_xlsx
from tinhso.indicators.models import Indicator, IndicatorValue, TaskGroup, ValueStatus
from tinhso.indicators.selectors import (
    catalogue,
    compute,
    indicator_progress,
    indicator_series,
)
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def _unit(code: str | None) -> Unit:
    code = code or settings.TINHSO_HOME_UNIT
    unit = unit_by_code(code)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": code})
    return unit


def _indicator(code: str) -> Indicator:
    indicator = catalogue().filter(code=code).first()
    if indicator is None:
        raise Http404(_("There is no indicator with code '%(code)s'.") % {"code": code})
    return indicator


def catalogue_page(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("group", "")
    search = request.GET.get("q", "").strip()
    indicators = catalogue()
    if group in TaskGroup.values:
        indicators = indicators.filter(task_group=group)
    if search:
        indicators = indicators.filter(Q(code__icontains=search) | Q(name__icontains=search)
                                       | Q(name_en__icontains=search))
    return render(request, "indicators/catalogue.html", {
        "indicators": list(indicators), "groups": TaskGroup.choices, "group": group,
        "q": search,
    })


def detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator(code)
    unit = _unit(request.GET.get("unit"))
    series = indicator_series(indicator, unit)
    target, progress = indicator_progress(indicator, unit, series)
    periods = [p.period.code for p in series]
    period = request.GET.get("period") or (periods[-1] if periods else "")
    comparison: list[dict[str, Any]] = []
    if period:
        try:
            parse_period(period)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        on = parse_period(period).end
        children = list(unit.children.valid_on(on).order_by("level", "name"))
        if children:
            computed = compute(codes=[indicator.code], periods=[period], root=unit)
            for child in children:
                value = computed.value(indicator.code, child, period)
                if value is not None:
                    comparison.append({"unit": child, "value": value})
            comparison.sort(key=lambda row: row["value"],
                            reverse=indicator.direction == "higher")
    chart = {
        "labels": [p.period.code for p in series],
        "values": [p.value for p in series],
        "target": {"year": target.year, "value": float(target.value)} if target else None,
        "projection": progress.projection if progress else None,
        "label": localized(indicator),
        "target_label": _("Target"),
        "projection_label": _("Projection"),
        "reverse": indicator.measure == "rank",
    }
    compare_chart = {"labels": [localized(r["unit"]) for r in comparison],
                     "values": [r["value"] for r in comparison], "label": period}
    return render(request, "indicators/detail.html", {
        "indicator": indicator, "unit": unit, "series": series, "target": target,
        "progress": progress, "chart": chart, "period": period, "periods": periods,
        "comparison": comparison, "compare_chart": compare_chart,
        "stored": IndicatorValue.objects.filter(indicator=indicator, unit=unit)
        .select_related("unit").order_by("-period_start")[:50],
    })


def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The stored values of an indicator (filtered like the page) as CSV or Excel."""
    indicator = _indicator(code)
    values = IndicatorValue.objects.filter(indicator=indicator).select_related(
        "indicator", "unit").order_by("unit__path", "period_start")
    if request.GET.get("unit"):
        values = values.filter(unit__path__startswith=_unit(request.GET["unit"]).path)
    if request.GET.get("period"):
        values = values.filter(period=request.GET["period"])
    if not (request.user.is_authenticated and request.user.kind == "staff"):
        values = values.filter(status=ValueStatus.APPROVED)
    name = f"{indicator.code}"
    if fmt == "xlsx":
        response = HttpResponse(
            values_xlsx(values),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse("\ufeff" + values_csv(values), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
