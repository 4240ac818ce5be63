"""The officers' workspace (/desk/): the queue, receiving at the desk, a dossier's page with the
actions the officer may take, and the dossier's files. Every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may, may_somewhere
from tinhso.core.forms import add_service_errors
from tinhso.procedures import access, feedback_views, formschema, queues, services
from tinhso.procedures.catalogue import procedure_by_code, procedure_choices, receiving_units
from tinhso.procedures.desk_forms import DESK_ACTIONS, ReceiveForm
from tinhso.procedures.downloads import file_of
from tinhso.procedures.models import Dossier, DossierStatus
from tinhso.procedures.selectors import event_label


def _fmt(moment: Any) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


# --- the queue ------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "dossiers.view"):
        raise PermissionDenied(_("The desk is for the staff who handle dossiers."))
    selection = queues.QueueFilter.from_query(request.GET)
    now = timezone.now()
    page = Paginator(queues.queue(request.user, selection, now), 50).get_page(
        request.GET.get("page"))
    return render(request, "procedures/desk/queue.html", {
        "page": page, "rows": [queues.marks(d, now) for d in page],
        "counts": queues.queue_counts(request.user, selection, now),
        "units": queues.queue_units(request.user), "selection": selection,
        "statuses": [(s, DossierStatus(s).label) for s in queues.QUEUE_STATUSES],
        "can_receive": may_somewhere(request.user, "dossiers.receive"),
    })


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "dossiers.receive"):
        raise PermissionDenied(_("Only one-stop desk officers receive dossiers."))
    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    procedures = procedure_choices()
    procedure = procedure_by_code(code) if code else None
    context: dict[str, Any] = {"procedures": procedures, "procedure": procedure, "code": code}
    if procedure is None:
        if code:
            context["problem"] = _("There is no procedure with code '%(code)s'.") % {
                "code": code}
        return render(request, "procedures/desk/receive.html", context)
    units = [u for u in receiving_units(procedure)
             if may(request.user, "dossiers.receive", u)]
    context["units"] = units
    if not units:
        context["problem"] = _("You do not receive dossiers of this procedure.")
        return render(request, "procedures/desk/receive.html", context)
    form = ReceiveForm(request.POST or None, request.FILES or None, procedure=procedure,
                       units=units)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.dossier_receive(
                actor=request.user, procedure=procedure,
                unit=next(u for u in units if u.code == data["unit"]),
                channel=data["channel"],
                applicant=services.Applicant(data["applicant_name"], data["applicant_phone"],
                                             data["applicant_email"]),
                form_data={spec["name"]: data.get(f"form.{spec['name']}") or ""
                           for spec in procedure.form_schema or []},
                files={f.name: data[f.name] for f in form.document_fields if data.get(f.name)},
                digitised=data["digitised"], reused_data=data["reused_data"],
                population_data=data["population_data"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Dossier %(code)s received; the result is due at "
                                        "%(due)s.") % {"code": dossier.code,
                                                       "due": _fmt(dossier.due_at)})
            return redirect("desk:detail", code=dossier.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "procedures/desk/receive.html", context, status=status)


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    """The dossier, for staff who may see it; 404 for everyone else (its code says nothing)."""
    dossier = access.dossier_for(request.user, code, access.DESK,
                                 related=("procedure", "unit", "assigned_unit", "assigned_to"))
    if dossier is None:
        raise Http404(_("There is no dossier %(code)s at your desk.") % {"code": code})
    return dossier


def _render_detail(request: HttpRequest, dossier: Dossier,
                   bound: forms.Form | None = None, bound_action: str = "",
                   status: int = 200) -> HttpResponse:
    forms_shown: list[dict[str, Any]] = []
    for name in access.available_actions(request.user, dossier):
        action = DESK_ACTIONS.get(name)
        if action is None:
            continue
        form = bound if name == bound_action and bound is not None else (
            action.make_form(dossier))
        forms_shown.append({"action": action, "form": form,
                            "open": name == bound_action,
                            "multipart": any(isinstance(f, forms.FileField)
                                             for f in form.fields.values())})
    problems: list[str] = []
    if bound is not None and bound_action not in {item["action"].name for item in forms_shown}:
        # The action is no longer possible (the status moved on): say why above the page.
        problems = [str(e) for errors in bound.errors.values() for e in errors]
    return render(request, "procedures/desk/detail.html", {
        "dossier": dossier, "problems": problems, "row": queues.marks(dossier),
        "answers": formschema.answers(dossier.procedure.form_schema or [],
                                      dossier.form_data or {}, (get_language() or "vi")[:2]),
        "files": dossier.files.all(),
        "events": [(e, event_label(e.action)) for e in dossier.events.all()],
        "apologies": dossier.apologies.all(), "actions": forms_shown,
        "notifications": dossier.notifications.all(),
        "feedback": dossier.complaints.all(),
        "may_answer": access.may_act(request.user, "dossiers.process", dossier),
    }, status=status)


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    if request.method == "POST":  # the answer to a feedback (feedback_views)
        return feedback_views.answer_at_desk(request, dossier)
    return _render_detail(request, dossier)


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    desk_action = DESK_ACTIONS.get(action)
    if desk_action is None:
        raise Http404(_("There is no such action."))
    if not access.may_act(request.user, desk_action.permission, dossier):
        raise PermissionDenied(_("You may not %(action)s dossier %(code)s.") % {
            "action": str(desk_action.label).lower(), "code": dossier.code})
    form = desk_action.make_form(dossier, request.POST, request.FILES)
    if action not in access.available_actions(request.user, dossier):
        # What the page does not offer (the status moved on, or no apology is due): say why.
        form.is_valid()
        form.add_error(None, _("'%(action)s' is not possible for this dossier now.")
                       % {"action": desk_action.label})
    elif form.is_valid():
        try:
            desk_action.run(request.user, dossier, form)
        except ValidationError as exc:
            add_service_errors(form, exc, default="result" if "result" in form.fields else None)
        else:
            dossier.refresh_from_db()
            messages.success(request, _("Dossier %(code)s: %(action)s. Status: %(status)s.") % {
                "code": dossier.code, "action": event_label(action),
                "status": dossier.get_status_display()})
            return redirect("desk:detail", code=dossier.code)
    dossier.refresh_from_db()
    return _render_detail(request, dossier, form, action, status=400)


@login_required
def file_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    return file_of(_dossier_for(request, code), pk)
