"""The document of an edXML package and its status messages, as frozen dataclasses, with the
exchange's codes and limits (see :mod:`tinhso.documents.edxml` for the format). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
XLINK = "http://www.w3.org/1999/xlink"
VIETNAM = timezone(timedelta(hours=7), "ICT")
ENVELOPE_CID = "edxml"

# Status codes of the exchange (StatusCode).
STATUS_RECEIVED = "01"  # arrived at the recipient's system (Đã đến)
STATUS_REFUSED = "02"  # refused by the recipient (Từ chối tiếp nhận)
STATUS_ACCEPTED = "03"  # registered by the recipient's clerk (Đã tiếp nhận)
STATUS_ASSIGNED = "04"  # assigned for handling (Phân công)
STATUS_IN_PROGRESS = "05"  # being handled (Đang xử lý)
STATUS_DONE = "06"  # handled (Hoàn thành)
STATUS_CODES = (STATUS_RECEIVED, STATUS_REFUSED, STATUS_ACCEPTED, STATUS_ASSIGNED,
                STATUS_IN_PROGRESS, STATUS_DONE)

# Priority (OtherInfo/Priority): urgency of the document.
PRIORITY_NORMAL = "0"  # thường
PRIORITY_URGENT = "1"  # khẩn
PRIORITY_VERY_URGENT = "2"  # thượng khẩn
PRIORITY_IMMEDIATE = "3"  # hỏa tốc
PRIORITY_IMMEDIATE_TIMED = "4"  # hỏa tốc hẹn giờ

MB = 1024 * 1024


def _(message: str) -> str:
    """Marks a message for translation; the caller translates it (no Django here)."""
    return message


class PackageError(ValueError):
    """A package or status message that cannot be read or built: ``field`` names the element
    (``From/OrganId``, ``Manifest/Reference[2]``, ``package``...), ``message`` is an English
    msgid to translate, then to fill with ``params``."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        self.field, self.message, self.params = field, message, params
        super().__init__(f"{field}: {message % params if params else message}")


@dataclass(frozen=True)
class Limits:
    """What a received package may hold; anything beyond is refused before it is decoded."""

    max_package_bytes: int = 50 * MB
    max_attachments: int = 50
    max_attachment_bytes: int = 20 * MB  # each, decoded
    max_zip_uncompressed_bytes: int = 100 * MB  # declared total of a zip container
    max_zip_ratio: float = 100.0  # declared total / size of the container


@dataclass(frozen=True)
class Organ:
    organ_id: str  # the organisation's code (mã định danh)
    name: str = ""
    in_charge: str = ""  # OrganizationInCharge: the body above it
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Signer:
    full_name: str = ""
    position: str = ""
    competence: str = ""  # signs directly, on behalf of (thay mặt, thừa lệnh...)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class ResponseFor:
    """The earlier document a document or a status answers."""

    organ_id: str
    code: str  # number/notation, e.g. "12/UBND-VP"
    promulgation_date: date
    document_id: str


@dataclass(frozen=True)
class TraceHeader:
    organ_id: str
    timestamp: datetime


@dataclass(frozen=True)
class Message:
    sender: Organ
    recipients: tuple[Organ, ...]
    code_number: str
    code_notation: str
    promulgation_date: date
    document_type: str  # DocumentType/Type
    subject: str
    document_id: str  # the sender's unique id of the document (MessageHeader/DocumentId)
    type_name: str = ""
    type_detail: str = ""
    place: str = ""
    content: str = ""
    signer: Signer = Signer()
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: str = PRIORITY_NORMAL
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: tuple[str, ...] = ()
    steering_type: str = ""
    response_for: tuple[ResponseFor, ...] = ()
    trace: tuple[TraceHeader, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Status:
    response_for: ResponseFor
    sender: Organ
    code: str  # one of STATUS_CODES, or another code of the exchange
    description: str
    timestamp: datetime
    staff: str
    department: str = ""


def format_date(value: date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: datetime) -> str:
    local = value.astimezone(VIETNAM) if value.tzinfo else value
    return f"{format_date(local)} {local.hour:02d}:{local.minute:02d}:{local.second:02d}"


def check_message(message: Message) -> None:
    """Raise PackageError naming the first required field the message lacks."""
    required = (("From/OrganId", message.sender.organ_id),
                ("Code/CodeNumber", message.code_number),
                ("Code/CodeNotation", message.code_notation),
                ("DocumentType/Type", message.document_type),
                ("Subject", message.subject), ("DocumentId", message.document_id))
    for field, value in required[:1]:
        if not value.strip():
            raise PackageError(field, _("is missing or empty"))
    if not message.recipients:
        raise PackageError("To", _("names no recipient"))
    for position, organ in enumerate(message.recipients, start=1):
        if not organ.organ_id.strip():
            raise PackageError(f"To[{position}]/OrganId", _("is missing or empty"))
    for field, value in required[1:]:
        if not value.strip():
            raise PackageError(field, _("is missing or empty"))

