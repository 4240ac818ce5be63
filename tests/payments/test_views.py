"""The applicant pays online from the dossier's page, through the illustrative gateway, and the
dossier counts as paid only once the gateway's signed callback is verified; another citizen
cannot reach it; the desk sees where the payment stands."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import citizen
from tests.payments.conftest import RESIDENCE
from tinhso.audit.models import AuditEvent
from tinhso.payments.models import FakeGatewayEntry, Payment
from tinhso.procedures import aggregate
from tinhso.procedures.models import DossierEvent, DossierStat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "english_pages")]


def _page(response: Any) -> str:
    return response.content.decode()


def _stats() -> list[tuple[Any, ...]]:
    return sorted(DossierStat.objects.values_list("unit_id", "procedure_id", "month", "channel",
                                                  *aggregate.COUNTS))


def test_the_applicant_pays_through_the_gateway_and_the_dossier_counts_paid(
        client, submit, applicant_user, django_capture_on_commit_callbacks):
    dossier = submit(RESIDENCE)
    client.force_login(applicant_user)
    page = _page(client.get(f"/dossiers/{dossier.code}/"))
    assert 'data-testid="pay-online"' in page and "VND 10,000" in page  # the online rate

    started = client.post(f"/payments/dossiers/{dossier.code}/start/")
    payment = Payment.objects.get()
    assert started.status_code == 302 and started["Location"] == (
        f"/payments/fake-gateway/{payment.reference}/")
    assert (payment.amount, payment.state, payment.account) == (10_000, "created",
                                                                applicant_user)
    gateway = _page(client.get(started["Location"]))
    assert "Illustrative" in gateway and "VND 10,000" in gateway
    dossier.refresh_from_db()
    assert not dossier.paid_online  # started is not paid

    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(started["Location"], {"choice": "pay"}, follow=True)
    assert back.redirect_chain[-1] == (f"/dossiers/{dossier.code}/", 302)
    page = _page(back)
    assert f"payment reference {payment.reference}" in page and "Paid online" in page
    assert 'data-testid="pay-online"' not in page
    dossier.refresh_from_db()
    payment.refresh_from_db()
    assert dossier.paid_online and payment.state == "paid" and payment.settled_by == "callback"
    assert '"reference"' in payment.callback_payload  # the message kept as received
    assert DossierEvent.objects.filter(dossier=dossier, action="pay_online").count() == 1
    assert "Fee paid online" in page  # in the public history
    assert AuditEvent.objects.filter(action="dossier.paid_online").count() == 1
    live = _stats()
    assert sum(row[4 + aggregate.COUNTS.index("paid_online")] for row in live) == 1
    aggregate.rebuild()
    assert _stats() == live


def test_cancelling_at_the_gateway_records_nothing_paid(client, submit, applicant_user):
    dossier = submit(RESIDENCE)
    client.force_login(applicant_user)
    started = client.post(f"/payments/dossiers/{dossier.code}/start/")
    back = client.post(started["Location"], {"choice": "cancel"}, follow=True)
    assert "The payment was cancelled" in _page(back)
    dossier.refresh_from_db()
    assert not dossier.paid_online and Payment.objects.get().state == "cancelled"
    # A new try is a new transaction (the cancelled one stays cancelled).
    again = client.post(f"/payments/dossiers/{dossier.code}/start/")
    assert Payment.objects.count() == 2 and again["Location"].startswith("/payments/fake-")


def test_starting_twice_goes_back_to_the_waiting_transaction(client, submit, applicant_user):
    dossier = submit(RESIDENCE)
    client.force_login(applicant_user)
    first = client.post(f"/payments/dossiers/{dossier.code}/start/")
    second = client.post(f"/payments/dossiers/{dossier.code}/start/")
    assert first["Location"] == second["Location"] and Payment.objects.count() == 1
    assert FakeGatewayEntry.objects.count() == 1


def test_a_fee_without_one_clear_amount_is_not_offered_and_the_page_says_why(
        client, submit, applicant_user):
    dossier = submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP")  # two amounts by applicant
    client.force_login(applicant_user)
    page = _page(client.get(f"/dossiers/{dossier.code}/"))
    assert 'data-testid="pay-online"' not in page
    assert "Not payable online" in page and "names several amounts" in page
    response = client.post(f"/payments/dossiers/{dossier.code}/start/", follow=True)
    assert "names several amounts" in _page(response) and not Payment.objects.exists()


def test_without_a_gateway_the_page_says_to_pay_at_the_desk(
        client, submit, applicant_user, settings):
    settings.TINHSO_PAYMENT_FAKE_GATEWAY = False
    settings.TINHSO_PAYMENT_URL = ""
    dossier = submit(RESIDENCE)
    client.force_login(applicant_user)
    page = _page(client.get(f"/dossiers/{dossier.code}/"))
    assert "Online payment is not available at the moment" in page
    assert 'data-testid="pay-online"' not in page
    assert client.get("/payments/fake-gateway/NOPE/").status_code == 404


def test_another_citizen_can_neither_pay_nor_see_the_gateway_page(client, submit):
    dossier = submit(RESIDENCE)
    owner = dossier.applicant
    other = citizen(username="nguoikhac", phone="0912000111")
    client.force_login(owner)
    started = client.post(f"/payments/dossiers/{dossier.code}/start/")
    client.force_login(other)
    assert client.post(f"/payments/dossiers/{dossier.code}/start/").status_code == 404
    assert client.get(started["Location"]).status_code == 404
    assert client.post(started["Location"], {"choice": "pay"}).status_code == 404
    assert client.get(f"/payments/dossiers/{dossier.code}/return/").status_code == 404
    dossier.refresh_from_db()
    assert not dossier.paid_online and Payment.objects.get().state == "created"


def test_the_desk_sees_the_payment_state(client, submit, applicant_user, desk, call_back):
    dossier = submit(RESIDENCE)
    client.force_login(applicant_user)
    client.post(f"/payments/dossiers/{dossier.code}/start/")
    payment = Payment.objects.get()
    client.force_login(desk["commune"])
    page = _page(client.get(f"/desk/{dossier.code}/"))
    assert "Not paid online yet." in page and payment.reference in page
    assert 'data-testid="pay-online"' not in page  # staff do not pay for the applicant
    assert call_back(payment.reference, 10_000).status_code == 200
    page = _page(client.get(f"/desk/{dossier.code}/"))
    assert f"payment reference <code data-testid=\"payment-reference\">{payment.reference}" in page
    assert "signed callback" in page
    # Staff may not start a payment (it is the applicant's).
    assert client.post(f"/payments/dossiers/{dossier.code}/start/").status_code == 404
