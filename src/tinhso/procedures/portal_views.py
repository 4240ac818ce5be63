"""The applicant's pages: submit a dossier online, look a dossier up by its code and phone
number, follow one's own dossiers, answer a supplement request, download the result, rate,
complain; the receipt and the apology letters as PDF.

Every write goes through ``procedures.services``; a service's ValidationError (a dict by field)
comes back next to the field it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tinhso.accounts.models import UserKind
from tinhso.core.throttle import LOOKUP
from tinhso.core.uploads import UPLOAD_TYPES
from tinhso.procedures import access, feedback_views, formschema, services
from tinhso.procedures.catalogue import procedure_by_code, receiving_units
from tinhso.procedures.documents import apology_pdf, receipt_pdf
from tinhso.procedures.downloads import file_of
from tinhso.procedures.models import (
    ApologyLetter,
    Complaint,
    Dossier,
    OnlineLevel,
    Procedure,
    Rating,
)
from tinhso.procedures.selectors import (
    agencies_matching,
    applicant_defaults,
    applicant_dossiers,
    applicant_page,
    dossier_history,
    dossier_lookup,
    lateness,
    too_many_lookups,
)
from tinhso.procedures.services import held
from tinhso.procedures.services.held import HeldFile
from tinhso.units.models import Unit

SUBMITTERS = (UserKind.CITIZEN, UserKind.BUSINESS)
ACCEPT = ",".join(UPLOAD_TYPES)
APPLICANT_FIELDS = ("applicant_name", "applicant_phone", "applicant_email")
SEARCH_FROM = 8  # more receiving agencies than this: a search box above their list

Errors = dict[str, list[str]]


def _errors(exc: ValidationError) -> Errors:
    """A service's refusal by field; the files of a supplement answer together under 'files'."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": [str(m) for m in exc.messages]}
    errors: Errors = {}
    for key, found in exc.message_dict.items():
        errors.setdefault("files" if key.startswith("file.") else key, []).extend(found)
    return errors


def _general(errors: Errors, shown: set[str]) -> list[str]:
    """The messages no field on the page shows (they go above the form)."""
    return [m for key, found in errors.items() if key not in shown for m in found]


# --- submit ---------------------------------------------------------------------------------


def _form_fields(procedure: Procedure, values: Mapping[str, str], errors: Errors
                 ) -> list[dict[str, Any]]:
    """The procedure's form as the template draws it: input name form.<name>."""
    rows = []
    for declared in procedure.form_schema or []:
        spec = formschema.field_spec(declared)
        key = f"form.{spec['name']}"
        value = values.get(key, "")
        if spec["type"] == "date":
            value = formschema.shown(spec, value)  # as Vietnamese write dates, whatever was typed
        rows.append({**spec, "name": key, "id": "id_" + key.replace(".", "-"), "value": value,
                     "errors": errors.get(key, [])})
    return rows


def _document_fields(procedure: Procedure, errors: Errors, held: Mapping[str, HeldFile]
                     ) -> list[dict[str, Any]]:
    return [{"name": f"doc.{d['code']}", "id": f"id_doc-{d['code']}", "label": d["name"],
             "required": d.get("required", True), "held": held.get(f"doc.{d['code']}"),
             "errors": errors.get(f"doc.{d['code']}", [])}
            for d in procedure.required_documents or []]


def _prefill(user: Any, procedure: Procedure, units: list[Unit]) -> dict[str, str]:
    """The account's name, phone and e-mail (or those of its latest dossier), the address
    given then when the form asks one, and the agency when only one receives."""
    values = applicant_defaults(user)
    if not any(f.get("name") == "address" for f in procedure.form_schema or []):
        values.pop("form.address")
    return {**values, "unit": str(units[0].pk) if len(units) == 1 else ""}


def _files(request: HttpRequest, procedure: Procedure) -> tuple[dict[str, UploadedFile],
                                                                 dict[str, UploadedFile]]:
    """(the files attached now, every file to submit: those kept from the last try that were
    neither replaced nor removed, and the new ones)."""
    new: dict[str, UploadedFile] = {}
    for key in request.FILES:
        upload = request.FILES[key]
        if key.startswith("doc.") and isinstance(upload, UploadedFile):
            new[key] = upload
    held.release(session=request.session, user=request.user, procedure_code=procedure.code,
                 keys=[k for k in request.POST.getlist("remove") if k not in new])
    kept = held.held_files(session=request.session, user=request.user,
                           procedure_code=procedure.code)
    return new, {**held.as_uploads(f for k, f in kept.items() if k not in new), **new}


