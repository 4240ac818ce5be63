"""The request and response bodies of the dossier API (``dossier_api``)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from ninja import Field, Schema

from tinhso.core.api_files import DocumentIn
from tinhso.core.api_schemas import ISODate, ISODateTime
from tinhso.procedures import workflow
from tinhso.procedures.access import available_actions, is_staff
from tinhso.procedures.models import Channel, Dossier, DossierStatus, Rating
from tinhso.procedures.selectors import event_label, is_overdue


def _rating(dossier: Dossier) -> Rating | None:
    try:
        return dossier.rating
    except Rating.DoesNotExist:
        return None


def event_out(event: Any, staff: bool) -> dict[str, Any]:
    """A history event as the API shows it: who acted only to staff."""
    out = {"at": event.at, "action": event.action, "label": event_label(event.action),
           "status": event.status, "note": event.note}
    if staff:
        out["actor"] = event.actor_repr
    return out


class ApplicantIn(Schema):
    name: str
    phone: str = Field(description="A Vietnamese phone number; the dossier is looked up with it")
    email: str = ""


class DossierIn(Schema):
    procedure: str = Field(description="The procedure's code (GET /procedures/{code}/ gives its "
                                       "documents, form and receiving agencies)")
    unit: str = Field(description="The code of the agency that receives the dossier")
    applicant: ApplicantIn
    form: dict[str, Any] = Field(default_factory=dict,
                                 description="The procedure's form: field name -> answer")
    documents: dict[str, DocumentIn] = Field(
        default_factory=dict, description="The procedure's documents: document code -> file")
    channel: Channel = Field(Channel.ONLINE, description=(
        "online (a citizen or business account submits), or in_person / postal: an officer "
        "who may receive dossiers at the unit records a desk receipt"))
    digitised: bool = Field(False, description="Desk receipts: the paper documents were "
                                               "scanned (implied when documents are attached)")
    reused_data: bool = Field(False, description="Desk receipts: digitised data already held "
                                                 "was reused (Decision 766 item 4.3)")
    population_data: bool = Field(False, description="Desk receipts: data from the national "
                                                     "population database was used (item 4.5b)")


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
        return is_overdue(obj)


class DossierOut(DossierSummaryOut):
    form: dict[str, Any]
    supplement_count: int
    remaining_seconds: int | None = Field(description="While the clock is stopped: the working "
                                                      "time that was left (negative: late)")
    fee_payable: bool
    paid_online: bool
    digitised: bool
    reused_data: bool = Field(description="The officer reused digitised data (Decision 766 "
                                          "item 4.3)")
    population_data: bool = Field(description="The national population database was used "
                                              "(item 4.5b)")
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
        return available_actions(context["request"].auth, obj, rated=_rating(obj) is not None)

    @staticmethod
    def resolve_files(obj: Dossier) -> list[Any]:
        return list(obj.files.all())

    @staticmethod
    def resolve_history(obj: Dossier, context: dict[str, Any]) -> list[dict[str, Any]]:
        # Who did what is for staff; the applicant sees the public history.
        staff = is_staff(context["request"].auth)
        return [{"actor": "", **event_out(e, staff=staff)} for e in obj.events.all()]

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
    overdue: bool = Field(description="Open and past its due time (the same word as the "
                                      "applicant's page and the desk)")
    history: list[EventOut]


class DossierFilter(Schema):
    status: DossierStatus | None = None
    unit: str | None = Field(None, description="A unit code: dossiers received or assigned "
                                               "there, or below")
    procedure: str | None = Field(None, description="A procedure code")
    channel: Channel | None = None
    overdue: bool | None = Field(None, description="true: open dossiers past their due time; "
                                                   "false: the others")
    received_from: ISODate | None = Field(None, description="Received on or after (YYYY-MM-DD)")
    received_to: ISODate | None = Field(None, description="Received on or before (YYYY-MM-DD)")


# Every action of the workflow registry (``procedures.workflow``).
DossierAction = StrEnum(  # type: ignore[misc]
    "DossierAction", {name.upper(): name for name in workflow.ACTIONS})


class ActionIn(Schema):
    note: str = Field("", description="A note kept in the dossier's history (assign, resume, "
                                      "approve, answer_supplement)")
    reason: str = Field("", description="Required by request_supplement, refuse, withdraw and "
                                        "apologise (the note is taken when it is empty)")
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
    new_due_at: ISODateTime | None = Field(None, description="apologise: the new appointment")
    text: str = Field("", description="complain: the complaint")
