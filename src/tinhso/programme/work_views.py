"""The programme's work: units file progress reports on a task, the coordinator accepts or
returns them (on the task page and in the review queue), and defines documents, groups and
tasks. Each view reads the form, calls the service and shows its refusal on the field it names;
plain POST and redirect, so everything works without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may, may_somewhere, scope_paths
from tinhso.core.forms import add_service_errors
from tinhso.core.languages import localized
from tinhso.programme import services
from tinhso.programme.forms import (
    CancelForm,
    DecisionForm,
    DocumentForm,
    GroupForm,
    ReportForm,
    TaskForm,
    task_initial,
)
from tinhso.programme.models import (
    Document,
    ProgressReport,
    ReportStatus,
    Task,
    TaskGroup,
    TaskStatus,
)
from tinhso.programme.selectors import (
    clock,
    reporting_units,
    review_queue,
    task_status,
    visible_tasks,
)
from tinhso.units.models import Level
from tinhso.units.selectors import all_units, unit_by_code, units_matching

if TYPE_CHECKING:
    from tinhso.units.models import Unit

# --- reads ---------------------------------------------------------------------------------


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    """The task, when the user may read it (404 otherwise: its existence is not told)."""
    return get_object_or_404(visible_tasks(request.user).select_related(
        "group__document__unit", "lead_unit"), pk=pk)


def _require_manage(request: HttpRequest, unit: Unit) -> None:
    if not may(request.user, "programme.manage", unit):
        raise PermissionDenied(_("Only the programme's coordinator defines its tasks."))


# --- the task page's actions ---------------------------------------------------------------


def _reporting(request: HttpRequest, task: Task, bound: ReportForm | None) -> list[dict]:
    """A report form per unit the user may report for (with the unit's returned report to
    correct, if its last one was returned, and its reports still waiting)."""
    rows = []
    clk = clock()
    for unit, kind in reporting_units(request.user, task):
        reports = list(task.reports.filter(unit=unit).order_by("-submitted_at", "-id"))
        last = reports[0] if reports else None
        returned = last if last is not None and last.status == ReportStatus.RETURNED else None
        if bound is not None and bound.report_unit.pk == unit.pk:
            form = bound
        elif task.is_closed:
            continue
        else:
            initial: dict[str, Any] = {}
            if returned is not None:
                initial = {name: getattr(returned, name) for name in (
                    "period", "done_text", "obstacles", "proposals", "regression_reason",
                    "completed_on", "result_document")}
                if returned.percent is not None:
                    initial["percent"] = returned.percent
            form = ReportForm(task=task, unit=unit, kind=kind, clk=clk, initial=initial)
        rows.append({"unit": unit, "kind": kind, "form": form, "returned": returned,
                     "waiting": [r for r in reports if r.status == ReportStatus.SUBMITTED]})
    return rows


def _decisions(request: HttpRequest, task: Task,
               bound: tuple[int, str, DecisionForm] | None) -> list[dict]:
    """The task's submitted reports, each with its accept and return forms."""
    rows = []
    waiting = (task.reports.filter(status=ReportStatus.SUBMITTED)
               .select_related("unit", "submitted_by").prefetch_related("evidence"))
    for report in waiting:
        forms = {act: DecisionForm(auto_id=f"id_{act}_{report.pk}_%s")
                 for act in ("accept", "return")}
        if bound is not None and bound[0] == report.pk:
            forms[bound[1]] = bound[2]
        rows.append({"report": report, "own": report.submitted_by_id == request.user.pk,
                     "accept_form": forms["accept"], "return_form": forms["return"]})
    return rows


def _actions(request: HttpRequest, task: Task, *, report_form: ReportForm | None = None,
             decision: tuple[int, str, DecisionForm] | None = None,
             cancel_form: CancelForm | None = None) -> dict[str, Any]:
    unit = task.group.document.unit
    can_review = may(request.user, "programme.review", unit)
    return {"work": {
        "task": task,
        "is_open": not task.is_closed,
        "reporting": _reporting(request, task, report_form),
        "can_review": can_review,
        "decisions": _decisions(request, task, decision) if can_review else [],
        "can_manage": may(request.user, "programme.manage", unit),
        "cancel_form": cancel_form or CancelForm(),
    }}


