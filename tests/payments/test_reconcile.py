"""Reconciliation against the gateway's own list: a payment whose callback was lost is
recorded (the dossier counts as paid, once); every other difference is reported and audited,
never changed; ``tinhso payments reconcile`` says so and exits 1 on a mismatch."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.payments.conftest import RESIDENCE
from tinhso.audit.models import AuditEvent
from tinhso.payments import gateways, services
from tinhso.payments.models import FakeGatewayEntry, Payment
from tinhso.payments.reconcile import reconcile
from tinhso.procedures import aggregate
from tinhso.procedures.models import DossierEvent, DossierStat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def start(submit: Any, applicant_user: Any) -> Any:
    def _start(name: str = RESIDENCE) -> Payment:
        return services.payment_start(account=applicant_user, dossier=submit(name),
                                      site="https://tinhso.example")
    return _start


def _today() -> Any:
    return timezone.localdate()


def _gateway() -> Any:
    gateway = gateways.active()
    assert gateway is not None and gateway.name == "fake"
    return gateway


def test_a_payment_whose_callback_was_lost_is_recorded_once(start):
    payment = start()
    services.fake_gateway_settle(payment.reference, "paid", deliver=False)  # callback lost
    payment.refresh_from_db()
    assert payment.state == "created" and not payment.dossier.paid_online

    report = reconcile(_gateway(), _today())
    assert report.recorded == [payment.reference] and not report.mismatches
    payment.refresh_from_db()
    assert payment.state == "paid" and payment.settled_by == "reconciliation"
    assert payment.dossier.paid_online
    live = aggregate.totals(DossierStat.objects.all())
    assert live["paid_online"] == 1
    # Run again: everything agrees, nothing more is written.
    again = reconcile(_gateway(), _today())
    assert again.agreed == 1 and not again.recorded
    assert DossierEvent.objects.filter(action="pay_online").count() == 1


def test_report_only_changes_nothing(start):
    payment = start()
    services.fake_gateway_settle(payment.reference, "paid", deliver=False)
    report = reconcile(_gateway(), _today(), fix=False)
    assert report.recorded == [payment.reference]
    payment.refresh_from_db()
    assert payment.state == "created" and not payment.dossier.paid_online


def test_a_lost_cancellation_is_closed_and_waiting_ones_stay_waiting(start):
    cancelled, waiting = start(), start()
    services.fake_gateway_settle(cancelled.reference, "cancelled", deliver=False)
    report = reconcile(_gateway(), _today())
    assert report.closed == [cancelled.reference] and report.waiting == [waiting.reference]
    cancelled.refresh_from_db()
    assert cancelled.state == "cancelled" and not cancelled.dossier.paid_online


def test_mismatches_are_reported_and_audited_never_fixed(start):
    amount, cancelled_here, paid_here, unknown = start(), start(), start(), start()
    # The gateway's ledger says another amount; paid one we cancelled; not paid one we hold
    # paid; and a transaction we never made.
    FakeGatewayEntry.objects.filter(reference=amount.reference).update(amount=99_000,
                                                                        state="paid")
    Payment.objects.filter(pk=cancelled_here.pk).update(state="cancelled")
    FakeGatewayEntry.objects.filter(reference=cancelled_here.reference).update(state="paid")
    Payment.objects.filter(pk=paid_here.pk).update(state="paid")
    FakeGatewayEntry.objects.filter(reference=unknown.reference).update(reference="TS-GHOST")
    report = reconcile(_gateway(), _today())
    problems = dict(report.mismatches)
    assert set(problems) == {amount.reference, cancelled_here.reference, paid_here.reference,
                             "TS-GHOST"}
    assert problems[amount.reference].startswith("amount 99000")
    assert problems[cancelled_here.reference].endswith("is cancelled, not paid")
    assert "waiting at the gateway" in problems[paid_here.reference]
    assert problems["TS-GHOST"] == "unknown reference 'TS-GHOST'"
    assert report.waiting == [unknown.reference]  # ours, unknown to the gateway: waiting
    assert not report.recorded and AuditEvent.objects.filter(
        action="payment.mismatch").count() == 4
    for payment in (amount, cancelled_here):
        payment.refresh_from_db()
        assert payment.state != "paid" and not payment.dossier.paid_online


def test_the_command_reports_and_exits_1_on_a_mismatch(start):
    lost, wrong = start(), start()
    services.fake_gateway_settle(lost.reference, "paid", deliver=False)
    out = StringIO()
    call_command("payments", "reconcile", "--date", _today().isoformat(), stdout=out)
    assert "1 paid recorded" in out.getvalue() and f"missed by the callback: {lost.reference}" \
        in out.getvalue()
    FakeGatewayEntry.objects.filter(reference=wrong.reference).update(amount=1, state="paid")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("payments", "reconcile", stdout=out)
    assert exit_.value.code == 1 and f"MISMATCH {wrong.reference}: amount 1" in out.getvalue()


def test_the_command_refuses_without_a_gateway(settings):
    settings.TINHSO_PAYMENT_FAKE_GATEWAY = False
    with pytest.raises(CommandError, match="no payment gateway is configured"):
        call_command("payments", "reconcile")
