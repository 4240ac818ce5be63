"""Dossiers through the API (mounted at /api/v1/dossiers/): submit online or record a desk
receipt, look a dossier up with its code and phone, list and read dossiers within one's scope,
and act on them. Every write goes through ``procedures.services``: the API decodes, finds the
objects named, calls the service and says what came of it.

Visibility: staff see the dossiers of the units where they may "dossiers.view" (received there,
or assigned there, or below); citizens and businesses see their own. A dossier one may not see
is answered 404, as one that does not exist; acting on a visible dossier without the right is
403; an action the dossier's status does not allow is 400.
"""

import base64
import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from tinhso.accounts.models import User, UserKind
from tinhso.accounts.permissions import scope_paths
from tinhso.api.auth import AUTH
from tinhso.core.db import within_paths
from tinhso.core.throttle import LOOKUP
from tinhso.core.uploads import UPLOAD_TYPES
from tinhso.procedures import workflow
from tinhso.procedures.models import (
    FINISHED_STATUSES,
    Channel,
    Dossier,
    DossierStatus,
    Procedure,
    Rating,
)
from tinhso.procedures.selectors import dossier_lookup, procedure_by_code, too_many_lookups
from tinhso.procedures.services import (
    ACTION_LABELS,
    Applicant,
    dossier_answer_supplement,
    dossier_approve,
    dossier_assign,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resume,
    dossier_return_result,
    dossier_submit,
    dossier_withdraw,
    may_act,
)
from tinhso.units.models import Unit
from tinhso.units.selectors import unit_by_code

router = Router(tags=["dossiers"])


# --- schemas --------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class ApplicantIn(Schema):
    name: str
    phone: str = Field(description="A Vietnamese phone number; the dossier is looked up with it")
    email: str = ""


class DocumentIn(Schema):
    name: str = Field(description="The file's name with its extension: .pdf, .jpg, .jpeg, "
                                  ".png, .docx or .xlsx", examples=["to-khai.pdf"])
    content_base64: str = Field(description="The file's content, base64-encoded (at most 10 MB "
                                            "decoded)")


class DossierIn(Schema):
    procedure: str = Field(description="The procedure's code (GET /procedures/{code}/ gives its "
                                       "documents, form and receiving agencies)")
    unit: str = Field(description="The code of the agency that receives the dossier")
    applicant: ApplicantIn
    form: dict[str, Any] = Field(default_factory=dict,
                                 description="The procedure's form: field name -> answer")
    documents: dict[str, DocumentIn] = Field(
        default_factory=dict, description="The procedure's documents: document code -> file")
    pay_online: bool = Field(False, description="The fee is paid online (fee-paying "
                                                "procedures)")
    channel: Channel = Field(Channel.ONLINE, description=(
        "online (a citizen or business account submits), or in_person / postal: an officer "
        "who may receive dossiers at the unit records a desk receipt"))
    digitised: bool = Field(False, description="Desk receipts: the paper documents were "
                                               "scanned (implied when documents are attached)")


class ReceiptOut(Schema):
    code: str
    status: DossierStatus
    procedure: str
    unit: str
    channel: Channel
    received_at: datetime
    due_at: datetime

    @staticmethod
    def resolve_procedure(obj: Dossier) -> str:
        return obj.procedure.code

    @staticmethod
    def resolve_unit(obj: Dossier) -> str:
        return obj.unit.code


class RefOut(Schema):
    code: str
    name: str


class ApplicantOut(Schema):
    name: str
    phone: str
    email: str


class FileOut(Schema):
    kind: str
    document: str = Field(description="The procedure's document code, for documents submitted")
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: datetime


class EventOut(Schema):
    at: datetime
    action: str
    label: str
    status: DossierStatus
    note: str


class StaffEventOut(EventOut):
    actor: str = Field(description="Who acted (shown to staff only)")