def _submitted(request: HttpRequest, procedure: Procedure, units: list[Unit],
               values: Mapping[str, str], files: Mapping[str, UploadedFile]) -> Dossier:
    applicant = services.Applicant(name=values["applicant_name"],
                                   phone=values["applicant_phone"],
                                   email=values["applicant_email"].strip())
    form_data = {f["name"]: values.get(f"form.{f['name']}", "")
                 for f in procedure.form_schema or []}
    unit = next((u for u in units if str(u.pk) == values["unit"]), None)
    if unit is None:
        # Check the rest against an agency that does receive it, to show every problem at once.
        problems: Errors = {}
        if units:
            try:
                services.check_submission(procedure=procedure, unit=units[0],
                                          applicant=applicant, form_data=form_data,
                                          files=files, require_documents=True)
            except ValidationError as exc:
                problems = exc.message_dict
        raise ValidationError({**problems,
                               "unit": [_("Choose the agency that receives your dossier.")]})
    return services.dossier_submit(account=request.user, procedure=procedure, unit=unit,
                                   applicant=applicant, form_data=form_data, files=files)


def _try(request: HttpRequest, procedure: Procedure, units: list[Unit]
         ) -> tuple[Dossier | None, dict[str, str], Errors]:
    """Submit what was posted; on a refusal keep the good files for the next try."""
    values = {key: request.POST.get(key, "") for key in request.POST}
    for key in (*APPLICANT_FIELDS, "unit"):
        values.setdefault(key, "")
    new, files = _files(request, procedure)
    try:
        dossier = _submitted(request, procedure, units, values, files)
    except ValidationError as exc:
        errors = _errors(exc)
        held.hold(session=request.session, user=request.user, procedure_code=procedure.code,
                  uploads=new, refused=errors)
        return None, values, errors
    held.release(session=request.session, user=request.user, procedure_code=procedure.code)
    return dossier, values, {}


def _procedure(code: str) -> Procedure:
    procedure = procedure_by_code(code)
    if procedure is None:
        raise Http404(_("There is no procedure with code '%(code)s'.") % {"code": code})
    return procedure


