"""Statuses between the sender and the receiver of a document.

Arriving: a status message names the document it answers (ResponseFor/DocumentId); it is
recorded on the outbound package to that organisation (state acknowledged, or rejected for a
refusal; the furthest stage reached is kept: a late "received" does not undo "done") and as a
"status" step of the sent document, so the sender's clerk sees it.

Leaving: once a document received through the exchange is assigned, handled, answered or
closed here, a status for each stage (04 assigned, 05 in progress, 06 done) is queued for its
sender. The handling services stay unaware of the exchange: a listener on their steps
(``on_step``, registered with ``services.base.listen_to_steps`` by the app) queues it in the
same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import tinhso.documents.exchange.mapping as mapping
from tinhso.documents import edxml
from tinhso.documents.exchange.outbound import STATUS_SUFFIX, queue_status
from tinhso.documents.models import Direction, Document, Exchange, Status, Step, StepKind
from tinhso.documents.services.base import listen_to_steps, step

OPEN_HANDLED = (Status.DIRECTED, Status.HANDLING)

# Stages of the handling, in order: a status is recorded only when it goes further.
PROGRESS = {edxml.STATUS_RECEIVED: 1, edxml.STATUS_ACCEPTED: 3, edxml.STATUS_ASSIGNED: 4,
            edxml.STATUS_IN_PROGRESS: 5, edxml.STATUS_DONE: 6}

HANDLING: dict[str, str] = {
    StepKind.DIRECTED: edxml.STATUS_ASSIGNED, StepKind.COMMENT: edxml.STATUS_IN_PROGRESS,
    StepKind.DRAFT: edxml.STATUS_IN_PROGRESS, StepKind.ANSWERED: edxml.STATUS_DONE,
    StepKind.CLOSED: edxml.STATUS_DONE}


def is_status_message(name: str, data: bytes) -> bool:
    """A status rather than a package: by the name this platform gives, else by its content
    (an XML envelope holding a Status and no MessageHeader)."""
    if name.endswith("." + STATUS_SUFFIX):
        return True
    head = data[:65536]
    return (data.lstrip().removeprefix(b"\xef\xbb\xbf")[:1] == b"<"
            and b"MessageHeader" not in head and b"Status" in head)


def _rank(code: str) -> int:
    return PROGRESS.get(code, int(code) if code.isdigit() else 0)


@transaction.atomic
def record_status(*, data: bytes) -> Exchange:
    """Record the status message ``data`` on the package it answers; PackageError when it
    cannot be read or answers nothing sent from here."""
    status = edxml.parse_status(data)
    answered, organ = status.response_for.document_id, status.sender.organ_id
    row = (Exchange.objects.select_for_update(of=("self",)).select_related("document")
           .filter(outbound=True, peer_code=organ, document__direction=Direction.OUTGOING,
                   document__exchange_id=answered)
           .exclude(package_name__endswith="." + STATUS_SUFFIX).first())
    if row is None or row.document is None:
        raise edxml.PackageError("ResponseFor/DocumentId", gettext_noop(
            "names no document sent from here to %(organ)s (%(id)s)"),
            organ=organ[:40], id=answered[:120])
    further = _rank(status.code) >= _rank(row.status_code)
    if status.code == edxml.STATUS_REFUSED or (row.state != Exchange.State.REJECTED
                                               and further):
        row.state = (Exchange.State.REJECTED if status.code == edxml.STATUS_REFUSED
                     else Exchange.State.ACKNOWLEDGED)
        row.status_code, row.status_text = status.code[:4], status.description[:300]
    row.save(update_fields=["state", "status_code", "status_text", "updated_at"])
    seen = Step.objects.filter(document=row.document, kind=StepKind.STATUS,
                               details__code=status.code, details__organ=organ).exists()
    if not seen:
        step(row.document, StepKind.STATUS, status.sender.name or organ, status.description,
             code=status.code, organ=organ, staff=status.staff,
             at=status.timestamp)
    return row


def _describe(entry: Step, document: Document) -> str:
    if entry.kind == StepKind.DIRECTED:
        due = entry.details.get("due_on", "")
        day = f"{due[8:10]}/{due[5:7]}/{due[:4]}" if len(due) == 10 else due
        return _("Assigned to %(unit)s, due %(day)s.") % {
            "unit": entry.details.get("lead_unit", ""), "day": day}
    if entry.kind == StepKind.ANSWERED:
        return _("Answered by document %(code)s.") % {"code": entry.details.get("code", "")}
    if entry.kind == StepKind.CLOSED:
        return _("Handled and closed: %(reason)s") % {"reason": entry.text}
    return _("Being handled by %(unit)s.") % {
        "unit": entry.unit.name if entry.unit_id and entry.unit else document.unit.name}


def handling_status(entry: Step) -> Exchange | None:
    """The status a handling step of a document received through the exchange tells its
    sender (each stage once), queued; None when there is none to tell."""
    code = HANDLING.get(entry.kind)
    document = entry.document
    if code is None or document.direction != Direction.INCOMING:
        return None
    if code == edxml.STATUS_IN_PROGRESS and document.status not in OPEN_HANDLED:
        return None  # a comment before the direction, or after the end, tells nothing new
    inbound = Exchange.objects.filter(document=document, outbound=False,
                                      state=Exchange.State.RECEIVED).first()
    answered = mapping.response_for(document)
    if inbound is None or answered is None:
        return None
    if Exchange.objects.filter(document=document, outbound=True, status_code=code).exists():
        return None
    return queue_status(document=document, to=inbound.peer_code,
                        sender=mapping.organ_of(document.unit), answered=answered, code=code,
                        description=_describe(entry, document), staff=entry.actor_label)


def on_step(entry: Step) -> None:
    """A new step of the handling of a document received through the exchange: tell its
    sender."""
    if entry.kind in HANDLING:
        handling_status(entry)


def connect() -> None:
    listen_to_steps(on_step)