def task_actions_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    """Context for ``programme/_task_actions.html`` on the task page: the report forms of the
    user's units, the decisions waiting for the coordinator, editing and cancelling."""
    return _actions(request, task)


def _actions_page(request: HttpRequest, task: Task, **bound: Any) -> HttpResponse:
    """The task's summary and its actions, with the errors of the form just sent."""
    status = task_status(task, clock())
    return render(request, "programme/report_form.html", {
        "task": task, "status": status, "status_label": TaskStatus(status).label,
        "support_units": list(task.support_units.all()), **_actions(request, task, **bound)})


# --- reports -------------------------------------------------------------------------------


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    units = reporting_units(request.user, task)
    if not units:
        raise PermissionDenied(_("Your units neither lead nor support this task."))
    if request.method != "POST":
        return _actions_page(request, task)
    code = request.POST.get("unit") or units[0][0].code
    chosen = [(u, k) for u, k in units if u.code == code]
    if not chosen:
        raise PermissionDenied(_("You may not report for this unit."))
    unit, kind = chosen[0]
    form = ReportForm(request.POST, request.FILES, task=task, unit=unit, kind=kind,
                      clk=clock())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_submit(
                actor=request.user, task=task, unit=unit, period=data["period"],
                percent=data.get("percent"), done_text=data["done_text"],
                obstacles=data["obstacles"], proposals=data["proposals"],
                regression_reason=data.get("regression_reason", ""),
                completed_on=data.get("completed_on"),
                result_document=data.get("result_document", ""), evidence=data["evidence"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report of %(unit)s was sent to the coordinator.")
                             % {"unit": localized(unit)})
            return redirect("programme:task", pk=task.pk)
    return _actions_page(request, task, report_form=form)


def _decide(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("unit"), pk=pk)
    task = _task_or_404(request, report.task_id)
    form = DecisionForm(request.POST, auto_id=f"id_{act}_{report.pk}_%s")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if act == "accept":
            services.report_accept(actor=request.user, report=report, comment=comment)
        else:
            services.report_return(actor=request.user, report=report, comment=comment)
    except ValidationError as exc:
        add_service_errors(form, exc)
        if request.POST.get("next") == "review":
            return _review_page(request, (report.pk, act, form))
        return _actions_page(request, task, decision=(report.pk, act, form))
    if act == "accept":
        messages.success(request, _("The report of %(unit)s for %(period)s was accepted.")
                         % {"unit": localized(report.unit), "period": report.period})
    else:
        messages.success(request, _("The report was returned to %(unit)s.")
                         % {"unit": localized(report.unit)})
    if request.POST.get("next") == "review":
        return redirect("programme:review")
    return redirect("programme:task", pk=task.pk)


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "accept")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "return")


def _review_page(request: HttpRequest,
                 bound: tuple[int, str, DecisionForm] | None = None) -> HttpResponse:
    rows = []
    for report in review_queue(request.user):
        forms = {act: DecisionForm(auto_id=f"id_{act}_{report.pk}_%s")
                 for act in ("accept", "return")}
        if bound is not None and bound[0] == report.pk:
            forms[bound[1]] = bound[2]
        rows.append({"report": report, "task": report.task,
                     "own": report.submitted_by_id == request.user.pk,
                     "accept_form": forms["accept"], "return_form": forms["return"]})
    return render(request, "programme/review.html", {"rows": rows})


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "programme.review"):
        raise PermissionDenied(_("Only the programme's coordinator reviews reports."))
    return _review_page(request)


# --- tasks ---------------------------------------------------------------------------------


