"""What the pages and the API read of online payments: the fee a dossier owes online (from the
catalogue's fee text, ``payments.fees``), and its payments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tinhso.core.numbers import format_number
from tinhso.payments import gateways
from tinhso.payments.fees import Fee, parse_fee
from tinhso.payments.models import Payment, PaymentState
from tinhso.procedures import access, workflow
from tinhso.procedures.models import Channel

if TYPE_CHECKING:
    from tinhso.procedures.models import Dossier

# A fee is paid online while the dossier is being handled or its result waits to be collected;
# not once it was refused, withdrawn or handed over.
PAYABLE_STATUSES = (*workflow.OPEN, workflow.APPROVED)


def money(amount: int | None) -> str:
    """50000 -> '50.000 đồng' on a Vietnamese page, 'VND 50,000' on an English one."""
    if amount is None:
        return "–"
    return _("VND %(amount)s") % {"amount": format_number(amount, 0,
                                                          (get_language() or "vi")[:2])}


def fee_of(dossier: Dossier) -> Fee:
    return parse_fee(dossier.procedure.fee)


@dataclass(frozen=True)
class Due:
    """What a dossier owes online now: ``amount`` in VND, or None with the ``reason``."""

    amount: int | None
    reason: str = ""


def amount_due(dossier: Dossier) -> Due:
    """The amount the applicant may pay online now, or why there is none: no fee, already
    paid, a fee text without one clear amount (said as the catalogue reads), free online, or
    a dossier no longer being handled."""
    if not dossier.fee_payable:
        return Due(None, _("No fee is payable for this procedure."))
    if dossier.paid_online:
        return Due(None, _("The fee was paid online."))
    online = dossier.channel == Channel.ONLINE
    fee = fee_of(dossier)
    amount = fee.due(online)
    if not amount:
        message, params = fee.why_not(online)
        return Due(None, _(message) % params if params else _(message))
    if dossier.status not in PAYABLE_STATUSES:
        return Due(None, _("The dossier is %(status)s: its fee is not paid online any more.")
                   % {"status": dossier.get_status_display().lower()})
    return Due(amount)


def payments_of(dossier: Dossier) -> list[Payment]:
    return list(Payment.objects.filter(dossier=dossier).order_by("-created_at", "-id"))


def payment_by_reference(reference: str) -> Payment | None:
    return (Payment.objects.select_related("dossier", "dossier__procedure", "dossier__unit")
            .filter(reference=reference).first())


def own_payment(user: Any, reference: str) -> Payment | None:
    """The payment if ``user`` is the applicant of its dossier; None otherwise."""
    payment = payment_by_reference(reference)
    if payment is None or not access.owns(user, payment.dossier):
        return None
    return payment


def payment_panel(dossier: Dossier, user: Any) -> dict[str, Any]:
    """The payment's part of a dossier's page: the fee, what is due, the payments made or
    tried, and whether ``user`` (the applicant) may start paying now."""
    payments = payments_of(dossier)
    paid = next((p for p in payments if p.state == PaymentState.PAID), None)
    due = amount_due(dossier)
    gateway = gateways.active()
    waiting = next((p for p in payments if p.state == PaymentState.CREATED
                    and p.amount == due.amount), None)
    return {
        "dossier": dossier, "due": due, "due_text": money(due.amount), "paid": paid,
        "paid_text": money(paid.amount) if paid else "", "waiting": waiting,
        "payments": payments, "gateway": gateway,
        "may_pay": (due.amount is not None and gateway is not None
                    and access.owns(user, dossier)),
    }
