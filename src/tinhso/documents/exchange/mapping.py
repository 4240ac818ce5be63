"""A document of the office as an edXML message and back: every field of Decree 30/2020's
metadata that the national format carries (From, To, Code, PromulgationInfo, DocumentType,
Subject, Content, SignerInfo, DueDate, OtherInfo, ResponseFor, TraceHeaderList, DocumentId) and
the files. Reading a message from outside checks what the registers need (a numeric number,
lengths that fit, a date not after today) and refuses with a ``PackageError`` naming the
element, before anything is written."""

from __future__ import annotations

import mimetypes
import re
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext_noop

from tinhso.documents import edxml
from tinhso.documents.models import Direction, Document, Priority
from tinhso.documents.services.base import check_metadata
from tinhso.documents.services.delivery import exchange_id
from tinhso.units.models import Unit

# DocumentType/Type: 1 a legal normative document (văn bản quy phạm pháp luật), 2 an
# administrative one; the kind's name travels as TypeName.
NORMATIVE_KINDS = {"luật", "pháp lệnh", "nghị định", "thông tư", "thông tư liên tịch"}

# The element of the package each field of an incoming document comes from (for errors).
ELEMENTS = {
    "issuer_code": "From/OrganId", "issuer_name": "From/OrganName",
    "number": "Code/CodeNumber", "notation": "Code/CodeNotation",
    "kind": "DocumentType/TypeName", "issued_on": "PromulgationInfo/PromulgationDate",
    "place": "PromulgationInfo/Place", "subject": "Subject", "content": "Content",
    "signer_name": "SignerInfo/FullName", "signer_position": "SignerInfo/Position",
    "signer_competence": "SignerInfo/Competence", "priority": "OtherInfo/Priority",
    "page_count": "OtherInfo/PageAmount", "copies": "OtherInfo/PromulgationAmount",
    "due_on": "DueDate", "exchange_id": "DocumentId",
}
MAX_NUMBER = 2_147_483_647


def organ_of(unit: Unit) -> edxml.Organ:
    """A unit of this installation as the exchange names it (its agency code is its
    OrganId)."""
    parent = unit.parent.name if unit.parent_id and unit.parent else ""
    return edxml.Organ(organ_id=unit.agency_code, name=unit.name, in_charge=parent)


def response_for(document: Document) -> edxml.ResponseFor | None:
    """How a status or an answer names ``document`` (None without a date of issue)."""
    if document.issued_on is None:
        return None
    return edxml.ResponseFor(organ_id=document.issuer_code, code=document.code,
                             promulgation_date=document.issued_on,
                             document_id=exchange_id(document))


def _trace(document: Document, now: datetime) -> tuple[edxml.TraceHeader, ...]:
    earlier = []
    for entry in document.trace or []:
        if isinstance(entry, dict) and entry.get("timestamp") and entry.get("organ_id"):
            earlier.append(edxml.TraceHeader(str(entry["organ_id"]),
                                             datetime.fromisoformat(str(entry["timestamp"]))))
    return (*earlier, edxml.TraceHeader(document.issuer_code, now))


def _file(attachment: Any) -> edxml.Attachment:
    with attachment.file.open("rb") as handle:
        data = handle.read()
    content_type = (attachment.content_type or mimetypes.guess_type(attachment.name)[0]
                    or "application/octet-stream")
    return edxml.Attachment(name=attachment.name, content_type=content_type, data=data)


def message_for(document: Document, now: datetime) -> edxml.Message:
    """The edXML message of an issued outgoing document, addressed to all its addressees."""
    answered = response_for(document.reply_to) if document.reply_to is not None else None
    kind_type = "1" if document.kind.strip().lower() in NORMATIVE_KINDS else "2"
    return edxml.Message(
        sender=edxml.Organ(organ_id=document.issuer_code, name=document.issuer_name,
                           in_charge=organ_of(document.unit).in_charge),
        recipients=tuple(edxml.Organ(r.organ_code, r.organ_name)
                         for r in document.recipients.all()),
        code_number=str(document.number or ""), code_notation=document.notation,
        promulgation_date=document.issued_on or now.date(), place=document.place,
        document_type=kind_type, type_name=document.kind, subject=document.subject,
        content=document.content,
        signer=edxml.Signer(full_name=document.signer_name, position=document.signer_position,
                            competence=document.signer_competence),
        due_date=document.due_on, priority=document.priority,
        promulgation_amount=document.copies, page_amount=document.page_count,
        response_for=(answered,) if answered else (), trace=_trace(document, now),
        document_id=exchange_id(document),
        attachments=tuple(_file(a) for a in files_to_send(document)))


