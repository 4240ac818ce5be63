"""Reconciliation: a day's transactions as the gateway lists them against the platform's own
records (``tinhso payments reconcile [--date]``).

- paid at the gateway, waiting here (its callback was lost): recorded now, as a callback would
  (the dossier marked paid online);
- cancelled or failed at the gateway, waiting here: closed the same way;
- anything else that differs (an amount, a reference unknown here, paid here but not there,
  paid there but cancelled here): a mismatch, reported and audited, never changed;
- waiting on both sides, or waiting here and unknown to the gateway: still waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from tinhso.audit.services import audit_record
from tinhso.payments import audit_events
from tinhso.payments.gateways import Gateway, GatewayEntry
from tinhso.payments.models import Payment, PaymentState
from tinhso.payments.services import RECONCILIATION, problem, settle

logger = logging.getLogger(__name__)


@dataclass
class Report:
    day: date
    gateway: str
    checked: int = 0
    agreed: int = 0
    recorded: list[str] = field(default_factory=list)  # paid, missed by the callback
    closed: list[str] = field(default_factory=list)  # cancelled or failed, missed too
    waiting: list[str] = field(default_factory=list)
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (reference, problem)


def _mismatch(report: Report, reference: str, found: str, payment: Payment | None) -> None:
    logger.warning("payment reconciliation %s: %s", report.day, found)
    report.mismatches.append((reference, found))
    audit_record(actor=None, actor_label="payment reconciliation", obj=payment,
                 unit=payment.dossier.unit if payment else None,
                 action=audit_events.PAYMENT_MISMATCH,
                 details={"day": report.day.isoformat(), "gateway": report.gateway,
                          "reference": reference, "problem": found})


def _one(report: Report, entry: GatewayEntry, fix: bool) -> None:
    with transaction.atomic():
        payment = (Payment.objects.select_for_update(of=("self",))
                   .select_related("dossier", "dossier__unit")
                   .filter(reference=entry.reference).first())
        if payment is not None and entry.state == PaymentState.CREATED:
            found = ("" if payment.state == PaymentState.CREATED and entry.amount ==
                     payment.amount else f"{entry.reference} is {payment.state} here, "
                     f"waiting at the gateway (amount {entry.amount})")
            if not found:
                report.waiting.append(entry.reference)
                return
        else:
            found = problem(payment, entry)
        if not found and payment is not None and payment.state == entry.state:
            report.agreed += 1
            return
        if not found and payment is not None:
            if fix:
                settle(payment, entry, by=RECONCILIATION)
            (report.recorded if entry.state == PaymentState.PAID
             else report.closed).append(entry.reference)
            return
    _mismatch(report, entry.reference, found, payment)


def reconcile(gateway: Gateway, day: date, *, fix: bool = True) -> Report:
    """Compare ``day``'s transactions at ``gateway`` with the records and settle what the
    callbacks missed (unless ``fix`` is False: only report); see the module's docstring.
    The gateway's list may raise ``GatewayError``."""
    report = Report(day, gateway.name)
    listed = gateway.transactions(day)
    seen = set()
    for entry in listed:
        report.checked += 1
        seen.add(entry.reference)
        _one(report, entry, fix)
    ours = (Payment.objects.filter(gateway=gateway.name, created_at__date=day)
            .exclude(reference__in=seen).select_related("dossier", "dossier__unit"))
    for payment in ours:
        if payment.state == PaymentState.PAID:
            _mismatch(report, payment.reference, f"{payment.reference} is paid here but not "
                      "in the gateway's list", payment)
        elif payment.state == PaymentState.CREATED:
            report.waiting.append(payment.reference)
    return report
