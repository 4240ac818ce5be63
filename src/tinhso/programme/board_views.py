"""The programme's boards: my unit's tasks, the timeline, overdue and at-risk tasks, charts, and
the partial that lists the tasks serving DTI main indicators (for the rankings' gap page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from tinhso.core.languages import localized
from tinhso.programme import board_selectors as boards
from tinhso.programme import schedule
from tinhso.programme.models import Area, Document, TaskStatus
from tinhso.programme.selectors import clock, may_read_programme
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def _may_read(request: HttpRequest) -> None:
    if not may_read_programme(request.user):
        raise PermissionDenied(_("Only the staff of the programme's units read its tasks."))


def _document(raw: str | None) -> Document | None:
    if not raw:
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise BadRequest(_("The document must be given by its number in the list.")) from exc
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise Http404(_("There is no such document."))
    return document


def _unit(raw: str | None) -> Unit | None:
    if not raw:
        return None
    unit = unit_by_code(raw)
    if unit is None:
        raise Http404(_("There is no unit with code '%(code)s'.") % {"code": raw})
    return unit


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    board = boards.mine_board(request.user, clock())
    return render(request, "programme/mine.html", {"board": board, "DONE": boards.DONE})


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    document = _document(request.GET.get("document"))
    area = request.GET.get("area", "")
    if area and area not in Area.values:
        raise BadRequest(_("There is no area '%(area)s'.") % {"area": area})
    unit = _unit(request.GET.get("unit"))
    clk = clock()
    board = boards.timeline(request.user, clk, document=document, area=area, unit=unit)
    return render(request, "programme/timeline.html", {
        "board": board, "statuses": schedule.STATUSES, "today": clk.today,
        "documents": Document.objects.all(),
        "areas": Area.choices, "document": document, "area": area, "unit": unit})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    clk = clock()
    return render(request, "programme/overdue.html", {
        "board": boards.overdue_board(request.user, clk),
        "today": clk.today, "behind_points": schedule.AT_RISK_BEHIND})


STATUS_COLOURS = {
    schedule.NOT_STARTED: "#adb5bd", schedule.IN_PROGRESS: "#6ea8fe",
    schedule.DUE_SOON: "#ffc107", schedule.OVERDUE: "#dc3545",
    schedule.DONE_ON_TIME: "#198754", schedule.DONE_LATE: "#fd7e14",
    schedule.CANCELLED: "#6c757d",
}


def _chart_data(data: boards.Charts) -> dict[str, Any]:
    """What ``web/programme.js`` draws: the figures exactly as ``roll_up`` computed them."""
    documents = [{
        "id": f"group-chart-{d.document.pk}",
        "label": _("Progress (%)"),
        "labels": [f"{g.code}. {localized(g, 'title')}" for g, _f in d.groups],
        "progress": [f.progress for _g, f in d.groups],
        "weights": [str(g.weight) for g, _f in d.groups],
        "weight_label": _("weight"),
        "whole": d.whole.progress,
    } for d in data.documents]
    units = {
        "labels": [localized(u.unit) for u in data.units],
        "progress": [u.figures.progress for u in data.units],
        "datasets": [{"key": s, "label": str(TaskStatus(s).label), "colour": STATUS_COLOURS[s],
                      "data": [u.figures.counts[s] for u in data.units]}
                     for s in schedule.STATUSES],
    }
    return {"documents": documents, "units": units}


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    document = _document(request.GET.get("document"))
    data = boards.charts(request.user, clock(), document=document)
    return render(request, "programme/charts.html", {
        "data": data, "chart": _chart_data(data), "statuses": schedule.STATUSES,
        "documents": Document.objects.all(), "document": document})


def _next(request: HttpRequest) -> str:
    """Where to come back after logging in: the page that asked for the partial (htmx says
    which in HX-Current-URL; only its path is kept), else this page."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path.startswith("/"):
        return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path()


def serving(request: HttpRequest) -> HttpResponse:
    """The tasks serving DTI main indicators (``?codes=a,b``): a partial for htmx, a page
    otherwise. Visitors and citizens (the gap page is public) get a note instead; visitors a
    login link with it."""
    try:
        codes = boards.parse_codes(request.GET.get("codes", ""))
    except ValueError as exc:
        raise BadRequest(_("'%(code)s' is not a code of a main indicator (at most %(n)s codes,"
                           " small letters, digits and _).")
                         % {"code": exc.args[0], "n": boards.MAX_CODES}) from exc
    anonymous = not request.user.is_authenticated
    # the gap page is public: who may not read the programme gets a note, not an error
    restricted = anonymous or not may_read_programme(request.user)
    context = {
        "codes": codes, "anonymous": anonymous, "restricted": restricted,
        "next": _next(request),
        "serving": [] if restricted else boards.serving_tasks(request.user, codes, clock()),
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "programme/_serving.html" if partial else "programme/_board_serving_page.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "Cookie"])
    return response


urlpatterns: list[URLPattern] = [
    path("mine/", mine, name="mine"),
    path("timeline/", timeline, name="timeline"),
    path("overdue/", overdue, name="overdue"),
    path("charts/", charts, name="charts"),
    path("serving/", serving, name="serving"),
]