def files_to_send(document: Document) -> list[Any]:
    """The document's files, a PDF signed here standing for the original beside it."""
    files = list(document.attachments.all())
    signed = {a.name.removesuffix(".signed.pdf") for a in files
              if a.signed_here and a.name.endswith(".signed.pdf")}
    return [a for a in files if a.signed_here or a.name.removesuffix(".pdf") not in signed]


def _number(raw: str) -> int:
    if not raw.strip().isdigit() or not 0 < int(raw) <= MAX_NUMBER:
        raise edxml.PackageError("Code/CodeNumber", gettext_noop(
            "is not a document number (%(value)s)"), value=raw[:40])
    return int(raw)


def _priority(raw: str) -> str:
    """The urgency: 0..3 as they are, 4 (express at a set time) as express, else normal."""
    if raw == edxml.PRIORITY_IMMEDIATE_TIMED:
        return Priority.EXPRESS
    return raw if raw in Priority.values else Priority.NORMAL


def trace_of(message: edxml.Message) -> list[dict[str, Any]]:
    """The earlier documents and the systems the package passed through, as stored."""
    answered = [{"organ_id": r.organ_id, "code": r.code,
                 "issued_on": r.promulgation_date.isoformat(), "document_id": r.document_id}
                for r in message.response_for]
    passed = [{"organ_id": t.organ_id, "timestamp": t.timestamp.isoformat()}
              for t in message.trace]
    return answered + passed


def incoming_fields(message: edxml.Message, today: date) -> dict[str, Any]:
    """The fields of the incoming document ``message`` becomes; PackageError naming the
    element when one does not fit the registers."""
    fields: dict[str, Any] = {
        "issuer_code": message.sender.organ_id, "number": _number(message.code_number),
        "issuer_name": message.sender.name or message.sender.organ_id,
        "notation": " ".join(message.code_notation.split()),
        "kind": message.type_name or message.type_detail or message.document_type,
        "issued_on": message.promulgation_date, "place": message.place,
        "subject": message.subject, "content": message.content,
        "signer_name": message.signer.full_name, "signer_position": message.signer.position,
        "signer_competence": message.signer.competence, "priority": _priority(message.priority),
        "page_count": message.page_amount or None, "copies": message.promulgation_amount,
        "due_on": message.due_date, "exchange_id": message.document_id,
    }
    for name, value in fields.items():
        limit = getattr(Document._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise edxml.PackageError(ELEMENTS[name], gettext_noop(
                "is longer than %(limit)d characters"), limit=limit)
    for name, messages in check_metadata(fields, today=today, incoming=True).items():
        raise edxml.PackageError(ELEMENTS.get(name, name), str(messages[0]))
    return {**fields, "trace": trace_of(message)}


def answered_document(message: edxml.Message) -> Document | None:
    """Our outgoing document that ``message`` answers (its ResponseFor names our DocumentId)."""
    for answered in message.response_for:
        ours = Document.objects.filter(direction=Direction.OUTGOING,
                                       exchange_id=answered.document_id)
        if answered.organ_id:  # the issuer leads an index; DocumentId alone has none
            ours = ours.filter(issuer_code=answered.organ_id)
        found = ours.first()
        if found is not None:
            return found
    return None


_STORABLE = re.compile(r"(?u)[^-\w.]")


def file_name(name: str, position: int, content_type: str = "") -> str:
    """A file name from outside made safe to store: its last path part, printable, without a
    leading dot; ``attachment-N`` (with a suffix for its type) when nothing usable is left."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable()).strip().lstrip(".")[:200]
    if _STORABLE.sub("", base.replace(" ", "_")).strip(".") == "":
        suffix = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
        base = f"attachment-{position}{suffix}"
    return base
