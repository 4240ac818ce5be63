"""What issuing an outgoing document sets off inside this installation: each addressee that is
a unit here receives it in its incoming register at once (nothing retyped, nothing printed),
and the incoming document it answers is marked answered, its handling slip closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tinhso.audit.services import audit_record
from tinhso.documents import audit_events, numbering
from tinhso.documents.models import (
    Assignment,
    Attachment,
    Direction,
    Document,
    Status,
    StepKind,
)
from tinhso.documents.services.base import refresh_search, step
from tinhso.documents.services.files import attach
from tinhso.units.models import Unit

COPIED = ("issuer_code", "issuer_name", "number", "notation", "kind", "issued_on", "place",
          "subject", "content", "signer_name", "signer_position", "signer_competence",
          "priority", "page_count", "copies", "due_on", "assigns_work", "confidential")


def received_copy(source: Document, unit: Unit, actor: Any, now: datetime) -> Document:
    """``source`` registered in the incoming register of ``unit``."""
    copy = Document(direction=Direction.INCOMING, unit=unit, year=now.year,
                    status=Status.REGISTERED, arrived_at=now, electronic=True,
                    exchange_id=exchange_id(source),
                    trace=[*source.trace, {"organ_id": source.issuer_code, "code": source.code,
                                           "issued_on": source.issued_on.isoformat()
                                           if source.issued_on else ""}],
                    **{f: getattr(source, f) for f in COPIED})
    copy.arrival_number = numbering.next_number(unit.pk, Direction.INCOMING, now.year)
    refresh_search(copy)
    copy.save()
    if source.confidential:
        copy.readers.set(source.readers.all())
    return copy


def exchange_id(document: Document) -> str:
    """The document's id across installations (edXML DocumentId): issuer, year, number."""
    return document.exchange_id or f"{document.issuer_code},{document.year},{document.number}"


def deliver_internal(document: Document, actor: Any, now: datetime) -> list[Document]:
    """Register ``document`` with each addressee that is a unit of this installation."""
    delivered = []
    for recipient in document.recipients.filter(unit__isnull=False).select_related("unit"):
        assert recipient.unit is not None
        copy = received_copy(document, recipient.unit, actor, now)
        for attachment in Attachment.objects.filter(document=document):
            with attachment.file.open("rb") as handle:
                attach(copy, attachment.name, handle.read(), attachment.content_type)
        step(copy, StepKind.RECEIVED, actor, at=now, sender=document.unit.name,
             code=document.code)
        audit_record(actor=actor, action=audit_events.DOCUMENT_RECEIVED, obj=copy,
                     unit=recipient.unit, details={"from": document.issuer_code,
                                                   "code": document.code,
                                                   "arrival_number": copy.arrival_number})
        delivered.append(copy)
    if delivered:
        Document.objects.filter(pk=document.pk).update(status=Status.SENT)
        document.status = Status.SENT
        step(document, StepKind.SENT, actor, at=now, to=[d.unit_id for d in delivered])
    return delivered


def mark_answered(answer: Document, actor: Any, now: datetime) -> None:
    """The incoming document ``answer`` replies to is answered, its handling slip closed."""
    assert answer.reply_to_id is not None
    incoming = Document.objects.select_for_update(of=("self",)).get(pk=answer.reply_to_id)
    incoming.status = Status.ANSWERED
    incoming.save(update_fields=["status", "updated_at"])
    Assignment.objects.filter(document=incoming, closed_on__isnull=True).update(
        closed_on=now.date())
    step(incoming, StepKind.ANSWERED, actor, at=now, answer=answer.pk, code=answer.code)
    audit_record(actor=actor, action=audit_events.DOCUMENT_ANSWERED, obj=incoming,
                 unit=incoming.unit, details={"answer": answer.code})
