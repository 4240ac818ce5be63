"""Sending to other agencies: an issued document, once the clerk has signed it, becomes an
edXML package queued for each addressee outside this installation (``document_send``), a status
message is queued for the sender of a received document (``queue_status``), and
``exchange_send_pending`` hands what waits to the connector, each in a short write of its own
(no transaction is held while the connector works). A failure is kept (``attempts``,
``last_error``) and tried again after a back-off that doubles up to an hour; a resend carries
the same name, so the receiver gets it once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import tinhso.documents.exchange.mapping as mapping
from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.documents import audit_events, connectors, edxml
from tinhso.documents.models import Direction, Document, Exchange, Status, StepKind
from tinhso.documents.services.base import step
from tinhso.documents.services.delivery import exchange_id

logger = logging.getLogger(__name__)

STORE = "documents/exchange"
PACKAGE_SUFFIX = "edxml"
STATUS_SUFFIX = "status.xml"
RETRY_FIRST_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def active_connector() -> connectors.ExchangeConnector | None:
    """The connector ``TINHSO_DOCUMENT_EXCHANGE`` names (None: exchange off)."""
    options = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    return connectors.connector(settings.TINHSO_DOCUMENT_EXCHANGE, options)


def error_text(error: edxml.PackageError) -> str:
    """A package's fault in the current language, naming the element."""
    problem = _(error.message) % error.params if error.params else _(error.message)
    return _("%(element)s: %(problem)s") % {"element": error.field, "problem": problem}


def is_status(name: str) -> bool:
    return name.endswith("." + STATUS_SUFFIX)


def stored_path(row: Exchange) -> str:
    """Where the bytes of an outbound package or status are kept until (and after) sending."""
    return f"{STORE}/{row.document_id or 'refused'}/{row.package_name}"


def _store(path: str, data: bytes) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(data))
    assert saved == path, (saved, path)


def queue_status(*, document: Document | None, to: str, sender: edxml.Organ,
                 answered: edxml.ResponseFor, code: str, description: str,
                 staff: str = "") -> Exchange | None:
    """Queue a status message about ``answered`` for the organisation ``to`` (inside the
    caller's transaction). None when the document it answers has no id to name it by."""
    status = edxml.Status(response_for=answered, sender=sender, code=code,
                          description=description[:1000], timestamp=timezone.now(),
                          staff=staff[:200], department=sender.name)
    try:
        data = edxml.build_status(status)
    except edxml.PackageError:
        logger.warning("no status %s for %s: the package named no document id", code, to)
        return None
    name = connectors.exchange_name(f"{answered.document_id}|{sender.organ_id}|{code}",
                                    STATUS_SUFFIX)
    row = Exchange.objects.create(document=document, outbound=True, connector=_connector_name(),
                                  peer_code=to[:40], package_name=name,
                                  state=Exchange.State.WAITING, status_code=code,
                                  status_text=description[:300])
    _store(stored_path(row), data)
    return row


def _connector_name() -> str:
    return settings.TINHSO_DOCUMENT_EXCHANGE or "manual"


def send_errors(document: Document) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not settings.TINHSO_DOCUMENT_EXCHANGE:
        errors["exchange"] = [_("The exchange with other agencies is off "
                                "(TINHSO_DOCUMENT_EXCHANGE is empty).")]
    if document.direction != Direction.OUTGOING or document.number is None:
        errors["status"] = [_("Only an issued outgoing document is sent to other agencies.")]
    if document.confidential:
        errors["confidential"] = [_("A confidential document is not sent through the "
                                    "electronic exchange.")]
    if not document.notation:
        errors["notation"] = [_("The exchange needs the document's notation (the BC-UBND of "
                                "15/BC-UBND).")]
    if not document.recipients.filter(unit__isnull=True).exists():
        errors["recipients"] = [_("The document has no addressee outside this installation.")]
    return errors


@transaction.atomic
def document_send(*, actor: Any, document: Document, now: datetime | None = None
                  ) -> list[Exchange]:
    """Queue ``document`` as an edXML package for each addressee outside this installation
    not queued yet (sent later by ``exchange_send_pending``); the steps and the audit event
    land with the queue rows."""
    document = Document.objects.select_for_update(of=("self",)).select_related(
        "unit", "reply_to").get(pk=document.pk)
    require(actor, "documents.register", document.unit)
    errors = send_errors(document)
    if errors:
        raise ValidationError(errors)
    return queue_package(actor, document, timezone.localtime(now or timezone.now()))


