"""Dossiers through the API (mounted at /api/v1/dossiers/): submit online or record a desk
receipt, look a dossier up with its code and phone, list and read dossiers within one's scope,
and act on them. Every write goes through ``procedures.services``, who may see what through
``procedures.access``, what an action is through ``procedures.workflow``; the API decodes, finds
the objects named, calls the service and says what came of it.

A dossier one may not see is answered 404, as one that does not exist; acting on a visible
dossier without the right is 403; an action the dossier's status does not allow is 400.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut, ValidationErrorOut
from tinhso.core.throttle import LOOKUP
from tinhso.procedures import services
from tinhso.procedures.access import dossier_for, visible_dossiers
from tinhso.procedures.api_actions import ACTIONS, MISSING, body_fields, decode_all
from tinhso.procedures.catalogue import procedure_by_code
from tinhso.procedures.dossier_schemas import (
    ActionIn,
    DossierAction,
    DossierFilter,
    DossierIn,
    DossierOut,
    DossierSummaryOut,
    LookupOut,
    ReceiptOut,
    event_out,
)
from tinhso.procedures.models import Channel, Dossier, DossierStatus
from tinhso.procedures.rule_queries import overdue_q
from tinhso.procedures.selectors import dossier_lookup, is_overdue, too_many_lookups
from tinhso.units.selectors import unit_by_code

router = Router(tags=["dossiers"])

WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut,
                                404: ErrorOut, 422: ValidationErrorOut}


def _dossier(user: Any, code: str) -> Dossier:
    dossier = dossier_for(user, code, related=("procedure", "unit", "assigned_unit",
                                               "assigned_to", "rating"),
                          prefetch=("files", "events"))
    if dossier is None:
        raise Http404(_("There is no dossier %(code)s that you may see.") % {"code": code})
    return dossier


@router.post("/", response={201: ReceiptOut, **WRITE_ERRORS}, auth=AUTH,
             summary="Submit a dossier online (or record a desk receipt)",
             description=(
                 "A citizen or business account submits online: the dossier is received at "
                 "once, with its code and due time. Documents are base64 in JSON (the whole "
                 "request stays under the server's request size limit). Every problem is "
                 "answered at once, by field (`applicant.phone`, `form.birth_date`, "
                 "`documents.to_khai`, ...). An officer who may receive dossiers at the unit "
                 "sends channel `in_person` or `postal` to record a desk receipt instead."))
def submit(request: HttpRequest, payload: DossierIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    procedure = procedure_by_code(payload.procedure)
    if procedure is None:
        errors["procedure"] = [MISSING["procedure"](payload.procedure)]
    unit = unit_by_code(payload.unit)
    if unit is None:
        errors["unit"] = [MISSING["unit"](payload.unit)]
    files = decode_all("documents", payload.documents, errors, key="doc.{}")
    if errors or procedure is None or unit is None:
        raise ValidationError(errors)
    applicant = services.Applicant(payload.applicant.name, payload.applicant.phone,
                                   payload.applicant.email)
    with body_fields():
        if payload.channel == Channel.ONLINE:
            dossier = services.dossier_submit(
                account=user, procedure=procedure, unit=unit, applicant=applicant,
                form_data=payload.form, files=files)
        else:
            dossier = services.dossier_receive(
                actor=user, procedure=procedure, unit=unit, channel=payload.channel,
                applicant=applicant, form_data=payload.form, files=files,
                digitised=payload.digitised, reused_data=payload.reused_data,
                population_data=payload.population_data)
    return Status(201, dossier)


@router.get("/lookup/", response={200: LookupOut, 404: ErrorOut, 422: ValidationErrorOut,
                                  429: ErrorOut},
            summary="Look a dossier up with its code and the applicant's phone (public)",
            description="No sign-in needed: the dossier's code and the phone number given with "
                        "it. A wrong pair is answered 404, whichever half is wrong; after "
                        "too many wrong pairs from one address, 429 for a while.")
def lookup(request: HttpRequest, code: str, phone: str) -> Any:
    if not LOOKUP.reserve(request):  # counted before the guess is evaluated
        raise HttpError(429, too_many_lookups())
    dossier = dossier_lookup(code=code, phone=phone)
    if dossier is None:
        raise Http404(_("No dossier matches this code and phone number."))
    LOOKUP.release(request)
    return {
        "code": dossier.code, "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "agency": {"code": dossier.unit.code, "name": dossier.unit.name},
        "received_at": dossier.received_at, "due_at": dossier.due_at,
        "finished_at": dossier.finished_at, "returned_at": dossier.returned_at,
        "withdrawn_at": dossier.withdrawn_at,
        "waiting_for_supplement": dossier.status == DossierStatus.SUPPLEMENT,
        "overdue": is_overdue(dossier),
        "history": [event_out(e, staff=False) for e in dossier.events.all()],
    }


@router.get("/", response={200: list[DossierSummaryOut], 401: ErrorOut, 404: ErrorOut},
            auth=AUTH, summary="Dossiers: an officer's within their units, an applicant's own",
            description="Staff see the dossiers received or assigned within the units where "
                        "they may see dossiers; citizens and businesses their own. Ordered by "
                        "due time.")
@paginate(Pagination)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> Any:
    qs = visible_dossiers(request.auth).select_related(  # type: ignore[attr-defined]
        "procedure", "unit", "assigned_unit", "assigned_to")
    for name in ("status", "channel"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.unit:
        unit = unit_by_code(filters.unit)
        if unit is None:
            raise Http404(MISSING["unit"](filters.unit))
        qs = qs.filter(Q(unit__path__startswith=unit.path)
                       | Q(assigned_unit__path__startswith=unit.path))
    if filters.procedure:
        procedure = procedure_by_code(filters.procedure)
        if procedure is None:
            raise Http404(MISSING["procedure"](filters.procedure))
        qs = qs.filter(procedure=procedure)
    if filters.received_from:
        qs = qs.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_at__date__lte=filters.received_to)
    if filters.overdue is not None:
        late = overdue_q(timezone.now())
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    return qs.order_by("due_at", "id")


@router.get("/{code}/", response={200: DossierOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH,
            summary="One dossier, with its files, history and what one may do next",
            description="For staff who may see dossiers of its unit (or the unit it is "
                        "assigned to), and for the applicant's account; 404 for anyone else.")
def get_dossier(request: HttpRequest, code: str) -> Any:
    return _dossier(request.auth, code)  # type: ignore[attr-defined]


@router.post("/{code}/actions/{action}/", response={200: DossierOut, **WRITE_ERRORS},
             auth=AUTH, summary="Act on a dossier",
             description=(
                 "Officers: assign (unit, officer, note), request_supplement (reason: the clock "
                 "stops), resume (note), approve (note), refuse (reason), return_result "
                 "(result: the electronic result, or none for paper), withdraw (reason), "
                 "apologise (reason, new_due_at). The applicant's account: answer_supplement "
                 "(note and/or documents: the clock restarts), rate (level 1-5, comment) once "
                 "resolved, complain (text). 403 without the right, 400 when the dossier's "
                 "status does not allow the action."))
def act(request: HttpRequest, code: str, action: DossierAction,
        payload: ActionIn | None = None) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    dossier = _dossier(user, code)
    ACTIONS[str(action.value)](user, dossier, payload or ActionIn.model_validate({}))
    return _dossier(user, code)
