from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.core.calendar import work_calendar, working_hours
from tinhso.indicators.selectors import catalogue as indicator_catalogue
from tinhso.procedures.catalogue import (
    procedure_by_code,
    procedure_fields,
    procedure_search,
    receiving_units,
    sample_procedures,
)
from tinhso.procedures.figures import (
    illustrative_dossiers,
    monthly_trend,
    months_chart,
    rate_inputs,
    service_figures,
    trace,
)
from tinhso.procedures.models import OnlineLevel
from tinhso.procedures.publication import ALL_COUNTS, RATE_INDICATORS
from tinhso.procedures.timelimits import due_at
from tinhso.units.selectors import unit_by_code

CATALOGUE_PAGE = 50  # procedures a page of the catalogue shows (Khánh Hòa keeps about 1,900)


def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    field = request.GET.get("field", "")
    level = request.GET.get("online_level", "")
    procedures = procedure_search(q=q, field=field,
                                  online_level=level if level in OnlineLevel.values else "")
    page = Paginator(procedures, CATALOGUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "procedures/catalogue.html", {
        "page": page, "procedures": page.object_list, "q": q, "field": field,
        "online_level": level, "fields": procedure_fields(), "levels": OnlineLevel.choices,
    })


def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_by_code(code)
    if procedure is None:
        raise Http404(_("There is no procedure with code '%(code)s'.") % {"code": code})
    now = timezone.localtime()
    calendar = work_calendar(range(now.year, now.year + 2))
    _hours, confirmed = working_hours()
    return render(request, "procedures/detail.html", {
        "procedure": procedure, "now": now, "hours_confirmed": confirmed,
        "due": due_at(procedure.time_rule, now, calendar) if procedure.time_rule else None,
        "receiving": receiving_units(procedure),
    })


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def statistics_page(request: HttpRequest) -> HttpResponse:
    """Public: the year's service figures of a unit and of each unit below it, with each one's
    Decision 766 score; all computed from the dossiers."""
    code = request.GET.get("unit") or settings.TINHSO_HOME_UNIT
    unit = unit_by_code(code)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": code})
    year = _year(request)
    rows = service_figures(unit, year)
    months = monthly_trend(unit, year)
    return render(request, "procedures/statistics.html", {
        "unit": unit, "year": year, "total": rows[0],
        "rows": [r for r in rows[1:] if r.has_dossiers], "units_below": len(rows) - 1,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "may_trace": may(request.user, "dossiers.view", unit),
        "catalogue_sample": sample_procedures(),
        "illustrative": illustrative_dossiers(year, within=unit),
        "months": months, "months_chart": months_chart(months),
    })


def trace_page(request: HttpRequest) -> HttpResponse:
    """Staff: the dossiers behind a figure (which dossiers made this 56 %)."""
    unit = unit_by_code(request.GET.get("unit", ""))
    code = request.GET.get("indicator", "")
    if unit is None or code not in (*ALL_COUNTS, *RATE_INDICATORS):
        raise Http404(_("Choose a unit and an indicator of the public services."))
    if not may(request.user, "dossiers.view", unit):
        raise PermissionDenied(_("You may not see the dossiers of %(unit)s.")
                               % {"unit": unit.name})
    year = _year(request)
    parts = rate_inputs(code) if code in RATE_INDICATORS else (code,)
    indicators = {i.code: i for i in indicator_catalogue().filter(code__in=[code, *parts])}
    lists = []
    for part in parts:
        paginator = Paginator(trace(part, unit, year), 100)
        page = paginator.get_page(request.GET.get(f"page_{part}"))
        lists.append((indicators.get(part), part, page))
    return render(request, "procedures/trace.html", {
        "unit": unit, "year": year, "indicator": indicators.get(code), "lists": lists,
    })
