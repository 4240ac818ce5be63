"""Signing and the exchange from the pages: the clerk signs an outgoing PDF with the
organisation's certificate from the document's page (the button only for the clerk, and only
when a certificate is configured), sends an issued document to other agencies and sees the
receiver's acknowledgement there; a refusal is a message on the page, never an error page;
the exchange page lists the packages of the units one follows, and nothing of others'."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.documents.pki import make_pdf
from tests.factories import Office, grant, office_world, staff_user
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import SYSTEM
from tinhso.documents import exchange, services
from tinhso.documents.connectors import FakeConnector
from tinhso.documents.models import Document, Exchange
from tinhso.documents.signing import verify

pytestmark = pytest.mark.django_db

PROVINCE_CODE, FINANCE_CODE, ELSEWHERE = "000.00.00.H34", "000.00.15.H34", "000.00.00.H41"


@pytest.fixture
def office(settings: Any) -> Office:
    settings.TINHSO_DOCUMENT_EXCHANGE = "fake"
    return office_world()


def as_(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def draft(office: Office, external: str = FINANCE_CODE) -> Document:
    """An outgoing document of the province with a PDF, addressed to an agency elsewhere."""
    return services.outgoing_draft(
        actor=office.clerk, unit=office.province, kind="Công văn", notation="UBND-KT",
        subject="Về việc chuyển đổi số (thử)", external=[(external, "Sở Tài chính")],
        files=[SimpleUploadedFile("cong-van.pdf", make_pdf(), "application/pdf")])


def issued(office: Office, external: str = FINANCE_CODE) -> Document:
    return services.outgoing_issue(actor=office.clerk, document=draft(office, external),
                                   signer_name="Trần Hòa Nam")


def page(user: Any, document: Document) -> str:
    response = as_(user).get(reverse("documents:detail", args=[document.pk]))
    assert response.status_code == 200
    return response.content.decode()


def sign_url(document: Document) -> str:
    pdf = document.attachments.get(name="cong-van.pdf")
    return reverse("documents:sign", args=[document.pk, pdf.pk])


def test_only_the_clerk_sees_the_sign_button_and_only_with_a_certificate(office, settings,
                                                                          configured):
    document = draft(office)
    assert 'data-testid="sign-form"' in page(office.clerk, document)
    assert 'data-testid="sign-form"' not in page(office.leader, document)
    settings.TINHSO_DOCUMENT_SIGNING_KEY = ""
    assert 'data-testid="sign-form"' not in page(office.clerk, document)


def test_signing_through_the_page_keeps_a_valid_signed_copy(office, configured):
    document = draft(office)
    response = as_(office.clerk).post(sign_url(document), follow=True)
    assert response.status_code == 200
    assert "Signed with the organisation&#x27;s certificate: cong-van.signed.pdf" in (
        response.content.decode())
    copy = document.attachments.get(name="cong-van.signed.pdf")
    with copy.file.open("rb") as handle:
        assert verify(handle.read()).state == "valid"
    assert copy.signed_here and copy.signature_state == "valid"
    assert 'data-testid="sign-form"' not in page(office.clerk, document)  # signed once


def test_who_may_not_sign_is_refused_and_a_refusal_is_a_message(office, settings, configured):
    document = draft(office)
    assert as_(office.leader).post(sign_url(document)).status_code == 403
    assert as_(office.outsider).post(sign_url(document)).status_code == 404
    settings.TINHSO_DOCUMENT_SIGNING_CERT = ""
    response = as_(office.clerk).post(sign_url(document), follow=True)
    assert response.status_code == 200
    assert "cong-van.pdf was not signed: No organisation certificate is configured" in (
        response.content.decode())
    assert document.attachments.count() == 1


def test_the_clerk_sends_and_sees_the_receivers_acknowledgement(office):
    document = issued(office)
    assert 'data-testid="send-form"' in page(office.clerk, document)
    assert 'data-testid="send-form"' not in page(office.leader, document)
    response = as_(office.clerk).post(reverse("documents:send", args=[document.pk]),
                                      follow=True)
    assert "Queued for 1 agency: Sở Tài chính." in response.content.decode()
    row = Exchange.objects.get(document=document, outbound=True)
    assert (row.state, row.peer_code) == ("waiting", FINANCE_CODE)
    # the exchange carries it; the finance department registers it and says so
    fake = FakeConnector(organs={PROVINCE_CODE, FINANCE_CODE})
    for _round in range(2):
        exchange.exchange_send_pending(connector=fake)
        exchange.exchange_receive(actor=SYSTEM, connector=fake)
    row.refresh_from_db()
    assert row.state == "acknowledged" and row.status_code
    shown = page(office.clerk, document)
    assert 'data-state="acknowledged"' in shown and f"(code {row.status_code})" in shown
    assert row.status_text in shown
    assert 'data-testid="send-form"' not in shown  # sent once


def test_a_refused_send_is_a_message_and_nothing_is_queued(office, settings):
    document = issued(office)
    settings.TINHSO_DOCUMENT_EXCHANGE = ""
    response = as_(office.clerk).post(reverse("documents:send", args=[document.pk]),
                                      follow=True)
    assert response.status_code == 200
    assert "The document was not sent: The exchange with other agencies is off" in (
        response.content.decode())
    assert not Exchange.objects.filter(document=document).exists()
    assert as_(office.leader).post(
        reverse("documents:send", args=[document.pk])).status_code == 403


def refuse_at_finance(office: Office) -> None:
    with pytest.raises(ValidationError):
        exchange.package_import(actor=office.finance_clerk, unit=office.finance,
                                data=b"<not a package/>", name="hong.edxml")


def test_the_exchange_page_groups_the_packages_and_shows_the_failures(office):
    waiting = issued(office)
    exchange.document_send(actor=office.clerk, document=waiting)
    failing = issued(office, external=ELSEWHERE)
    exchange.document_send(actor=office.clerk, document=failing)
    fake = FakeConnector(organs={PROVINCE_CODE, FINANCE_CODE})
    fake.fail = True
    exchange.exchange_send_pending(connector=fake)
    refuse_at_finance(office)
    response = as_(office.clerk).get(reverse("documents:exchange"))
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="exchange-failed"' in text
    assert "the exchange is unavailable (fake)" in text
    assert reverse("documents:detail", args=[failing.pk]) in text
    assert 'data-testid="exchange-refused"' in text and "hong.edxml" in text
    leader = as_(office.leader).get(reverse("documents:exchange")).content.decode()
    assert 'data-testid="exchange-failed"' in leader


def test_another_unit_sees_nothing_of_the_provinces_exchange(office):
    document = issued(office)
    exchange.document_send(actor=office.clerk, document=document)
    finance = as_(office.finance_clerk).get(reverse("documents:exchange")).content.decode()
    assert 'data-testid="exchange-row"' not in finance and 'data-testid="exchange-empty"' in (
        finance)
    assert 'data-testid="nav-exchange"' in finance
    refuse_at_finance(office)
    finance = as_(office.finance_clerk).get(reverse("documents:exchange")).content.decode()
    assert 'data-testid="exchange-refused"' in finance and "hong.edxml" in finance
    assert reverse("documents:detail", args=[document.pk]) not in finance
    assert as_(office.finance_officer).get(reverse("documents:exchange")).status_code == 403
    stranger = staff_user(unit=office.justice, username="vanthu.khac")
    grant(stranger, Role.CLERK, office.justice)
    assert 'data-testid="exchange-row"' not in as_(stranger).get(
        reverse("documents:exchange")).content.decode()