@login_required
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    _require_manage(request, task.group.document.unit)
    if request.method != "POST":
        return _actions_page(request, task)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.task_cancel(actor=request.user, task=task, reason=reason)
    except ValidationError as exc:
        add_service_errors(form, exc, default="reason")
        return _actions_page(request, task, cancel_form=form)
    messages.success(request, _("The task was cancelled."))
    return redirect("programme:task", pk=task.pk)


TASK_CHANGES = ("title", "lead_unit", "support_units", "start_on", "due_on", "expected_output",
                "assigned_by", "weight", "indicators", "dti_codes")


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    document = task.group.document
    _require_manage(request, document.unit)
    form = TaskForm(request.POST or None, document=document, editing=True,
                    initial=task_initial(task))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in TASK_CHANGES}
        changes["assigned_by"] = changes["assigned_by"] or task.assigned_by or document
        try:
            services.task_update(actor=request.user, task=task, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            return redirect("programme:task", pk=task.pk)
    return render(request, "programme/task_form.html", {
        "form": form, "task": task, "group": task.group, "document": document})


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(TaskGroup.objects.select_related("document__unit"), pk=pk)
    document = group.document
    _require_manage(request, document.unit)
    form = TaskForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(actor=request.user, group=group, code=data["code"],
                                        **{name: data[name] for name in TASK_CHANGES})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Task %(code)s was created.") % {"code": task.code})
            return redirect("programme:task", pk=task.pk)
    return render(request, "programme/task_form.html", {
        "form": form, "task": None, "group": group, "document": document})


# --- documents and groups ------------------------------------------------------------------


def _document_units(request: HttpRequest) -> list[Unit]:
    """The units whose documents the user may define: where their coordinator role sits (the
    home province, then the provinces, for a role over the whole country)."""
    paths = scope_paths(request.user, "programme.manage")
    if paths is None:
        home = unit_by_code(settings.TINHSO_HOME_UNIT)
        others = all_units().filter(level=Level.PROVINCE).exclude(
            code=settings.TINHSO_HOME_UNIT).order_by("name")
        return ([home] if home is not None else []) + list(others)
    return list(units_matching(paths=paths).order_by("depth", "name"))


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "programme.manage"):
        raise PermissionDenied(_("Only the programme's coordinator records its documents."))
    form = DocumentForm(request.POST or None, request.FILES or None,
                        units=_document_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user, number=data["number"], kind=data["kind"],
                title=data["title"], issuer=data["issuer"], issued_on=data["issued_on"],
                unit=data["unit"], implements=data["implements"],
                supersedes=data["supersedes"], supersession=data["supersession"],
                file=data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document %(number)s was recorded: now add its groups.")
                             % {"number": document.number})
            return redirect("programme:group_create", pk=document.pk)
    return render(request, "programme/document_form.html", {
        "form": form, "document": None, "heading": _("New document")})


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("unit"), pk=pk)
    _require_manage(request, document.unit)
    form = GroupForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_save(
                actor=request.user, document=document, code=data["code"],
                title=data["title"], parent=data["parent"], area=data["area"],
                weight=data["weight"],
                position=TaskGroup.objects.filter(document=document).count())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Group %(code)s was saved: now add its tasks.")
                             % {"code": group.code})
            return redirect("programme:task_create", pk=group.pk)
    return render(request, "programme/document_form.html", {
        "form": form, "document": document,
        "groups": TaskGroup.objects.filter(document=document).order_by("position", "id"),
        "heading": _("New group of %(number)s") % {"number": document.number}})


urlpatterns: list[URLPattern] = [
    path("review/", review, name="review"),
    path("tasks/<int:pk>/report/", report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path("tasks/<int:pk>/edit/", task_edit, name="task_edit"),
    path("tasks/<int:pk>/cancel/", task_cancel, name="task_cancel"),
    path("documents/new/", document_create, name="document_create"),
    path("documents/<int:pk>/groups/new/", group_create, name="group_create"),
    path("groups/<int:pk>/tasks/new/", task_create, name="task_create"),
]
