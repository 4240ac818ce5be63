"""The reports' pages: the form that asks for a report with the history below it, a run's
page with its progress (an htmx partial polled while the worker makes it), and the download.
Thin: the checks are ``validation``'s, the writes ``services``', the reads ``selectors``'."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may_somewhere
from tinhso.reports.forms import ReportForm
from tinhso.reports.kinds import KINDS
from tinhso.reports.models import ReportRun, RunStatus
from tinhso.reports.permissions import MAKE_REPORTS
from tinhso.reports.selectors import may_see_run, visible_runs
from tinhso.reports.services import report_request
from tinhso.reports.validation import ReportInvalid

HISTORY = 50


def _require(request: HttpRequest) -> None:
    if not may_somewhere(request.user, MAKE_REPORTS):
        raise PermissionDenied(_("Only staff who may make reports may open this page."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The form (POST: queue the report and go to its page) and the history."""
    _require(request)
    form = ReportForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = report_request(actor=request.user, kind=data["kind"], period=data["period"],
                                 unit=data["unit"], fmt=data["fmt"], layout=data["layout"],
                                 number=data["number"])
        except ReportInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 400
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
            status = 403
        else:
            return redirect("reports:run", run.pk)
    elif request.method == "POST":
        status = 400
    runs = list(visible_runs(request.user)[:HISTORY])
    for run in runs:
        kind = KINDS.get(run.kind)
        run.kind_label = kind.label if kind else run.kind  # type: ignore[attr-defined]
    return render(request, "reports/index.html", {"form": form, "runs": runs}, status=status)


def _run(request: HttpRequest, pk: int) -> ReportRun:
    run = get_object_or_404(ReportRun.objects.select_related("unit", "created_by"), pk=pk)
    if not may_see_run(request.user, run):
        raise Http404(_("There is no such report."))
    return run


@login_required
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return render(request, "reports/run.html", {"run": run, "kind": KINDS.get(run.kind)})


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress, then its result: the part the run's page polls (htmx)."""
    run = _run(request, pk)
    return render(request, "reports/_run.html", {"run": run})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The report's file, under its Vietnamese name (Content-Disposition with filename*)."""
    run = _run(request, pk)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404(_("This report has no file (yet)."))
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name,
                        content_type=run.content_type)
