"""What the pages show of signing and of the exchange with other agencies: on a document's
page, the PDFs the clerk may sign with the organisation's certificate, whether the document
may be sent, and its packages with the receivers' last statuses; on the exchange page, the
packages of the units a person follows, grouped by what became of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from tinhso.accounts.permissions import may, scope_paths
from tinhso.audit.selectors import audit_events
from tinhso.core.db import within_paths
from tinhso.documents import audit_events as office_events
from tinhso.documents.access import visible_documents
from tinhso.documents.models import Attachment, Direction, Document, Exchange, Status

SIGNED_SUFFIX = ".signed.pdf"
ROWS_PER_GROUP = 200


@dataclass
class ExchangePanel:
    """The signing and exchange part of a document's page."""

    signable: list[Attachment] = field(default_factory=list)
    may_send: bool = False
    rows: list[Exchange] = field(default_factory=list)


def _signing_configured() -> bool:
    from tinhso.documents.signing import signing_configured  # local: pyHanko loads on use

    return signing_configured()


def signable_files(document: Document, files: list[Attachment]) -> list[Attachment]:
    """The PDFs of an outgoing document not yet sent that have no copy signed here."""
    if document.direction != Direction.OUTGOING or document.status == Status.SENT:
        return []
    signed = {a.name.lower() for a in files if a.signed_here}
    return [a for a in files if a.name.lower().endswith(".pdf") and not a.signed_here
            and a.name[:-4].lower() + SIGNED_SUFFIX not in signed]


def may_send(user: Any, document: Document) -> bool:
    """An issued outgoing document with addressees outside this installation, for its
    clerk (the service checks everything again)."""
    return (document.direction == Direction.OUTGOING and document.status == Status.ISSUED
            and document.number is not None and not document.confidential
            and document.recipients.filter(unit__isnull=True).exists()
            and may(user, "documents.register", document.unit))


def document_panel(user: Any, document: Document) -> ExchangePanel:
    """What the page of ``document`` (which ``user`` sees) shows of signing and exchange."""
    clerk = may(user, "documents.register", document.unit)
    panel = ExchangePanel(rows=list(document.exchanges.order_by("-at", "-id")))
    if clerk and document.direction == Direction.OUTGOING:
        if _signing_configured():
            panel.signable = signable_files(document, list(document.attachments.all()))
        panel.may_send = may_send(user, document)
    return panel


def attachment_to_sign(document: Document, file_id: int) -> Attachment | None:
    return document.attachments.filter(pk=file_id).first()


def follows_exchange(user: Any) -> bool:
    return scope_paths(user, "documents.exchange") != []


def _followed(user: Any) -> QuerySet[Exchange]:
    """The packages of the documents ``user`` sees at the units whose exchange they follow,
    and the refused packages of those units."""
    paths = scope_paths(user, "documents.exchange")
    documents = visible_documents(user)
    refused = audit_events(action=office_events.DOCUMENT_REFUSED, object_type="documents.exchange",
                           unit_paths=paths).values_list("object_id", flat=True)
    refused_ids = [int(pk) for pk in refused if pk.isdigit()]
    if paths is None:
        mine = Q(document__isnull=True, outbound=False)
    else:
        documents = documents.filter(within_paths("unit__path", paths))
        mine = Q(pk__in=refused_ids)
    return Exchange.objects.filter(Q(document__in=documents.values("pk")) | mine)


@dataclass
class Overview:
    """The exchange page: each group newest first."""

    waiting: list[Exchange]
    failed: list[Exchange]
    sent: list[Exchange]
    acknowledged: list[Exchange]
    received: list[Exchange]
    refused: list[Exchange]

    @property
    def empty(self) -> bool:
        return not any((self.waiting, self.failed, self.sent, self.acknowledged,
                        self.received, self.refused))


def overview(user: Any) -> Overview:
    rows = _followed(user).select_related("document", "document__unit").order_by("-at", "-id")
    state = Exchange.State

    def group(outbound: bool, *states: str) -> list[Exchange]:
        return list(rows.filter(outbound=outbound, state__in=states)[:ROWS_PER_GROUP])

    return Overview(waiting=group(True, state.WAITING), failed=group(True, state.FAILED),
                    sent=group(True, state.SENT),
                    acknowledged=group(True, state.ACKNOWLEDGED, state.REJECTED),
                    received=group(False, state.RECEIVED), refused=group(False, state.REJECTED))
