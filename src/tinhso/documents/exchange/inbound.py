"""Receiving from other agencies: each package waiting in the connector's inbox of one of this
installation's organisations is read (``edxml.parse_package`` within ``edxml.Limits``) and
registered as an incoming document of the addressed unit, with its arrival number, its files
and each PDF's signature checked, in one transaction; then the connector is told it is done
and a "received" status is queued for the sender. A package that cannot be registered is
refused: the connector keeps it with the reason, the refusal is audited and told to the sender
when the package names one, and nothing of it is registered. A package already registered
(same sender and DocumentId) is acknowledged again, never registered twice. Status messages
arriving are recorded on the document they answer (``statuses``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import tinhso.documents.exchange.mapping as mapping
import tinhso.documents.exchange.peek as peek
import tinhso.documents.exchange.statuses as statuses
from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.documents import audit_events, connectors, edxml, numbering
from tinhso.documents.exchange.outbound import (
    active_connector,
    error_text,
    queue_status,
)
from tinhso.documents.models import Direction, Document, Exchange, Status, StepKind
from tinhso.documents.services.base import refresh_search, step
from tinhso.documents.services.files import attach
from tinhso.documents.services.office import duplicate_of
from tinhso.units.selectors import unit_by_code, units_valid_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit

logger = logging.getLogger(__name__)


@dataclass
class ReceiveReport:
    registered: int = 0
    duplicates: int = 0
    rejected: int = 0
    statuses: int = 0
    errors: int = 0  # left waiting: this installation could not take them now


def installation_units(unit: Unit | None = None) -> dict[str, Unit]:
    """This installation's organisations by their OrganId: ``unit``, or the home province
    (``TINHSO_HOME_UNIT``) and every unit below it valid today."""
    if unit is not None:
        return {unit.agency_code: unit}
    home = unit_by_code(settings.TINHSO_HOME_UNIT)
    if home is None:
        return {}
    units = units_valid_within(home, timezone.localdate()).select_related("parent")
    return {u.agency_code: u for u in units}


def _acknowledge(document: Document, unit: Unit, sender: str) -> None:
    answered = mapping.response_for(document)
    assert answered is not None  # an incoming document always has its date of issue
    queue_status(document=document, to=sender, sender=mapping.organ_of(unit),
                 answered=answered, code=edxml.STATUS_RECEIVED,
                 description=_("Received and registered as arrival number %(arrival)s/%(year)s "
                               "by %(unit)s.") % {"arrival": document.arrival_number,
                                                  "year": document.year, "unit": unit.name})


def _addressed(message: edxml.Message, unit: Unit) -> None:
    codes = [organ.organ_id for organ in message.recipients]
    if unit.agency_code not in codes:
        raise edxml.PackageError("To", gettext_noop(
            "names no organisation of this installation (%(codes)s)"),
            codes=", ".join(codes)[:200])


def _store_files(document: Document, message: edxml.Message) -> list[str]:
    states = []
    for position, item in enumerate(message.attachments, start=1):
        name = mapping.file_name(item.name, position, item.content_type)
        stored = attach(document, name, item.data, item.content_type)
        states.append(stored.signature_state)
    return states


@transaction.atomic
def register_package(*, actor: Any, unit: Unit, data: bytes, name: str,
                     limits: edxml.Limits | None = None) -> tuple[bool, Document]:
    """Register the package ``data`` (file ``name``) at ``unit``: (True, the new incoming
    document), or (False, the one registered earlier from the same package). PackageError
    names what makes it unacceptable; nothing is written then."""
    require(actor, "documents.register", unit)
    message = edxml.parse_package(data, limits or edxml.Limits())
    _addressed(message, unit)
    sender = message.sender.organ_id
    earlier = Document.objects.filter(direction=Direction.INCOMING, unit=unit, issuer_code=sender,
                                      exchange_id=message.document_id).first()
    if earlier is not None:
        _acknowledge(earlier, unit, sender)
        return False, earlier
    now = timezone.localtime()
    fields = mapping.incoming_fields(message, now.date())
    copy_of = duplicate_of(unit, fields)
    document = Document(direction=Direction.INCOMING, unit=unit, year=now.year,
                        status=Status.REGISTERED, arrived_at=now, electronic=True,
                        reply_to=mapping.answered_document(message), **fields)
    refresh_search(document)
    document.save()
    states = _store_files(document, message)
    document.arrival_number = numbering.next_number(unit.pk, Direction.INCOMING, now.year)
    document.save(update_fields=["arrival_number"])
    step(document, StepKind.RECEIVED, actor, sender=message.sender.name or sender,
         code=document.code, package=name, arrival_number=document.arrival_number,
         duplicate_of=copy_of.pk if copy_of else None)
    Exchange.objects.create(document=document, outbound=False,
                            connector=settings.TINHSO_DOCUMENT_EXCHANGE or "manual",
                            peer_code=sender, peer_name=message.sender.name[:300],
                            package_name=name[:200], state=Exchange.State.RECEIVED)
    audit_record(actor=actor, action=audit_events.DOCUMENT_RECEIVED, obj=document, unit=unit,
                 details={"from": sender, "code": document.code, "package": name,
                          "arrival_number": document.arrival_number, "signatures": states})
    _acknowledge(document, unit, sender)
    return True, document


@transaction.atomic
def refuse_package(*, actor: Any, unit: Unit, data: bytes, name: str, reason: str) -> Exchange:
    """Record that the package ``name`` was refused at ``unit`` for ``reason``, and queue the
    refusal for its sender when the package names one."""
    found = peek.origin(data, timezone.localdate())
    sender = found[0] if found else ""
    row = Exchange.objects.create(document=None, outbound=False,
                                  connector=settings.TINHSO_DOCUMENT_EXCHANGE or "manual",
                                  peer_code=sender[:40], package_name=name[:200],
                                  state=Exchange.State.REJECTED, last_error=reason)
    audit_record(actor=actor, action=audit_events.DOCUMENT_REFUSED, obj=row, unit=unit,
                 details={"package": name, "from": sender, "reason": reason})
    if found is not None:
        queue_status(document=None, to=sender, sender=mapping.organ_of(unit), answered=found[1],
                     code=edxml.STATUS_REFUSED, description=reason)
    return row


def package_import(*, actor: Any, unit: Unit, data: bytes, name: str) -> tuple[bool, Document]:
    """A package brought by hand (``tinhso documents import``): registered as one received
    through the exchange; a refused one is recorded as refused and is a ValidationError with
    the reason."""
    require(actor, "documents.register", unit)
    try:
        return register_package(actor=actor, unit=unit, data=data, name=name)
    except edxml.PackageError as exc:
        reason = error_text(exc)
        refuse_package(actor=actor, unit=unit, data=data, name=name, reason=reason)
        raise ValidationError({"package": [reason]}) from exc


def _receive_item(connector: connectors.ExchangeConnector, unit: Unit,
                  item: connectors.Inbound, actor: Any) -> str:
    """Take one waiting item: what became of it (a ReceiveReport field)."""
    try:
        if statuses.is_status_message(item.name, item.data):
            statuses.record_status(data=item.data)
            outcome = "statuses"
        else:
            registered, _document = register_package(actor=actor, unit=unit, data=item.data,
                                                     name=item.name)
            outcome = "registered" if registered else "duplicates"
    except edxml.PackageError as exc:
        reason = error_text(exc)
        refuse_package(actor=actor, unit=unit, data=item.data, name=item.name, reason=reason)
        connector.reject(item.ref, reason)
        return "rejected"
    except Exception:  # our side failed (storage, trust roots...): the item waits
        logger.exception("exchange: %s for %s left waiting", item.name, unit.agency_code)
        return "errors"
    connector.done(item.ref)
    return outcome


def exchange_receive(*, actor: Any, unit: Unit | None = None,
                     connector: connectors.ExchangeConnector | None = None) -> ReceiveReport:
    """Take what waits for ``unit`` (None: every organisation of this installation), each
    package and status in a transaction of its own."""
    require(actor, "documents.register", unit)
    connector = connector or active_connector()
    report = ReceiveReport()
    if connector is None:
        return report
    for code, own in installation_units(unit).items():
        try:
            items = connector.receive(code)
        except connectors.UnknownRecipient:
            continue  # not connected to the exchange
        for item in items:
            outcome = _receive_item(connector, own, item, actor)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report
