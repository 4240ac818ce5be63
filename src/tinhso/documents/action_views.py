"""What is done on a document's page: a leader's direction, a comment or draft answer, closing
it, closing its programme task citing the answer, and the clerk's numbering and issuing. Each
POST checks who may first (403), then the form, then the service; a refusal of the service is
shown on the form (400), a success redirects to the document with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may
from tinhso.core.forms import add_service_errors
from tinhso.documents import forms as office_forms
from tinhso.documents import selectors, services
from tinhso.documents.access import document_for, document_to_act_on
from tinhso.documents.models import Document
from tinhso.documents.views import render_document
from tinhso.programme.selectors import assignable_groups


def _handles(user: Any, document: Document) -> bool:
    slip = selectors.assignment_of(document)
    support = list(slip.support_units.all()) if slip is not None else []
    return any(may(user, "documents.handle", u)
               for u in selectors.handling_units(document, slip, support))


def _run(request: HttpRequest, document: Document, name: str, form: forms.Form,
         write: Callable[[dict[str, Any]], str]) -> HttpResponse:
    """Validate ``form``, call ``write`` with its data; the message it returns on success."""
    if form.is_valid():
        try:
            done = write(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("documents:detail", pk=document.pk)
    return render_document(request, document, {name: form}, status=400)


@login_required
@require_POST
def direct(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_to_act_on(request.user, pk, "direct", "documents.direct",
                                  _("Only a leader of %(unit)s assigns its documents."))
    form = office_forms.DirectForm(
        request.POST, units=selectors.units_below(document.unit),
        groups=assignable_groups(request.user) if document.assigns_work else [],
        assigns_work=document.assigns_work)

    def write(data: dict[str, Any]) -> str:
        slip = services.document_direct(
            actor=request.user, document=document, lead_unit=data["lead_unit"],
            support_units=list(data["support_units"]), due_on=data["due_on"],
            working_days=data["working_days"], instruction=data["instruction"] or "",
            task_group=data.get("task_group"))
        return _("Assigned to %(unit)s, due %(due)s.") % {
            "unit": slip.lead_unit.name, "due": f"{slip.due_on:%d/%m/%Y}"}

    return _run(request, document, "direct", form, write)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request.user, pk, what="comment")
    if not _handles(request.user, document):
        raise PermissionDenied(_("You may not handle this document."))
    form = office_forms.CommentForm(request.POST, request.FILES)

    def write(data: dict[str, Any]) -> str:
        services.document_comment(actor=request.user, document=document,
                                  text=data["text"] or "", draft=data["draft"],
                                  files=data["upload"])
        return _("Draft answer kept.") if data["draft"] else _("Comment kept.")

    return _run(request, document, "comment", form, write)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request.user, pk, what="close")
    if not _handles(request.user, document):
        raise PermissionDenied(_("You may not handle this document."))
    form = office_forms.CloseForm(request.POST)

    def write(data: dict[str, Any]) -> str:
        services.document_close(actor=request.user, document=document,
                                reason=data["reason"] or "")
        return _("Document closed.")

    return _run(request, document, "close", form, write)


@login_required
@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_to_act_on(request.user, pk, "close task", "documents.direct",
                                  _("Only a leader of %(unit)s closes the task of its documents."))
    form = office_forms.TaskCloseForm(request.POST)

    def write(data: dict[str, Any]) -> str:
        services.document_task_close(actor=request.user, document=document)
        return _("The programme task is closed, citing the answer.")

    return _run(request, document, "task_close", form, write)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_to_act_on(request.user, pk, "issue", "documents.register",
                                  _("Only the clerk of %(unit)s numbers and issues its documents."))
    form = office_forms.IssueForm(request.POST)

    def write(data: dict[str, Any]) -> str:
        issued = services.outgoing_issue(
            actor=request.user, document=document, signer_name=(data["signer_name"] or "").strip(),
            signer_position=(data["signer_position"] or "").strip())
        return _("Issued as %(code)s.") % {"code": issued.code}

    return _run(request, document, "issue", form, write)
