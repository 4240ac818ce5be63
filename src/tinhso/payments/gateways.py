"""The payment gateways, as connectors (the way ``procedures.notifications`` registers its
senders): the national payment platform (Nền tảng thanh toán trực tuyến quốc gia, through the
National Public Service Portal) and, for tests and the demo, an illustrative fake.

A gateway has a name and
- ``start(order)``: create the transaction at the gateway (amount, dossier code, our unique
  reference) and give the address to send the applicant to;
- ``transactions(day)``: its own list of that day's transactions, for reconciliation.

It confirms a payment by calling back (``payments.views.callback``) with a JSON message signed
with HMAC-SHA256 of its exact bytes (``payments.signing``) under the secret both sides share
(``TINHSO_PAYMENT_SECRET``): ``{"reference", "amount", "state", "gateway_reference",
"paid_at"}``, the signature in the ``X-Payment-Signature`` header.

Which one is used: the fake while ``TINHSO_PAYMENT_FAKE_GATEWAY`` is on (the demo), otherwise
``TINHSO_PAYMENT_GATEWAY`` (``national``), when it is configured; none: the pages say that
online payment is not available.
"""

from __future__ import annotations

import json
import secrets
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime

from tinhso.payments import signing
from tinhso.payments.models import FakeGatewayEntry, PaymentState

SIGNATURE_HEADER = "X-Payment-Signature"
TIMEOUT_SECONDS = 10


class GatewayError(Exception):
    """The gateway did not answer, or answered something that cannot be trusted."""


@dataclass(frozen=True)
class Order:
    reference: str
    amount: int
    dossier_code: str
    description: str
    return_url: str
    callback_url: str


@dataclass(frozen=True)
class GatewayEntry:
    """One transaction as the gateway lists it."""

    reference: str
    amount: int
    state: str
    gateway_reference: str = ""
    settled_at: datetime | None = None


class Gateway(Protocol):
    name: str
    label: str
    illustrative: bool

    def configured(self) -> bool: ...

    def start(self, order: Order) -> str: ...

    def transactions(self, day: date) -> list[GatewayEntry]: ...


def shared_secret() -> bytes:
    """The secret the gateway signs with. The fake gateway, when no secret is set, signs with
    one derived from this installation's SECRET_KEY (the demo needs no setting)."""
    secret = str(getattr(settings, "TINHSO_PAYMENT_SECRET", "") or "")
    if not secret and fake_enabled():
        return salted_hmac("tinhso.payments.fake", "secret").hexdigest().encode()
    return secret.encode()


def fake_enabled() -> bool:
    return bool(getattr(settings, "TINHSO_PAYMENT_FAKE_GATEWAY", False))


def entry_from(item: dict[str, Any]) -> GatewayEntry:
    """A gateway's listed transaction or callback message, read strictly (ValueError)."""
    amount = item.get("amount")
    state = item.get("state")
    if not isinstance(item.get("reference"), str) or not item["reference"]:
        raise ValueError("reference missing")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount is not a whole number of đồng")
    if state not in PaymentState.values:
        raise ValueError(f"unknown state {state!r}")
    settled = parse_datetime(item["paid_at"]) if item.get("paid_at") else None
    return GatewayEntry(item["reference"], amount, state, str(item.get("gateway_reference", "")),
                        settled)


def message(entry: GatewayEntry) -> bytes:
    """The callback's body as a gateway sends it."""
    return json.dumps({"reference": entry.reference, "amount": entry.amount,
                       "state": entry.state, "gateway_reference": entry.gateway_reference,
                       "paid_at": entry.settled_at.isoformat() if entry.settled_at else None},
                      separators=(",", ":")).encode()