def queue_package(actor: Any, document: Document, now: datetime) -> list[Exchange]:
    """``document_send`` once checked."""
    queued = set(Exchange.objects.filter(document=document, outbound=True)
                 .exclude(package_name__endswith="." + STATUS_SUFFIX)
                 .values_list("peer_code", flat=True))
    addressees = [r for r in document.recipients.filter(unit__isnull=True)
                  if r.organ_code not in queued]
    if not addressees:
        return []
    if not document.exchange_id:
        document.exchange_id = exchange_id(document)
        document.save(update_fields=["exchange_id", "updated_at"])
    try:
        data = edxml.build_package(mapping.message_for(document, now))
    except edxml.PackageError as exc:
        raise ValidationError({"package": [error_text(exc)]}) from exc
    name = connectors.exchange_name(document.exchange_id, PACKAGE_SUFFIX)
    rows = [Exchange.objects.create(document=document, outbound=True,
                                    connector=_connector_name(), peer_code=r.organ_code,
                                    peer_name=r.organ_name, package_name=name,
                                    state=Exchange.State.WAITING) for r in addressees]
    _store(stored_path(rows[0]), data)
    Document.objects.filter(pk=document.pk).update(status=Status.SENT)
    document.status = Status.SENT
    codes = [r.organ_code for r in addressees]
    step(document, StepKind.SENT, actor, _("Queued for the exchange"), to=codes, package=name)
    audit_record(actor=actor, action=audit_events.DOCUMENT_SENT, obj=document,
                 unit=document.unit, details={"to": codes, "package": name,
                                              "code": document.code})
    return rows


def package_export(*, actor: Any, document: Document, now: datetime | None = None
                   ) -> tuple[str, bytes]:
    """(a file name, the edXML package) of an issued outgoing document, to carry by hand."""
    require(actor, "documents.register", document.unit)
    errors = send_errors(document)
    errors.pop("exchange", None)
    errors.pop("recipients", None)
    if errors:
        raise ValidationError(errors)
    try:
        data = edxml.build_package(mapping.message_for(
            document, timezone.localtime(now or timezone.now())))
    except edxml.PackageError as exc:
        raise ValidationError({"package": [error_text(exc)]}) from exc
    return connectors.exchange_name(exchange_id(document), PACKAGE_SUFFIX), data


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0


def retry_delay(attempts: int) -> timedelta:
    """How long a failed package waits before the next try: 1 min, 2, 4... up to an hour."""
    seconds = RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def _settle(row: Exchange, now: datetime, error: str = "") -> None:
    """Record one try, unless a status arrived for the row meanwhile."""
    state = Exchange.State.FAILED if error else Exchange.State.SENT
    Exchange.objects.filter(pk=row.pk, state__in=[Exchange.State.WAITING,
                                                  Exchange.State.FAILED]).update(
        state=state, attempts=row.attempts + 1, last_error=error, updated_at=now)


def _try(connector: connectors.ExchangeConnector, row: Exchange) -> str:
    """Send one row; the error as the clerk reads it, empty when sent."""
    try:
        with default_storage.open(stored_path(row), "rb") as handle:
            data = handle.read()
    except OSError:
        return _("The package file %(path)s is missing: send the document again.") % {
            "path": stored_path(row)}
    try:
        connector.send(row.peer_code, row.package_name, data)
    except connectors.UnknownRecipient:
        return _("The exchange knows no organisation with the code %(code)s: check the "
                 "addressee's code, or ask the exchange's operator to connect it.") % {
            "code": row.peer_code}
    except Exception as exc:  # any failure of the transport is retried
        logger.warning("exchange: sending %s to %s failed: %s", row.package_name,
                       row.peer_code, exc)
        return _("The exchange did not take the package: %(error)s") % {"error": exc}
    return ""


def exchange_send_pending(*, connector: connectors.ExchangeConnector | None = None,
                          now: datetime | None = None, force: bool = False) -> SendReport:
    """Hand every waiting package and status to the connector, and failed ones whose back-off
    has passed (all of them with ``force``). The platform's own plumbing: no person behind it,
    so no permission check; what was queued was checked and audited when it was."""
    connector = connector or active_connector()
    report = SendReport()
    if connector is None:
        return report
    now = now or timezone.now()
    pending = Exchange.objects.filter(outbound=True, state__in=[Exchange.State.WAITING,
                                                                Exchange.State.FAILED])
    for row in list(pending.order_by("at", "id")):
        if (not force and row.state == Exchange.State.FAILED
                and now < row.updated_at + retry_delay(row.attempts)):
            report.deferred += 1
            continue
        error = _try(connector, row)
        _settle(row, now, error)
        if error:
            report.failed += 1
        else:
            report.sent += 1
    return report
