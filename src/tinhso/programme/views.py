"""The programme's main pages: the documents and the tree (``/programme/``), a document, a task,
and the files behind them. Staff who may read the programme only; what a user sees of the
tasks is ``selectors.visible_tasks``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, may_somewhere
from tinhso.core.http import file_attachment
from tinhso.programme import page_selectors as pages
from tinhso.programme import schedule, work_views
from tinhso.programme.models import Area, Document, TaskGroup, TaskStatus
from tinhso.programme.selectors import (
    Clock,
    clock,
    may_read_programme,
    task_status,
    visible_tasks,
)

DTI_YEAR = 2022  # the last DTI 922 year with published results (the gap page's year)
STATUS_ORDER = [schedule.OVERDUE, schedule.DUE_SOON, schedule.IN_PROGRESS, schedule.NOT_STARTED,
                schedule.DONE_LATE, schedule.DONE_ON_TIME, schedule.CANCELLED]

ROWS_SHOWN = 100
OPEN_ALL = 150
View = Callable[..., HttpResponseBase]


def programme_reader(view: View) -> View:
    """Login required, then the ``programme.view`` role somewhere (else 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_read_programme(request.user):
            raise PermissionDenied(_("Only the programme's staff read its tasks."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _tree_context(request: HttpRequest, document: Document, clk: Clock,
                  query: dict[str, str]) -> dict[str, Any]:
    """The tree with the filters of the query string (area, status, lead unit code, group)."""
    area = request.GET.get("area", "")
    area = area if area in Area.values else ""
    status = request.GET.get("status", "")
    status = status if status in schedule.STATUSES else ""
    units = list(pages.lead_units(document, request.user))
    lead = next((u for u in units if u.code == request.GET.get("unit", "")), None)
    raw_group = request.GET.get("group", "")
    group = TaskGroup.objects.filter(document=document, pk=raw_group).first() \
        if raw_group.isdigit() else None
    tree = pages.programme_page_tree(document, request.user, clk, area=area, status=status,
                                     lead_unit=lead, group=group)
    chosen = {"area": area, "status": status, "unit": lead.code if lead else ""}
    return {
        "tree": tree, "document": document, "areas": Area.choices,
        "statuses": [(s, TaskStatus(s).label) for s in STATUS_ORDER], "lead_units": units,
        "chosen": chosen, "focus": group, "today": clk.today,
        "can_manage": may(request.user, "programme.manage", document.unit),
        "open_all": tree.figures.tasks <= OPEN_ALL,  # a small programme shows every task
        # At most ROWS_SHOWN tasks a group unless one group is asked for (a phone-sized page).
        "rows_shown": "" if group else f":{ROWS_SHOWN}", "rows_limit": 0 if group else ROWS_SHOWN,
        "filter_query": urlencode({**query, **{k: v for k, v in chosen.items() if v}}),
    }


@programme_reader
def index(request: HttpRequest) -> HttpResponse:
    clk = clock()
    chain = pages.document_chain(request.user, clk)
    by_pk = {entry.document.pk: entry.document for entry in chain}
    chosen = request.GET.get("document", "")
    document = (by_pk.get(int(chosen)) if chosen.isdigit() else None) \
        or pages.main_document(chain)
    context: dict[str, Any] = {
        "chain": chain, "document": document,
        "can_review": may_somewhere(request.user, "programme.review"),
        "can_create": may_somewhere(request.user, "programme.manage")}
    if document is not None:
        context.update(_tree_context(request, document, clk, {"document": str(document.pk)}))
    return render(request, "programme/index.html", context)


@programme_reader
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("unit", "implements", "supersedes"), pk=pk)
    context = _tree_context(request, document, clock(), {})
    context.update({"goals": pages.document_goals(document),
                    **pages.related_documents(document)})
    return render(request, "programme/document.html", context)


@programme_reader
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    task = pages.task_page(pk, request.user)
    if task is None:
        raise Http404(_("There is no such task, or it is not yours to see."))
    clk = clock()
    status = task_status(task, clk)
    context: dict[str, Any] = {
        "task": task, "status": status, "today": clk.today,
        "days_late": schedule.days_late(task.due_on, clk.today, clk.cal)
        if status == schedule.OVERDUE else 0,
        "days_left": schedule.working_days_left(task.due_on, clk.today, clk.cal)
        if status in (schedule.NOT_STARTED, schedule.IN_PROGRESS, schedule.DUE_SOON) else None,
        "group_path": pages.group_path(task), "reports": pages.task_reports(task),
        "events": pages.task_events(task), "linked_values": pages.linked_values(task),
        "dti": pages.dti_indicators(task), "dti_framework": pages.DTI_FRAMEWORK,
        "dti_year": DTI_YEAR, "dti_unit": task.group.document.unit.code,
    }
    context.update(work_views.task_actions_context(request, task))
    return render(request, "programme/task.html", context)


@programme_reader
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = pages.evidence_for(pk, request.user)
    if item is None:
        raise Http404(_("There is no such file, or it is not yours to see."))
    return file_attachment(item.file, item.name, item.content_type)


@programme_reader
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document, pk=pk)
    return file_attachment(document.file, document.file.name.rsplit("/", 1)[-1])


@programme_reader
def task_file(request: HttpRequest, pk: int) -> FileResponse:
    task = get_object_or_404(visible_tasks(request.user), pk=pk)
    return file_attachment(task.result_file, task.result_file.name.rsplit("/", 1)[-1])


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("documents/<int:pk>/", document_page, name="document"),
    path("documents/<int:pk>/file/", document_file, name="document_file"),
    path("tasks/<int:pk>/", task_page, name="task"),
    path("tasks/<int:pk>/result/", task_file, name="task_file"),
    path("evidence/<int:pk>/", evidence, name="evidence"),
]
