"""Writes of online payments: the applicant starts a payment (a transaction at the gateway),
the gateway's signed callback settles it, and a verified "paid" marks the dossier paid online
through ``procedures.services.record_online_payment``.

A callback changes something only when its signature, its reference, its amount and the
transaction's state all check out; a replay of an accepted one changes nothing and writes
nothing; any other (forged, for another amount, an unknown reference, a cancelled or failed
transaction) changes nothing and is logged and audited as refused. The transaction's row is
locked first and the dossier's after it (by the procedures' service), so two callbacks at
once record one payment.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.audit.services import audit_record
from tinhso.payments import audit_events, gateways, signing
from tinhso.payments.gateways import GatewayEntry, GatewayError, Order
from tinhso.payments.models import FakeGatewayEntry, Payment, PaymentState
from tinhso.payments.selectors import amount_due
from tinhso.procedures import access
from tinhso.procedures.services import record_online_payment
from tinhso.procedures.services.base import lock

logger = logging.getLogger(__name__)

CALLBACK, RECONCILIATION = "callback", "reconciliation"
CALLBACK_LABEL = "payment callback"
PAYLOAD_KEPT = 4000  # characters of a refused message kept in the audit log


def new_reference(now: datetime) -> str:
    """TS + date + 10 random hex digits: unique, and not guessable from another one."""
    return f"TS{timezone.localtime(now):%y%m%d}{secrets.token_hex(5).upper()}"


@transaction.atomic
def payment_start(*, account: Any, dossier: Any, site: str, now: datetime | None = None
                  ) -> Payment:
    """The applicant starts paying the dossier's fee: a transaction at the active gateway for
    the amount due (``selectors.amount_due``), or the one already waiting for that amount.
    ``site``: this installation's address (https://host), for the gateway's return and
    callback addresses. The caller sends the applicant to ``payment.gateway_url``."""
    if not access.owns(account, dossier):
        raise PermissionDenied(_("Only the applicant who submitted dossier %(code)s may pay "
                                 "its fee online.") % {"code": dossier.code})
    gateway = gateways.active()
    if gateway is None:
        raise ValidationError(_("Online payment is not available at the moment: pay the fee "
                                "at the desk."))
    locked = lock(dossier)
    due = amount_due(locked)
    if due.amount is None:
        raise ValidationError(due.reason)
    waiting = (Payment.objects.filter(dossier=locked, state=PaymentState.CREATED,
                                      gateway=gateway.name, amount=due.amount)
               .exclude(gateway_url="").order_by("-created_at").first())
    if waiting is not None:
        return waiting
    at = now or timezone.now()
    payment = Payment.objects.create(
        reference=new_reference(at), dossier=locked, account=account, amount=due.amount,
        gateway=gateway.name, created_at=at, is_illustrative=gateway.illustrative)
    site = site.rstrip("/")
    order = Order(reference=payment.reference, amount=payment.amount, dossier_code=locked.code,
                  description=_("Fee of dossier %(code)s") % {"code": locked.code},
                  return_url=site + reverse("payments:returned", args=[locked.code]),
                  callback_url=site + reverse("payments:callback"))
    try:
        payment.gateway_url = gateway.start(order)
    except GatewayError as exc:
        logger.warning("payment gateway %s refused to start %s: %s", gateway.name,
                       payment.reference, exc)
        raise ValidationError(_("The payment platform does not answer at the moment: try "
                                "again later, or pay the fee at the desk.")) from exc
    payment.save(update_fields=["gateway_url"])
    audit_record(actor=account, action=audit_events.PAYMENT_STARTED, obj=payment,
                 unit=locked.unit, details={"dossier": locked.code, "amount": payment.amount,
                                            "gateway": gateway.name})
    return payment


@dataclass(frozen=True)
class CallbackResult:
    """What came of a callback: ``accepted`` (verified: recorded now, or already), ``changed``
    (something was recorded now), and ``reason`` for the gateway's log (English)."""

    accepted: bool
    changed: bool
    reason: str


def _refused(body: bytes, reason: str, payment: Payment | None = None) -> CallbackResult:
    logger.warning("payment callback refused: %s", reason)
    audit_record(actor=None, actor_label=CALLBACK_LABEL, action=audit_events.PAYMENT_REFUSED,
                 obj=payment, unit=payment.dossier.unit if payment else None,
                 details={"reason": reason,
                          "payload": body.decode("utf-8", "replace")[:PAYLOAD_KEPT]})
    return CallbackResult(False, False, reason)


