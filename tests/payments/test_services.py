"""The gateway's callback: verified, recorded once; a replay changes nothing and writes
nothing; a forged one (bad signature, another amount, an unknown reference, a cancelled
transaction) changes nothing and is audited as refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.payments.conftest import RESIDENCE, SECRET
from tinhso.audit.models import AuditEvent
from tinhso.payments import services, signing
from tinhso.payments.models import Payment
from tinhso.procedures import aggregate
from tinhso.procedures.models import DossierEvent, DossierStat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def started(submit: Any, applicant_user: Any) -> Payment:
    dossier = submit(RESIDENCE)
    return services.payment_start(account=applicant_user, dossier=dossier,
                                  site="https://tinhso.example")


def _paid_count() -> int:
    return aggregate.totals(DossierStat.objects.all())["paid_online"]


def _written() -> tuple[int, int, int]:
    """(the dossier's events, audit events, the statistics' paid count)."""
    return DossierEvent.objects.count(), AuditEvent.objects.count(), _paid_count()


def _refusals() -> list[str]:
    return [e.details["reason"] for e in AuditEvent.objects.filter(action="payment.refused")]


def test_a_verified_callback_records_the_payment_once_and_a_replay_nothing(started, call_back):
    assert call_back(started.reference, 10_000).json() == {"result": "ok",
                                                           "detail": "recorded"}
    started.refresh_from_db()
    assert started.state == "paid" and started.dossier.paid_online and _paid_count() == 1
    before = _written()
    replay = call_back(started.reference, 10_000)
    assert replay.status_code == 200 and replay.json()["detail"] == "already recorded"
    assert _written() == before  # no second event, audit entry or count
    assert DossierEvent.objects.filter(action="pay_online").count() == 1


@pytest.mark.parametrize(("case", "reason"), [
    ("bad signature", "bad signature"),
    ("another secret", "bad signature"),
    ("no signature", "bad signature"),
    ("wrong amount", "amount 1000 for"),
    ("unknown reference", "unknown reference 'TS000000NOPE'"),
    ("not json", "unreadable message"),
    ("unknown state", "unreadable message"),
])
def test_a_forged_callback_changes_nothing_and_is_audited(started, call_back, client, case,
                                                          reason):
    before = _written()
    if case == "bad signature":
        response = call_back(started.reference, 10_000, signature="0" * 64)
    elif case == "another secret":
        response = call_back(started.reference, 10_000, secret="guessed")
    elif case == "no signature":
        response = call_back(started.reference, 10_000, signature="")
    elif case == "wrong amount":
        response = call_back(started.reference, 1_000)
    elif case == "unknown reference":
        response = call_back("TS000000NOPE", 10_000)
    elif case == "unknown state":
        response = call_back(started.reference, 10_000, state="refunded")
    else:
        body = b"paid!"
        signature = signing.sign(SECRET.encode(), body)  # well signed, but not a message
        response = client.generic("POST", "/payments/callback/", body,
                                  content_type="application/json",
                                  HTTP_X_PAYMENT_SIGNATURE=signature)
    assert response.status_code == 400 and response.json()["result"] == "refused"
    started.refresh_from_db()
    assert started.state == "created" and not started.dossier.paid_online
    events, audits, paid = _written()
    assert (events, paid) == before[::2] and audits == before[1] + 1
    assert _refusals()[0].startswith(reason)
    assert AuditEvent.objects.get(action="payment.refused").details["payload"]


def test_a_paid_callback_for_a_cancelled_transaction_is_refused(started, call_back):
    assert call_back(started.reference, 10_000, state="cancelled").status_code == 200
    started.refresh_from_db()
    assert started.state == "cancelled"
    response = call_back(started.reference, 10_000)
    assert response.status_code == 400
    started.refresh_from_db()
    assert started.state == "cancelled" and not started.dossier.paid_online
    assert _refusals() == [f"{started.reference} is cancelled, not paid"]
    assert _paid_count() == 0


def test_a_cancellation_after_the_payment_changes_nothing(started, call_back):
    call_back(started.reference, 10_000)
    assert call_back(started.reference, 10_000, state="failed").status_code == 400
    started.refresh_from_db()
    assert started.state == "paid" and started.dossier.paid_online and _paid_count() == 1


def test_a_second_paid_transaction_for_a_paid_dossier_is_reported_for_a_refund(
        started, call_back, applicant_user, settings):
    # Another transaction for the same dossier (started before the first was confirmed).
    other = Payment.objects.create(reference="TS-OTHER", dossier=started.dossier,
                                   account=applicant_user, amount=10_000, gateway="fake",
                                   created_at=started.created_at)
    call_back(started.reference, 10_000)
    assert call_back(other.reference, 10_000).status_code == 200
    other.refresh_from_db()
    assert other.state == "paid" and _paid_count() == 1
    assert DossierEvent.objects.filter(action="pay_online").count() == 1
    problem = AuditEvent.objects.get(action="payment.mismatch").details["problem"]
    assert "refund" in problem


def test_only_the_applicant_starts_a_payment(submit, desk):
    dossier = submit(RESIDENCE)
    with pytest.raises(PermissionDenied):
        services.payment_start(account=desk["commune"], dossier=dossier, site="https://x")


def test_a_form_posted_to_the_callback_is_refused_not_an_error(client, started):
    response = client.post("/payments/callback/", {"reference": started.reference,
                                                   "amount": "10000", "state": "paid"})
    assert response.status_code == 400 and response.json()["detail"] == "bad signature"
    started.refresh_from_db()
    assert started.state == "created"
