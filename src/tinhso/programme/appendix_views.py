"""The task appendix on the web: export a plan's tasks (.xlsx, .csv), download the template,
and the coordinator's upload page (every row's problem in a table, or the counts)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.permissions import may
from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.languages import localized
from tinhso.core.xlsx import Limits, upload_limits
from tinhso.programme.appendix import appendix_template, tasks_export, tasks_import
from tinhso.programme.appendix_columns import COLUMNS
from tinhso.programme.models import Document
from tinhso.programme.selectors import may_read_programme
from tinhso.units.selectors import unit_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


class AppendixForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Appendix (.xlsx or .csv)"))
    check_only = forms.BooleanField(
        label=gettext_lazy("Check only: list the problems and the counts, write nothing"),
        required=False)


def _reader(request: HttpRequest) -> None:
    if not may_read_programme(request.user):
        raise PermissionDenied(_("Only the programme's staff read its tasks."))


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(document: Document, fmt: str) -> str:
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in document.number)
    return f"phu-luc-{safe.strip('-')}.{fmt}"


@login_required
def appendix_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan's tasks the user may read, as the appendix the import reads back."""
    _reader(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = get_object_or_404(Document.objects.select_related("unit"), pk=pk)
    content = tasks_export(document, fmt, user=request.user)
    return _attachment(content, fmt, _file_name(document, fmt))


@login_required
def appendix_template_view(request: HttpRequest) -> HttpResponse:
    _reader(request)
    home = unit_by_code(settings.TINHSO_HOME_UNIT)
    return _attachment(appendix_template(unit=home), "xlsx", "phu-luc-nhiem-vu-mau.xlsx")


@login_required
def appendix_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator uploads an appendix; all rows or none."""
    document = get_object_or_404(Document.objects.select_related("unit"), pk=pk)
    if not may(request.user, "programme.manage", document.unit):
        raise PermissionDenied(_("Only the coordinator of %(unit)s imports its plans' tasks.")
                               % {"unit": localized(document.unit)})
    form = AppendixForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = Limits().max_bytes
        try:
            if upload.size is None or upload.size > limit:
                raise ImportRejected([RowError(0, _("file"), _(
                    "the file is larger than %(max)d MB") % {"max": limit // (1024 * 1024)})])
            result = tasks_import(actor=request.user, document=document, name=upload.name,
                                  content=upload.read(),
                                  dry_run=form.cleaned_data["check_only"],
                                  limits=upload_limits())  # within the worker's timeout
        except ImportRejected as exc:
            errors = exc.errors
    return render(request, "programme/appendix_import.html", {
        "document": document, "form": form, "errors": errors, "result": result,
        "columns": COLUMNS,
    }, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [
    # {% url 'programme:appendix_export' pk %} is the .xlsx; add fmt='csv' for the .csv
    path("documents/<int:pk>/appendix.csv", appendix_export, {"fmt": "csv"},
         name="appendix_export"),
    path("documents/<int:pk>/appendix.xlsx", appendix_export, {"fmt": "xlsx"},
         name="appendix_export"),  # listed last: reverse() with the pk alone gives this one
    path("appendix-template.xlsx", appendix_template_view, name="appendix_template"),
    path("documents/<int:pk>/import/", appendix_import, name="appendix_import"),
]
