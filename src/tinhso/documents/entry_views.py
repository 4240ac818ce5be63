"""Registering an incoming document (the clerk) and drafting an outgoing one (the handlers; an
answer to an incoming document with ``?reply_to=``). Every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinhso.core.forms import add_service_errors
from tinhso.documents import selectors, services
from tinhso.documents.access import document_for
from tinhso.documents.forms import IncomingForm, OutgoingForm
from tinhso.documents.models import Direction, Document


@login_required
def incoming_new(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(request.user, "documents.register")
    if not units:
        raise PermissionDenied(_("Only the office's clerks register incoming documents."))
    form = IncomingForm(request.POST or None, request.FILES or None, units=units)
    duplicate = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = form.metadata()
        try:
            document = services.incoming_register(
                actor=request.user, unit=data["unit"], files=data["upload"],
                readers=data["readers"], confirm_duplicate=data["register_again"], **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
            duplicate = services.duplicate_of(data["unit"], fields) is not None
        else:
            messages.success(request, _("Registered with arrival number %(number)s/%(year)s.")
                             % {"number": document.arrival_number, "year": document.year})
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/incoming_form.html", {
        "form": form, "duplicate": duplicate or bool(form.data.get("register_again")),
    }, status=400 if request.method == "POST" else 200)


def _answered(request: HttpRequest) -> Document | None:
    """The incoming document an answer replies to (``reply_to``), if the user may see it."""
    raw = (request.POST.get("reply_to") or request.GET.get("reply_to") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(_("No such document."))
    document = document_for(request.user, int(raw), what="answer")
    return document if document.direction == Direction.INCOMING else None


def _answer_initial(answered: Document | None, units: list[Any]) -> dict[str, Any]:
    if answered is None:
        return {}
    issuer = selectors.unit_of_issuer(answered)
    slip = getattr(answered, "assignment", None)
    lead = slip.lead_unit_id if slip is not None else None
    return {"reply_to": answered.pk, "kind": "Công văn",
            "subject": _("Answer to %(code)s: %(subject)s") % {
                "code": answered.code, "subject": answered.subject},
            "unit": lead if lead in {u.pk for u in units} else None,
            "recipients": [issuer.pk] if issuer is not None else [answered.unit_id],
            "external": "" if issuer is not None else
            f"{answered.issuer_code} | {answered.issuer_name}"}


@login_required
def outgoing_new(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(request.user, "documents.handle")
    if not units:
        raise PermissionDenied(_("Only the staff who handle documents draft outgoing ones."))
    answered = _answered(request)
    form = OutgoingForm(request.POST or None, request.FILES or None, units=units,
                        addressees=selectors.installation_units(units[0]),
                        initial=_answer_initial(answered, units))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.outgoing_draft(
                actor=request.user, unit=data["unit"], kind=(data["kind"] or "").strip(),
                notation=data["notation"] or "", subject=(data["subject"] or "").strip(),
                recipients=list(data["recipients"]), external=data["external"],
                reply_to=answered, files=data["upload"], readers=data["readers"],
                **form.metadata())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved: the clerk numbers and issues it."))
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/outgoing_form.html", {
        "form": form, "answered": answered,
    }, status=400 if request.method == "POST" else 200)
