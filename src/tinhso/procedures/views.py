from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.calendar import work_calendar, working_hours
from tinhso.procedures.models import OnlineLevel, Procedure
from tinhso.procedures.selectors import procedure_search
from tinhso.procedures.timelimits import due_at


def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    field = request.GET.get("field", "")
    level = request.GET.get("online_level", "")
    procedures = procedure_search(q=q, field=field,
                                  online_level=level if level in OnlineLevel.values else "")
    fields = Procedure.objects.order_by("field").values_list("field", flat=True).distinct()
    return render(request, "procedures/catalogue.html", {
        "procedures": procedures, "q": q, "field": field, "online_level": level,
        "fields": list(fields), "levels": OnlineLevel.choices,
    })


def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise Http404(_("There is no procedure with code '%(code)s'.") % {"code": code})
    now = timezone.localtime()
    calendar = work_calendar(range(now.year, now.year + 2))
    _hours, confirmed = working_hours()
    return render(request, "procedures/detail.html", {
        "procedure": procedure, "now": now, "hours_confirmed": confirmed,
        "due": due_at(procedure.time_rule, now, calendar) if procedure.time_rule else None,
    })
