"""The clerk's writes: an incoming document registered with its arrival number, an outgoing
one drafted, then numbered and issued (and delivered to the addressees of this installation).
Each is one transaction: the document, its files, its step and the audit event land together or
not at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.documents import audit_events, numbering, rules
from tinhso.documents.models import Direction, Document, Recipient, Status, StepKind
from tinhso.documents.services.base import check_metadata, raise_if, refresh_search, step
from tinhso.documents.services.delivery import deliver_internal, mark_answered
from tinhso.documents.services.files import attach_uploads, check_files
from tinhso.units.models import Unit

INCOMING_FIELDS = {"issuer_code", "issuer_name", "number", "notation", "kind", "issued_on",
                   "place", "subject", "content", "signer_name", "signer_position",
                   "signer_competence", "priority", "page_count", "copies", "due_on",
                   "assigns_work", "confidential", "electronic", "exchange_id", "trace"}


def duplicate_of(unit: Unit, fields: dict[str, Any]) -> Document | None:
    """The incoming document of ``unit`` already registered with the same number, notation and
    issuing organisation (``rules.duplicate_key``)."""
    key = rules.duplicate_key(fields.get("issuer_code", ""), fields.get("number"),
                              fields.get("notation", ""))
    for other in Document.objects.filter(unit=unit, direction=Direction.INCOMING,
                                         number=fields.get("number"),
                                         issuer_code__iexact=key[0]):
        if rules.duplicate_key(other.issuer_code, other.number, other.notation) == key:
            return other
    return None


@transaction.atomic
def incoming_register(*, actor: Any, unit: Unit, files: Sequence[UploadedFile] = (),
                      readers: Sequence[Any] = (), confirm_duplicate: bool = False,
                      now: datetime | None = None, **fields: Any) -> Document:
    """Register an incoming document at ``unit``: the next arrival number of its register of
    the year. A document already registered (same number, notation and issuer) is refused
    unless ``confirm_duplicate`` (the clerk saw the warning and registers it again)."""
    require(actor, "documents.register", unit)
    unknown = set(fields) - INCOMING_FIELDS
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    now = timezone.localtime(now or timezone.now())
    errors = check_metadata(fields, today=now.date(), incoming=True)
    if not errors and not confirm_duplicate:
        earlier = duplicate_of(unit, fields)
        if earlier is not None:
            errors["notation"] = [_(
                "Already registered: arrival number %(arrival)s of %(year)s, on %(day)s. "
                "Tick \"register again\" if this is another copy to keep.") % {
                "arrival": earlier.arrival_number, "year": earlier.year,
                "day": f"{timezone.localtime(earlier.arrived_at):%d/%m/%Y}"}]
    if confidential_without_readers(fields, readers, actor):
        errors["readers"] = [_("Name who may read a confidential document.")]
    raise_if(errors)
    check_files(files)
    document = Document(direction=Direction.INCOMING, unit=unit, year=now.year,
                        status=Status.REGISTERED, arrived_at=now, created_by=actor, **fields)
    document.arrival_number = numbering.next_number(unit.pk, Direction.INCOMING, now.year)
    refresh_search(document)
    document.save()
    if document.confidential:
        document.readers.set({*readers, actor})
    attach_uploads(document, files)
    step(document, StepKind.REGISTERED, actor, at=now, arrival_number=document.arrival_number)
    audit_record(actor=actor, action=audit_events.DOCUMENT_REGISTERED, obj=document, unit=unit,
                 details={"arrival_number": document.arrival_number, "code": document.code,
                          "issuer": document.issuer_code, "duplicate": confirm_duplicate})
    return document


def confidential_without_readers(fields: dict[str, Any], readers: Sequence[Any],
                                 actor: Any) -> bool:
    return bool(fields.get("confidential")) and not [r for r in readers if r != actor]


@transaction.atomic
def outgoing_draft(*, actor: Any, unit: Unit, kind: str, notation: str, subject: str,
                   recipients: Sequence[Unit] = (), external: Sequence[tuple[str, str]] = (),
                   reply_to: Document | None = None, files: Sequence[UploadedFile] = (),
                   readers: Sequence[Any] = (), **fields: Any) -> Document:
    """Draft an outgoing document of ``unit`` (numbered when the clerk issues it). ``reply_to``:
    the incoming document it answers; ``external``: (organisation code, name) of addressees
    outside this installation."""
    require(actor, "documents.handle", unit)
    today = timezone.localdate()
    data = {"issuer_code": unit.agency_code, "issuer_name": unit.name, "kind": kind,
            "subject": subject, **fields}
    errors = check_metadata(data, today=today, incoming=False)
    if not recipients and not external:
        errors["recipients"] = [_("Give at least one addressee.")]
    if reply_to is not None and reply_to.direction != Direction.INCOMING:
        errors["reply_to"] = [_("An answer answers an incoming document.")]
    if confidential_without_readers(fields, readers, actor):
        errors["readers"] = [_("Name who may read a confidential document.")]
    raise_if(errors)
    check_files(files)
    document = Document(direction=Direction.OUTGOING, unit=unit, year=today.year,
                        status=Status.DRAFT, notation=" ".join(notation.split()),
                        reply_to=reply_to, created_by=actor, **data)
    refresh_search(document)
    document.save()
    if document.confidential:
        document.readers.set({*readers, actor})
    Recipient.objects.bulk_create(
        [Recipient(document=document, unit=u, organ_code=u.agency_code, organ_name=u.name)
         for u in recipients]
        + [Recipient(document=document, organ_code=code.strip(), organ_name=name.strip())
           for code, name in external])
    attach_uploads(document, files)
    step(document, StepKind.DRAFT, actor, subject=subject)
    audit_record(actor=actor, action=audit_events.DOCUMENT_DRAFTED, obj=document, unit=unit,
                 details={"subject": subject, "reply_to": reply_to.pk if reply_to else None})
    return document


@transaction.atomic
def outgoing_issue(*, actor: Any, document: Document, signer_name: str = "",
                   signer_position: str = "", now: datetime | None = None) -> Document:
    """Number and issue a drafted outgoing document (the next number of its issuing body's
    register of the year, without gaps under concurrency), deliver it to the addressees of this
    installation, and mark the document it answers as answered."""
    document = Document.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=document.pk)
    require(actor, "documents.register", document.unit)
    if document.status != Status.DRAFT:
        raise ValidationError({"status": _("Only a draft is numbered and issued.")})
    now = timezone.localtime(now or timezone.now())
    document.signer_name = signer_name or document.signer_name
    document.signer_position = signer_position or document.signer_position
    if not document.signer_name:
        raise ValidationError({"signer_name": _("Give who signed the document.")})
    document.year = now.year
    document.issued_on = now.date()
    document.status = Status.ISSUED
    document.number = numbering.next_number(document.unit_id, Direction.OUTGOING, now.year)
    refresh_search(document)
    document.save()
    step(document, StepKind.ISSUED, actor, at=now, number=document.number,
         code=document.code)
    audit_record(actor=actor, action=audit_events.DOCUMENT_ISSUED, obj=document,
                 unit=document.unit, details={"code": document.code})
    deliver_internal(document, actor, now)
    if document.reply_to_id:
        mark_answered(document, actor, now)
    return document
