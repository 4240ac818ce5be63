"""Online payment through the API: the applicant starts a payment and reads its state; staff
who see the dossier read it; anyone else is answered as if the dossier did not exist."""

from __future__ import annotations

import pytest

from tests.factories import citizen
from tests.payments.conftest import RESIDENCE
from tests.procedures.test_dossier_api import bearer
from tinhso.payments.models import Payment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "english_pages")]


def test_the_applicant_starts_and_follows_a_payment(client, submit, applicant_user, call_back):
    dossier = submit(RESIDENCE)
    url = f"/api/v1/payments/dossiers/{dossier.code}/"
    state = client.get(url, **bearer(applicant_user)).json()
    assert state["amount_due"] == 10_000 and state["may_pay"] and not state["paid_online"]
    assert state["fee"].startswith("20.000 đồng") and state["payments"] == []

    started = client.post(url, **bearer(applicant_user))
    assert started.status_code == 201
    body = started.json()
    payment = Payment.objects.get()
    assert body["reference"] == payment.reference and body["amount"] == 10_000
    assert body["state"] == "created" and body["is_illustrative"] is True
    assert body["payment_url"].endswith(f"/payments/fake-gateway/{payment.reference}/")

    call_back(payment.reference, 10_000)
    state = client.get(url, **bearer(applicant_user)).json()
    assert state["paid_online"] and state["receipt_reference"] == payment.reference
    assert state["amount_due"] is None and state["reason"] == "The fee was paid online."
    assert [p["state"] for p in state["payments"]] == ["paid"]
    again = client.post(url, **bearer(applicant_user))
    assert again.status_code == 400 and "paid online" in again.json()["detail"]


def test_others_get_404_and_staff_read_only(client, submit, desk):
    dossier = submit(RESIDENCE)
    url = f"/api/v1/payments/dossiers/{dossier.code}/"
    other = citizen(username="khac", phone="0912000222")
    assert client.get(url, **bearer(other)).status_code == 404
    assert client.post(url, **bearer(other)).status_code == 404
    staff = client.get(url, **bearer(desk["commune"]))
    assert staff.status_code == 200 and staff.json()["may_pay"] is False
    assert client.post(url, **bearer(desk["commune"])).status_code == 404
    assert client.get(url, **bearer(desk["other"])).status_code == 404  # another commune
    assert not Payment.objects.exists()


def test_a_fee_without_one_amount_answers_400_with_the_reason(client, submit, applicant_user):
    dossier = submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP")
    url = f"/api/v1/payments/dossiers/{dossier.code}/"
    state = client.get(url, **bearer(applicant_user)).json()
    assert state["amount_due"] is None and "several amounts" in state["reason"]
    response = client.post(url, **bearer(applicant_user))
    assert response.status_code == 400 and "several amounts" in response.json()["detail"]
