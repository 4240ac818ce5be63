"""The document office's reading pages: the list, a document's page (with the forms of what the
reader may do, see ``action_views``), its files, the two registers and the overdue list. Who
sees a document is ``access``; every opening of a document or a file is logged."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may_somewhere
from tinhso.core.http import file_attachment
from tinhso.documents import forms as office_forms
from tinhso.documents import selectors
from tinhso.documents.access import document_for
from tinhso.documents.models import Direction, Document, Status
from tinhso.programme.models import TaskStatus
from tinhso.programme.selectors import assignable_groups, clock, task_brief, task_status


def require_reader(request: HttpRequest) -> None:
    if not may_somewhere(request.user, "documents.view"):
        raise PermissionDenied(_("The document office is for the staff who read official "
                                 "documents."))


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    page = selectors.document_list(request.user, request.GET)
    return render(request, "documents/list.html", {
        "page": page, "selection": selectors.ListFilter.from_query(request.GET),
        "years": selectors.list_years(),
        "directions": Direction.choices, "statuses": Status.choices,
        "can_register": may_somewhere(request.user, "documents.register"),
        "can_draft": may_somewhere(request.user, "documents.handle"),
    })


def action_forms(request: HttpRequest, page: selectors.DocumentPage,
                 bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    """The forms of the page, each only for who may use it (``bound``: the one just sent)."""
    document, made = page.document, {}
    if page.may["direct"]:
        made["direct"] = bound.get("direct") or office_forms.DirectForm(
            units=selectors.units_below(document.unit),
            groups=assignable_groups(request.user) if document.assigns_work else [],
            assigns_work=document.assigns_work)
    for name, form_class in (("comment", office_forms.CommentForm),
                             ("close", office_forms.CloseForm),
                             ("task_close", office_forms.TaskCloseForm)):
        if page.may[name]:
            made[name] = bound.get(name) or form_class()
    if page.may["issue"]:
        made["issue"] = bound.get("issue") or office_forms.IssueForm(initial={
            "signer_name": document.signer_name, "signer_position": document.signer_position})
    return made


def render_document(request: HttpRequest, document: Document,
                    bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    page = selectors.document_page(request.user, document)
    task, task_state = None, ""
    if page.assignment is not None and page.assignment.task_id:
        task = task_brief(page.assignment.task_id)
        if task is not None:
            task_state = task_status(task, clock())
    shown = action_forms(request, page, bound or {})
    # a form sent for what is no longer possible (the document moved on): its errors on top
    problems = [str(e) for name, form in (bound or {}).items() if name not in shown
                for errors in form.errors.values() for e in errors]
    return render(request, "documents/detail.html", {
        "page": page, "document": page.document, "task": task, "problems": problems,
        "task_status": task_state, "task_status_label": (
            TaskStatus(task_state).label if task_state else ""),
        "forms": shown,
    }, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_document(request, document_for(request.user, pk))


@login_required
def file_download(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    document = document_for(request.user, pk, what=f"file {file_id}")
    attachment = selectors.attachment_of(document, file_id)
    if attachment is None:
        raise Http404(_("There is no such file."))
    return file_attachment(attachment.file, attachment.name, attachment.content_type)


# --- the registers ---------------------------------------------------------------------------


def _register(request: HttpRequest, direction: str, template: str) -> HttpResponse:
    require_reader(request)
    code = (request.GET.get("unit") or "").strip()
    unit = selectors.register_unit(request.user, code)
    if unit is None:
        raise Http404(_("There is no unit %(code)s.") % {"code": code[:40]})
    if not selectors.may_read_register(request.user, unit):
        raise PermissionDenied(_("You may not read the registers of %(unit)s.")
                               % {"unit": unit.name})
    year_text = (request.GET.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() and 1900 < int(year_text) < 3000 else (
        timezone.localdate().year)
    return render(request, template, {
        "unit": unit, "year": year,
        "rows": selectors.register_rows(request.user, unit, direction, year),
        "units": selectors.register_units(request.user),
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
    })


@login_required
def register_incoming(request: HttpRequest) -> HttpResponse:
    return _register(request, Direction.INCOMING, "documents/register_incoming.html")


@login_required
def register_outgoing(request: HttpRequest) -> HttpResponse:
    return _register(request, Direction.OUTGOING, "documents/register_outgoing.html")


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    units, limit = selectors.late_by_unit(request.user)
    return render(request, "documents/overdue.html", {
        "units": units, "limit": limit, "today": timezone.localdate(),
        "overdue_count": sum(len(u.overdue) for u in units),
        "due_soon_count": sum(len(u.due_soon) for u in units),
    })