def problem(payment: Payment | None, entry: GatewayEntry) -> str:
    """Why the gateway's word on a transaction cannot be taken ("": it can)."""
    if payment is None:
        return f"unknown reference {entry.reference!r}"
    if entry.amount != payment.amount:
        return (f"amount {entry.amount} for {payment.reference}, which is of "
                f"{payment.amount}")
    if entry.state == PaymentState.CREATED:
        return f"{payment.reference}: a callback settles a transaction (state {entry.state!r})"
    if payment.state not in (PaymentState.CREATED, entry.state):
        return f"{payment.reference} is {payment.state}, not {entry.state}"
    return ""


def settle(payment: Payment, entry: GatewayEntry, *, by: str, payload: bytes | None = None,
           now: datetime | None = None) -> None:
    """Record the gateway's verified settlement of a waiting transaction; on "paid", the
    dossier is marked paid online (in the caller's transaction, the rows locked)."""
    at = now or timezone.now()
    gateway = gateways.named(payment.gateway)
    label = gateway.label if gateway is not None else payment.gateway
    payment.state = entry.state
    payment.settled_at = at
    payment.settled_by = by
    payment.gateway_reference = entry.gateway_reference or payment.gateway_reference
    if payload is not None:
        payment.callback_payload = payload.decode("utf-8", "replace")
        payment.callback_at = at
    payment.save()
    dossier = payment.dossier
    paid = entry.state == PaymentState.PAID
    audit_record(actor=None, actor_label=label, obj=payment, unit=dossier.unit,
                 action=audit_events.PAYMENT_PAID if paid else audit_events.PAYMENT_CLOSED,
                 details={"dossier": dossier.code, "amount": payment.amount,
                          "state": entry.state, "by": by,
                          "gateway_reference": payment.gateway_reference})
    if paid and not record_online_payment(dossier=dossier, amount=payment.amount,
                                          reference=payment.reference, gateway=label, at=at):
        # The dossier was already paid by another transaction: money to give back.
        logger.warning("dossier %s paid twice online (%s)", dossier.code, payment.reference)
        audit_record(actor=None, actor_label=label, obj=payment, unit=dossier.unit,
                     action=audit_events.PAYMENT_MISMATCH,
                     details={"dossier": dossier.code, "reference": payment.reference,
                              "problem": "the dossier was already paid online: refund"})


def receive_callback(*, body: bytes, signature: str, now: datetime | None = None
                     ) -> CallbackResult:
    """The gateway's callback: verified, then recorded once (see the module's docstring)."""
    if not signing.verify(gateways.shared_secret(), body, signature):
        return _refused(body, "bad signature")
    try:
        entry = gateways.entry_from(json.loads(body))
    except (ValueError, TypeError, AttributeError) as exc:
        return _refused(body, f"unreadable message: {exc}")
    with transaction.atomic():
        payment = (Payment.objects.select_for_update(of=("self",))
                   .select_related("dossier", "dossier__unit")
                   .filter(reference=entry.reference).first())
        found = problem(payment, entry)
        if not found and payment is not None:
            if payment.state == entry.state:
                logger.info("payment callback replayed for %s: nothing to do", entry.reference)
                return CallbackResult(True, False, "already recorded")
            settle(payment, entry, by=CALLBACK, payload=body, now=now)
            return CallbackResult(True, True, "recorded")
    return _refused(body, found, payment)


def fake_gateway_settle(reference: str, state: str, *, deliver: bool = True
                        ) -> CallbackResult | None:
    """The illustrative gateway's "pay" or "cancel": its ledger changes, then (unless
    ``deliver`` is False: a lost callback, for reconciliation) it calls back as a gateway
    does, signed. None when it has no such waiting transaction."""
    if not gateways.fake_enabled():
        raise PermissionDenied("the fake payment gateway is switched off")
    with transaction.atomic():
        entry = (FakeGatewayEntry.objects.select_for_update()
                 .filter(reference=reference).first())
        if entry is None:
            return None
        if entry.state == PaymentState.CREATED:
            entry.state, entry.settled_at = state, timezone.now()
            entry.save()
    if not deliver:
        return None
    body = gateways.message(GatewayEntry(entry.reference, entry.amount, entry.state,
                                         entry.gateway_reference, entry.settled_at))
    return receive_callback(body=body, signature=signing.sign(gateways.shared_secret(), body))