class NationalGateway:
    """The national payment platform: the transaction is created by a signed POST to
    ``TINHSO_PAYMENT_URL``/transactions (answered, signed, with the ``payment_url`` to send the
    applicant to), and the day's list read from ``TINHSO_PAYMENT_URL``/transactions?date=.
    The message shapes are this platform's side of the contract: an installation adapts them
    to the platform's integration specification before going live."""

    name = "national"
    label = "Nền tảng thanh toán quốc gia"
    illustrative = False

    def configured(self) -> bool:
        return bool(getattr(settings, "TINHSO_PAYMENT_URL", "")
                     and getattr(settings, "TINHSO_PAYMENT_SECRET", ""))

    def _call(self, url: str, body: bytes | None) -> Any:
        request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
        request.add_header("Content-Type", "application/json")
        request.add_header(SIGNATURE_HEADER, signing.sign(shared_secret(), body or url.encode()))
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read()
                signature = response.headers.get(SIGNATURE_HEADER, "")
        except OSError as exc:
            raise GatewayError(str(exc)) from exc
        if not signing.verify(shared_secret(), raw, signature):
            raise GatewayError("the answer's signature does not match")
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise GatewayError("the answer is not JSON") from exc

    def start(self, order: Order) -> str:
        body = json.dumps({"merchant": getattr(settings, "TINHSO_PAYMENT_MERCHANT", ""),
                           "reference": order.reference, "amount": order.amount,
                           "dossier": order.dossier_code, "description": order.description,
                           "return_url": order.return_url,
                           "callback_url": order.callback_url}).encode()
        answer = self._call(settings.TINHSO_PAYMENT_URL.rstrip("/") + "/transactions", body)
        url = answer.get("payment_url") if isinstance(answer, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise GatewayError("no payment address in the answer")
        return url

    def transactions(self, day: date) -> list[GatewayEntry]:
        query = urllib.parse.urlencode({"merchant": getattr(settings, "TINHSO_PAYMENT_MERCHANT",
                                                            ""), "date": day.isoformat()})
        answer = self._call(f"{settings.TINHSO_PAYMENT_URL.rstrip('/')}/transactions?{query}",
                            None)
        try:
            return [entry_from(item) for item in answer]
        except (TypeError, ValueError, KeyError) as exc:
            raise GatewayError(f"unreadable list: {exc}") from exc


class FakeGateway:
    """An illustrative gateway inside the platform (tests and the demo): its page shows the
    amount with "pay" and "cancel" (``payments.views.fake_gateway``), and it keeps its own
    ledger (``FakeGatewayEntry``) for reconciliation. Served only while
    ``TINHSO_PAYMENT_FAKE_GATEWAY`` is on."""

    name = "fake"
    label = "Cổng thanh toán minh họa"
    illustrative = True

    def configured(self) -> bool:
        return fake_enabled()

    def start(self, order: Order) -> str:
        FakeGatewayEntry.objects.get_or_create(reference=order.reference, defaults={
            "dossier_code": order.dossier_code, "amount": order.amount,
            "gateway_reference": "FAKE-" + secrets.token_hex(6).upper(),
            "created_at": timezone.now()})
        return reverse("payments:fake", args=[order.reference])

    def transactions(self, day: date) -> list[GatewayEntry]:
        return [GatewayEntry(e.reference, e.amount, e.state, e.gateway_reference, e.settled_at)
                for e in FakeGatewayEntry.objects.filter(created_at__date=day)
                .order_by("created_at", "id")]


GATEWAYS: dict[str, Gateway] = {}


def register(gateway: Gateway) -> None:
    GATEWAYS[gateway.name] = gateway


register(NationalGateway())
register(FakeGateway())


def active() -> Gateway | None:
    """The gateway payments go through now; None when none is configured."""
    name = "fake" if fake_enabled() else str(getattr(settings, "TINHSO_PAYMENT_GATEWAY",
                                                     "national"))
    gateway = GATEWAYS.get(name)
    return gateway if gateway is not None and gateway.configured() else None


def named(name: str) -> Gateway | None:
    return GATEWAYS.get(name)