class RatingOut(Schema):
    level: int = Field(description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: str
    at: datetime


def _overdue(dossier: Dossier, now: datetime | None = None) -> bool:
    """Open and past its due time (while waiting for a supplement the clock is stopped: late
    only if it already was when it stopped)."""
    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
        return dossier.due_at < (now or timezone.now())
    if dossier.status == DossierStatus.SUPPLEMENT:
        return (dossier.remaining_seconds or 0) < 0
    return False


def _event_out(event: Any, staff: bool) -> dict[str, Any]:
    out = {"at": event.at, "action": event.action,
           "label": str(ACTION_LABELS.get(event.action, event.action)),
           "status": event.status, "note": event.note}
    if staff:
        out["actor"] = event.actor_repr
    return out


class DossierSummaryOut(Schema):
    code: str
    procedure: RefOut
    unit: RefOut = Field(description="The receiving agency")
    assigned_unit: RefOut | None = Field(description="The processing unit, once assigned")
    assigned_to: str | None = Field(description="The officer's user name, once assigned")
    channel: Channel
    status: DossierStatus
    applicant: ApplicantOut
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None
    returned_at: datetime | None
    withdrawn_at: datetime | None
    paused_at: datetime | None = Field(description="Since when the clock is stopped, waiting "
                                                   "for a supplement")
    overdue: bool
    on_time: bool | None = Field(description="Once resolved: whether it was on time")

    @staticmethod
    def resolve_assigned_to(obj: Dossier) -> str | None:
        return obj.assigned_to.username if obj.assigned_to_id and obj.assigned_to else None

    @staticmethod
    def resolve_applicant(obj: Dossier) -> dict[str, str]:
        return {"name": obj.applicant_name, "phone": obj.applicant_phone,
                "email": obj.applicant_email}

    @staticmethod
    def resolve_overdue(obj: Dossier) -> bool:
        return _overdue(obj)


class DossierOut(DossierSummaryOut):
    form: dict[str, Any]
    supplement_count: int
    remaining_seconds: int | None = Field(description="While the clock is stopped: the working "
                                                      "time that was left (negative: late)")
    fee_payable: bool
    paid_online: bool
    digitised: bool
    electronic_result: bool
    refusal_reason: str
    actions: list[str] = Field(description="What the requesting user may do now "
                                           "(POST .../actions/{action}/)")
    files: list[FileOut]
    history: list[StaffEventOut]
    rating: RatingOut | None

    @staticmethod
    def resolve_form(obj: Dossier) -> dict[str, Any]:
        return obj.form_data or {}

    @staticmethod
    def resolve_actions(obj: Dossier, context: dict[str, Any]) -> list[str]:
        return available_actions(context["request"].auth, obj)

    @staticmethod
    def resolve_files(obj: Dossier) -> list[Any]:
        return list(obj.files.all())

    @staticmethod
    def resolve_history(obj: Dossier, context: dict[str, Any]) -> list[dict[str, Any]]:
        # Who did what is for staff; the applicant sees the public history.
        staff = _is_staff(context["request"].auth)
        return [{"actor": "", **_event_out(e, staff=staff)} for e in obj.events.all()]

    @staticmethod
    def resolve_rating(obj: Dossier) -> Rating | None:
        return _rating(obj)


class LookupOut(Schema):
    code: str
    status: DossierStatus
    status_label: str
    procedure: RefOut
    agency: RefOut
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None
    returned_at: datetime | None
    withdrawn_at: datetime | None
    waiting_for_supplement: bool
    history: list[EventOut]


class DossierFilter(Schema):
    status: DossierStatus | None = None
    unit: str | None = Field(None, description="A unit code: dossiers received or assigned "
                                               "there, or below")
    procedure: str | None = Field(None, description="A procedure code")
    channel: Channel | None = None
    overdue: bool | None = Field(None, description="true: open dossiers past their due time; "
                                                   "false: the others")
    received_from: date | None = Field(None, description="Received on or after (YYYY-MM-DD)")
    received_to: date | None = Field(None, description="Received on or before (YYYY-MM-DD)")


class DossierAction(StrEnum):
    ASSIGN = "assign"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUME = "resume"
    APPROVE = "approve"
    REFUSE = "refuse"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    ANSWER_SUPPLEMENT = "answer_supplement"
    RATE = "rate"


class ActionIn(Schema):
    note: str = Field("", description="A note kept in the dossier's history (assign, resume, "
                                      "approve, answer_supplement)")
    reason: str = Field("", description="Required by request_supplement, refuse and withdraw "
                                        "(the note is taken when it is empty)")
    unit: str | None = Field(None, description="assign: the processing unit's code (default: "
                                               "the receiving agency)")
    officer: str | None = Field(None, description="assign: the officer's user name")
    result: DocumentIn | None = Field(None, description="return_result: the electronic result "
                                                        "(none: handed over on paper)")
    documents: dict[str, DocumentIn] = Field(
        default_factory=dict, description="answer_supplement: the files supplemented, by name")
    level: int | None = Field(None, description="rate: 1 (very dissatisfied) to 5 (very "
                                                "satisfied)")
    comment: str = Field("", description="rate: a comment")


# --- helpers --------------------------------------------------------------------------------

# Who may do what: staff actions need the permission on the dossier's unit (or the unit it is
# assigned to); the applicant's own actions need the account that submitted it.
STAFF_ACTIONS = {
    DossierAction.ASSIGN: "dossiers.process",
    DossierAction.REQUEST_SUPPLEMENT: "dossiers.process",
    DossierAction.RESUME: "dossiers.process",
    DossierAction.APPROVE: "dossiers.decide",
    DossierAction.REFUSE: "dossiers.decide",
    DossierAction.RETURN_RESULT: "dossiers.process",
    DossierAction.WITHDRAW: "dossiers.process",
}

# Field names of the services' errors -> the request body's names.
_FIELDS = {"applicant_name": "applicant.name", "applicant_phone": "applicant.phone",
           "applicant_email": "applicant.email"}


def _api_field(name: str, renames: dict[str, str] | None = None) -> str:
    if renames and name in renames:
        return renames[name]
    if name.startswith("doc."):
        return "documents." + name.removeprefix("doc.")
    return _FIELDS.get(name, name)


@contextmanager
def _body_fields(renames: dict[str, str] | None = None) -> Iterator[None]:
    """Name a service's field errors as the request body names them."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({_api_field(name, renames): errors
                               for name, errors in exc.error_dict.items()}) from exc


def _decode(field: str, document: DocumentIn, errors: dict[str, list[str]]
            ) -> UploadedFile | None:
    content = document.content_base64.strip()
    if content.startswith("data:") and "," in content:
        content = content.split(",", 1)[1]  # a data: URL
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        errors[f"{field}.content_base64"] = [_("This is not valid base64.")]
        return None
    name = document.name.strip().replace("/", "_").replace("\\", "_")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return SimpleUploadedFile(name, raw, UPLOAD_TYPES.get(suffix, "application/octet-stream"))


def _decode_all(prefix: str, documents: dict[str, DocumentIn], errors: dict[str, list[str]],
                key: str = "{}") -> dict[str, UploadedFile]:
    files = {}
    for code, document in documents.items():
        upload = _decode(f"{prefix}.{code}", document, errors)
        if upload is not None:
            files[key.format(code)] = upload
    return files


def _rating(dossier: Dossier) -> Rating | None:
    try:
        return dossier.rating
    except Rating.DoesNotExist:
        return None


def _is_staff(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "kind", None) == UserKind.STAFF)


def _owns(user: Any, dossier: Dossier) -> bool:
    return dossier.applicant_id is not None and dossier.applicant_id == user.pk


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """The dossiers ``user`` may see: staff within their "dossiers.view" scope (received or
    assigned there), citizens and businesses their own."""
    qs = Dossier.objects.all()
    if not _is_staff(user):
        return qs.filter(applicant=user)
    paths = scope_paths(user, "dossiers.view")
    if paths is None:
        return qs
    return qs.filter(within_paths("unit__path", paths)
                     | within_paths("assigned_unit__path", paths))


def available_actions(user: Any, dossier: Dossier) -> list[str]:
    """The actions ``user`` may take on ``dossier`` now (its status and their rights)."""
    possible = set(workflow.possible_actions(dossier.status))
    actions = [str(a) for a, permission in STAFF_ACTIONS.items()
               if a in possible and may_act(user, permission, dossier)]
    if _owns(user, dossier):
        if dossier.status == DossierStatus.SUPPLEMENT:
            actions.append(DossierAction.ANSWER_SUPPLEMENT.value)
        if dossier.status in FINISHED_STATUSES and _rating(dossier) is None:
            actions.append(DossierAction.RATE.value)
    return actions


def _dossier(user: Any, code: str) -> Dossier:
    dossier = (Dossier.objects.select_related("procedure", "unit", "assigned_unit",
                                              "assigned_to", "rating")
               .prefetch_related("files", "events").filter(code=code).first())
    if dossier is None or not (_owns(user, dossier) or may_act(user, "dossiers.view", dossier)):
        raise Http404(_("There is no dossier %(code)s that you may see.") % {"code": code})
    return dossier


MISSING = {
    "procedure": lambda code: _("There is no procedure with code '%(code)s'.") % {"code": code},
    "unit": lambda code: _("There is no unit with code '%(code)s'.") % {"code": code},
    "officer": lambda name: _("There is no user '%(name)s'.") % {"name": name},
}


def _find(model: type[Any], field: str, errors: dict[str, list[str]], **lookup: Any) -> Any:
    """The object the body names in ``field``; a field error when there is none."""
    try:
        return model.objects.get(**lookup)  # a unique code: no ordering needed
    except model.DoesNotExist:
        errors[field] = [MISSING[field](next(iter(lookup.values())))]
        return None


# --- endpoints ------------------------------------------------------------------------------

WRITE_ERRORS: dict[int, Any] = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut,
                                404: ErrorOut, 422: ValidationErrorOut}


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
    files = _decode_all("documents", payload.documents, errors, key="doc.{}")
    if errors or procedure is None or unit is None:
        raise ValidationError(errors)
    applicant = Applicant(payload.applicant.name, payload.applicant.phone,
                          payload.applicant.email)
    with _body_fields():
        if payload.channel == Channel.ONLINE:
            dossier = dossier_submit(account=user, procedure=procedure, unit=unit,
                                     applicant=applicant, form_data=payload.form, files=files,
                                     pay_online=payload.pay_online)
        else:
            dossier = dossier_receive(actor=user, procedure=procedure, unit=unit,
                                      channel=payload.channel, applicant=applicant,
                                      form_data=payload.form, files=files,
                                      digitised=payload.digitised)
    return Status(201, dossier)


@router.get("/lookup/", response={200: LookupOut, 404: ErrorOut, 422: ValidationErrorOut,
                                  429: ErrorOut},
            summary="Look a dossier up with its code and the applicant's phone (public)",
            description="No sign-in needed: the dossier's code and the phone number given with "
                        "it. A wrong pair is answered 404, whichever half is wrong; after "
                        "too many wrong pairs from one address, 429 for a while.")
def lookup(request: HttpRequest, code: str, phone: str) -> Any:
    if LOOKUP.blocked(request):
        raise HttpError(429, too_many_lookups())
    dossier = dossier_lookup(code=code, phone=phone)
    if dossier is None:
        LOOKUP.failed(request)
        raise Http404(_("No dossier matches this code and phone number."))
    return {
        "code": dossier.code, "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "agency": {"code": dossier.unit.code, "name": dossier.unit.name},
        "received_at": dossier.received_at, "due_at": dossier.due_at,
        "finished_at": dossier.finished_at, "returned_at": dossier.returned_at,
        "withdrawn_at": dossier.withdrawn_at,
        "waiting_for_supplement": dossier.status == DossierStatus.SUPPLEMENT,
        "history": [_event_out(e, staff=False) for e in dossier.events.all()],
    }


@router.get("/", response={200: list[DossierSummaryOut], 401: ErrorOut, 404: ErrorOut},
            auth=AUTH, summary="Dossiers: an officer's within their units, an applicant's own",
            description="Staff see the dossiers received or assigned within the units where "
                        "they may see dossiers; citizens and businesses their own. Ordered by "
                        "due time.")
@paginate(LimitOffsetPagination)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    qs = visible_dossiers(user).select_related("procedure", "unit", "assigned_unit",
                                               "assigned_to")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.unit:
        unit = Unit.objects.filter(code=filters.unit).first()
        if unit is None:
            raise Http404(_("There is no unit with code '%(code)s'.") % {"code": filters.unit})
        qs = qs.filter(Q(unit__path__startswith=unit.path)
                       | Q(assigned_unit__path__startswith=unit.path))
    if filters.procedure:
        procedure = Procedure.objects.filter(code=filters.procedure).first()
        if procedure is None:
            raise Http404(_("There is no procedure with code '%(code)s'.")
                          % {"code": filters.procedure})
        qs = qs.filter(procedure=procedure)
    if filters.received_from:
        qs = qs.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_at__date__lte=filters.received_to)
    if filters.overdue is not None:
        late = (Q(status__in=[DossierStatus.RECEIVED, DossierStatus.PROCESSING],
                  due_at__lt=timezone.now())
                | Q(status=DossierStatus.SUPPLEMENT, remaining_seconds__lt=0))
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
                 "(result: the electronic result, or none for paper), withdraw (reason). "
                 "The applicant's account: answer_supplement (note and/or documents: the clock "
                 "restarts), rate (level 1-5, comment) once resolved. 403 without the right, "
                 "400 when the dossier's status does not allow the action."))
def act(request: HttpRequest, code: str, action: DossierAction,
        payload: ActionIn | None = None) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    p = payload or ActionIn.model_validate({})
    dossier = _dossier(user, code)
    errors: dict[str, list[str]] = {}
    reason = p.reason.strip() or p.note.strip()
    if action == DossierAction.ASSIGN:
        unit = (_find(Unit, "unit", errors, code=p.unit) if p.unit
                else dossier.assigned_unit or dossier.unit)
        officer = _find(User, "officer", errors, username=p.officer) if p.officer else None
        if errors:
            raise ValidationError(errors)
        with _body_fields():
            dossier_assign(actor=user, dossier=dossier, unit=unit, officer=officer,
                           note=p.note.strip())
    elif action == DossierAction.REQUEST_SUPPLEMENT:
        dossier_request_supplement(actor=user, dossier=dossier, reason=reason)
    elif action == DossierAction.RESUME:
        dossier_resume(actor=user, dossier=dossier, note=p.note.strip())
    elif action == DossierAction.APPROVE:
        dossier_approve(actor=user, dossier=dossier, note=p.note.strip())
    elif action == DossierAction.REFUSE:
        dossier_refuse(actor=user, dossier=dossier, reason=reason)
    elif action == DossierAction.RETURN_RESULT:
        result = _decode("result", p.result, errors) if p.result else None
        if errors:
            raise ValidationError(errors)
        with _body_fields({"file": "result"}):
            dossier_return_result(actor=user, dossier=dossier, result=result)
    elif action == DossierAction.WITHDRAW:
        dossier_withdraw(actor=user, dossier=dossier, reason=reason)
    elif action == DossierAction.ANSWER_SUPPLEMENT:
        files = _decode_all("documents", p.documents, errors)
        if errors:
            raise ValidationError(errors)
        with _body_fields({code: f"documents.{code}" for code in files}):
            dossier_answer_supplement(account=user, dossier=dossier, note=p.note, files=files)
    elif action == DossierAction.RATE:
        dossier_rate(account=user, dossier=dossier, level=p.level or 0, comment=p.comment)
    return _dossier(user, code)