@login_required
def submit(request: HttpRequest, procedure_code: str) -> HttpResponse:
    procedure = _procedure(procedure_code)
    if getattr(request.user, "kind", None) not in SUBMITTERS:
        raise PermissionDenied(_(
            "Dossiers are submitted online with a citizen or business account; you are signed "
            "in with a staff account. Dossiers brought to the desk are received there."))
    units = receiving_units(procedure)
    offered = procedure.online_level != OnlineLevel.NONE
    errors: Errors = {}
    values = _prefill(request.user, procedure, units)
    if not offered:
        errors["procedure"] = [_("This procedure is not offered online: bring the dossier to "
                                 "the one-stop desk of the agency.")]
    elif not units:
        errors["procedure"] = [_("No agency receives this procedure online yet.")]
    if request.method == "POST" and offered and units:
        dossier, values, errors = _try(request, procedure, units)
        if dossier is not None:
            messages.success(request, _(
                "Dossier %(code)s was received. The result is due at %(due)s. Keep the code: "
                "with your phone number it lets you look the dossier up.") % {
                "code": dossier.code,
                "due": f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"})
            return redirect("dossiers:detail", code=dossier.code)
    shown = {*APPLICANT_FIELDS, "unit"} | {
        f"form.{f['name']}" for f in procedure.form_schema or []} | {
        f"doc.{d['code']}" for d in procedure.required_documents or []}
    kept = held.held_files(session=request.session, user=request.user,
                           procedure_code=procedure.code)
    return render(request, "procedures/portal/submit.html", {
        "procedure": procedure, "units": units, "offered": offered and bool(units),
        "values": values, "errors": errors, "general_errors": _general(errors, shown),
        "form_fields": _form_fields(procedure, values, errors),
        "documents": _document_fields(procedure, errors, kept), "accept": ACCEPT,
        "resubmit_files": request.method == "POST" and bool(errors),
        "searchable": len(units) > SEARCH_FROM,
    })


def agencies(request: HttpRequest, procedure_code: str) -> HttpResponse:
    """The receiving agencies whose name matches ``q``, as the options of the submission form's
    list (htmx swaps them in as one types; without script the full list stays)."""
    procedure = _procedure(procedure_code)
    units = agencies_matching(receiving_units(procedure), request.GET.get("q", ""))
    return render(request, "procedures/portal/_agency_options.html", {
        "units": units, "selected": request.GET.get("unit", "")})


# --- look up, own dossiers ------------------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    """Anyone with the code and the phone number given with the dossier: its status, times and
    public history; never the form or the files."""
    code, phone = request.GET.get("code", "").strip(), ""
    errors: Errors = {}
    dossier, not_found, status = None, "", 200
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        phone = request.POST.get("phone", "").strip()
        if not code:
            errors["code"] = [_("Give the dossier code (on your receipt).")]
        if not phone:
            errors["phone"] = [_("Give the phone number given with the dossier.")]
        if not errors and not LOOKUP.reserve(request):  # counted before the guess is tried
            not_found, status = too_many_lookups(), 429
        elif not errors:
            dossier = dossier_lookup(code=code, phone=phone)
            if dossier is not None:
                LOOKUP.release(request)
            else:
                not_found = _("There is no dossier with this code and phone number. Check "
                              "both against your receipt.")
    return render(request, "procedures/portal/lookup.html", {
        "code": code, "phone": phone, "errors": errors, "not_found": not_found,
        "dossier": dossier,
        "history": dossier_history(dossier) if dossier else [],
        "lateness": lateness(dossier) if dossier else "",
    }, status=status)



@login_required
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(applicant_dossiers(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "procedures/portal/mine.html", {
        "page": page, "rows": [{"dossier": d, "lateness": lateness(d, now)} for d in page],
        "may_submit": getattr(request.user, "kind", None) in SUBMITTERS,
    })


# --- one's own dossier ----------------------------------------------------------------------


def _dossier(request: HttpRequest, code: str, purpose: str) -> Dossier:
    """The dossier if the user may see it for ``purpose``; 404 for anyone else."""
    dossier = access.dossier_for(request.user, code, purpose)
    if dossier is None:
        raise Http404(_("You have no dossier with code %(code)s.") % {"code": code})
    return dossier


def _own(request: HttpRequest, code: str) -> Dossier:
    """The dossier if the signed-in account submitted it."""
    return _dossier(request, code, access.APPLICANT)


def _visible(request: HttpRequest, code: str) -> Dossier:
    """The dossier for its applicant or for staff who may see it."""
    return _dossier(request, code, access.ANY)


def _answer_supplement(request: HttpRequest, dossier: Dossier) -> str:
    files = {f"file.{n}": upload for n, upload in enumerate(request.FILES.getlist("files"), 1)}
    services.dossier_answer_supplement(account=request.user, dossier=dossier,
                                       note=request.POST.get("note", ""), files=files)
    return _("Your supplement was sent: the dossier is back in processing and its clock runs "
             "again.")


def _rate(request: HttpRequest, dossier: Dossier) -> str:
    try:
        level = int(request.POST.get("level", ""))
    except ValueError:
        level = 0
    services.dossier_rate(account=request.user, dossier=dossier, level=level,
                          comment=request.POST.get("comment", ""))
    return _("Thank you: your rating was recorded.")


def _complain(request: HttpRequest, dossier: Dossier) -> str:
    services.dossier_complain(account=request.user, dossier=dossier,
                              text=request.POST.get("text", ""),
                              category=request.POST.get("category", "procedure"))
    return _("Your complaint was sent to %(unit)s.") % {"unit": dossier.unit.name}


ACTIONS: dict[str, Callable[[HttpRequest, Dossier], str]] = {
    "supplement": _answer_supplement, "rate": _rate, "complain": _complain,
    "rate_feedback": feedback_views.rate_handling,
}


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    action, errors = "", {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404(_("There is no such action."))
        try:
            done = ACTIONS[action](request, dossier)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, done)
            return redirect("dossiers:detail", code=dossier.code)
    fields = {"supplement": {"note", "files"}, "rate": {"level", "comment"},
              "complain": {"text", "category"}, "rate_feedback": {"satisfied"}}.get(
                  action, set())
    return render(request, "procedures/portal/detail.html", {
        "dossier": dossier, "lateness": lateness(dossier), "history": dossier_history(dossier),
        "answers": formschema.answers(dossier.procedure.form_schema or [],
                                      dossier.form_data or {}, (get_language() or "vi")[:2]),
        **applicant_page(dossier, request.user), "levels": Rating.Level.choices,
        "categories": Complaint.Category.choices,
        "action": action, "errors": errors, "general_errors": _general(errors, fields),
        "values": request.POST if errors else {}, "accept": ACCEPT,
    })


# --- files and papers -----------------------------------------------------------------------


@login_required
def file_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    return file_of(_visible(request, code), pk)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _visible(request, code)
    content = receipt_pdf(dossier, request.build_absolute_uri(reverse("dossiers:lookup")))
    return _pdf_response(content, f"{dossier.code}-receipt.pdf")


@login_required
def apology(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dossier = _visible(request, code)
    letter = get_object_or_404(ApologyLetter, pk=pk, dossier=dossier)
    letter.dossier = dossier
    content = apology_pdf(letter, request.build_absolute_uri(reverse("dossiers:lookup")))
    return _pdf_response(content, f"{dossier.code}-apology-{letter.pk}.pdf")
