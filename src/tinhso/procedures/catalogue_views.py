"""The catalogue's pages for the staff who keep it (``procedures.manage``, at the province):
the list, a procedure's versions, add, change (a new version), retire, and the import of the
national database's export with its progress and report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.core.forms import add_service_errors
from tinhso.procedures.catalogue import home_unit
from tinhso.procedures.catalogue_forms import DecisionForm, ImportForm, ProcedureForm
from tinhso.procedures.catalogue_models import CatalogueImport
from tinhso.procedures.models import Procedure
from tinhso.procedures.permissions import MANAGE_CATALOGUE
from tinhso.procedures.relevance import search_words
from tinhso.procedures.search import ranked
from tinhso.procedures.services.catalogue import (
    procedure_create,
    procedure_retire,
    procedure_revise,
)
from tinhso.procedures.services.catalogue_import import column_headers
from tinhso.procedures.services.catalogue_jobs import catalogue_import_start
from tinhso.procedures.versions import history

PER_PAGE = 50


def _require(request: HttpRequest) -> None:
    if not may(request.user, MANAGE_CATALOGUE, home_unit()):
        raise PermissionDenied(_("Only those who keep the procedure catalogue may open this "
                                 "page."))


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    q = request.GET.get("q", "").strip()
    words = search_words(q)  # the public search's rule, retired procedures included
    procedures = (ranked(Procedure.objects.all(), words) if words
                  else Procedure.objects.order_by("field", "name"))
    page = Paginator(procedures, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "procedures/manage/list.html", {
        "page": page, "q": q, "imports": CatalogueImport.objects.defer("content")[:5]})


def _procedure(code: str) -> Procedure:
    return get_object_or_404(Procedure, code=code)


@login_required
def manage_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require(request)
    procedure = _procedure(code)
    return render(request, "procedures/manage/detail.html", {
        "procedure": procedure, "versions": history(procedure)})


@login_required
def manage_new(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = procedure_create(actor=request.user, code=form.cleaned_data["code"],
                                         values=form.values(), decision=form.decision())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(code)s added to the catalogue.")
                             % {"code": procedure.code})
            return redirect("catalogue:detail", procedure.code)
    return render(request, "procedures/manage/form.html", {
        "form": form, "title": _("Add a procedure")}, status=400 if form.errors else 200)


@login_required
def manage_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(request)
    procedure = _procedure(code)
    form = ProcedureForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            version = procedure_revise(actor=request.user, procedure=procedure,
                                       values=form.values(), decision=form.decision())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Version %(n)d of %(code)s recorded.")
                             % {"n": version.number, "code": procedure.code})
            return redirect("catalogue:detail", procedure.code)
    return render(request, "procedures/manage/form.html", {
        "form": form, "procedure": procedure, "title": _("Change a procedure")},
        status=400 if form.errors else 200)


@login_required
def manage_retire(request: HttpRequest, code: str) -> HttpResponse:
    _require(request)
    procedure = _procedure(code)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure_retire(actor=request.user, procedure=procedure,
                             decision=form.decision())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(code)s retired.") % {"code": procedure.code})
            return redirect("catalogue:detail", procedure.code)
    return render(request, "procedures/manage/form.html", {
        "form": form, "procedure": procedure, "title": _("Retire a procedure"),
        "retire": True}, status=400 if form.errors else 200)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = catalogue_import_start(actor=request.user, name=upload.name,
                                     content=upload.read(), decision=form.decision())
        return redirect("catalogue:import_job", job.pk)
    return render(request, "procedures/manage/import.html", {
        "form": form, "columns": column_headers()}, status=400 if form.errors else 200)


def _report(job: CatalogueImport) -> dict[str, Any]:
    report = job.report or {}
    counts = {key: int(report.get(f"{key}_count", len(report.get(key, ())))) for key in (
        "created", "changed")}
    return {"rows": int(report.get("rows", 0)), "created_count": counts["created"],
            "changed_count": counts["changed"], "unchanged": int(report.get("unchanged", 0)),
            "changed": sorted(report.get("changed", {}).items()),
            "created": report.get("created", []),
            "errors": report.get("errors", []), "stopped": report.get("stopped", False),
            "phase": report.get("phase", ""), "failure": report.get("error", "")}


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's progress (the bar polls this page while it runs), then its report."""
    _require(request)
    job = get_object_or_404(CatalogueImport.objects.defer("content"), pk=pk)
    template = ("procedures/manage/_job.html" if request.headers.get("HX-Request")
                else "procedures/manage/job.html")
    return render(request, template, {"job": job, **_report(job)})
