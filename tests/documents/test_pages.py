"""The document office's pages: the list, registering an incoming document, drafting an
outgoing one (an answer prefilled), the document's page with its files, signatures, handling
slip and the forms of who may act, each POST allowed and refused; what a person may not see is
a 404, and every opening is logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import (
    PDF,
    citizen,
    incoming,
    incoming_fields,
    office_world,
)
from tinhso.documents import selectors, services
from tinhso.documents.models import Access, Attachment, Document, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


@pytest.fixture
def office():
    return office_world()


def as_(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def form_data(**overrides) -> dict:
    data = {"unit": "", "issuer_code": "000.00.00.G12", "issuer_name": "Bộ Khoa học và Công nghệ",
            "number": "405", "notation": "QĐ-BKHCN", "kind": "Quyết định",
            "issued_on": "20/03/2026", "subject": "Về việc ban hành Bộ chỉ số DTI (thử)",
            "signer_name": "Nguyễn Văn A", "priority": "0", "electronic": "on"}
    data.update(overrides)
    return data


def directed(office, **kwargs):
    document = incoming(office, **kwargs)
    services.document_direct(actor=office.leader, document=document, lead_unit=office.finance,
                             due_on=date.today() + timedelta(days=10), instruction="Chủ trì")
    return document


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_what_each_may_see_and_filters(office):
    document = incoming(office)
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="Báo cáo quý",
                                    external=[("G12", "Bộ KH&CN")])
    url = reverse("documents:list")
    page = as_(office.clerk).get(url)
    assert page.status_code == 200 and f'data-document="{document.pk}"' in page.content.decode()
    assert f'data-document="{draft.pk}"' in page.content.decode()  # the province's roles cover
    justice = as_(office.justice_officer).get(url).content.decode()
    assert f'data-document="{draft.pk}"' not in justice  # Finance's draft, not Justice's
    assert f'data-document="{document.pk}"' not in as_(
        office.finance_officer).get(url).content.decode()  # not assigned to Finance yet
    only_out = as_(office.leader).get(url, {"direction": "out"}).content.decode()
    assert f'data-document="{document.pk}"' not in only_out
    assert f'data-document="{document.pk}"' in as_(office.leader).get(
        url, {"status": "registered", "year": str(document.year), "direction": "in"}
    ).content.decode()
    assert as_(citizen()).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_list_pages_newest_first_without_counting_and_takes_any_page_typed(office,
                                                                              monkeypatch):
    monkeypatch.setattr(selectors, "PER_PAGE", 3)
    made = [incoming(office, number=n, issued_on=date(2026, 3, n)) for n in range(1, 5)]
    url, clerk = reverse("documents:list"), as_(office.clerk)

    def shown(page: object) -> tuple[list[int], bool, bool]:
        html = clerk.get(url, {"page": page, "direction": "in"}).content.decode()
        rows = sorted((html.index(f'data-document="{d.pk}"'), d.pk) for d in made
                      if f'data-document="{d.pk}"' in html)
        return [pk for _at, pk in rows], 'rel="prev"' in html, 'rel="next"' in html

    newest = [d.pk for d in reversed(made)]
    assert shown(1) == (newest[:3], False, True)
    assert shown(2) == (newest[3:], True, False)
    for typed in ("", "abc", "0", "-2", "1.5"):
        assert shown(typed) == (newest[:3], False, True), typed
    rows, previous, following = shown(10**9)  # beyond the last page: none, and a way back
    assert (rows, previous, following) == ([], True, False)
    html = clerk.get(url).content.decode()
    assert '<option value="2026"' in html  # the register years offered


# --- registering an incoming document -------------------------------------------------------


def test_the_clerk_registers_with_files_and_gets_the_arrival_number(office):
    upload = SimpleUploadedFile("qd-405.pdf", PDF, content_type="application/pdf")
    response = as_(office.clerk).post(reverse("documents:incoming_new"), form_data(
        unit=office.province.pk, assigns_work="on", upload=[upload]))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    assert document.arrival_number == 1 and document.assigns_work
    assert document.attachments.get().name == "qd-405.pdf"


def test_bad_input_is_shown_on_the_form_and_nothing_is_registered(office):
    response = as_(office.clerk).post(reverse("documents:incoming_new"), form_data(
        unit=office.province.pk, subject=" ", number="", issued_on="01/01/2099"))
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("subject", "number", "issued_on"):
        assert f'data-field="{field}"' in html
    not_a_date = as_(office.clerk).post(reverse("documents:incoming_new"), form_data(
        unit=office.province.pk, issued_on="31/02/2026"))
    assert not_a_date.status_code == 400
    assert "is not a date" in not_a_date.content.decode()
    assert not Document.objects.exists()


def test_a_duplicate_warns_and_registers_again_only_when_ticked(office):
    incoming(office)
    client = as_(office.clerk)
    url = reverse("documents:incoming_new")
    warned = client.post(url, form_data(unit=office.province.pk))
    assert warned.status_code == 400
    html = warned.content.decode()
    assert 'data-testid="duplicate-warning"' in html and "arrival number 1" in html
    assert 'name="register_again"' in html and Document.objects.count() == 1
    again = client.post(url, form_data(unit=office.province.pk, register_again="on"))
    assert again.status_code == 302 and Document.objects.count() == 2


def test_only_clerks_open_the_register_form(office):
    assert as_(office.clerk).get(reverse("documents:incoming_new")).status_code == 200
    assert as_(office.finance_officer).get(reverse("documents:incoming_new")).status_code == 403
    # a department's clerk may not register at the province (the service refuses: 403)
    response = as_(office.finance_clerk).post(reverse("documents:incoming_new"),
                                              form_data(unit=office.province.pk))
    assert response.status_code == 403 and not Document.objects.exists()


def test_a_confidential_document_is_read_by_its_named_readers_only(office):
    response = as_(office.clerk).post(reverse("documents:incoming_new"), form_data(
        unit=office.province.pk, confidential="on", readers="lanhdao"))
    document = Document.objects.get()
    assert response.status_code == 302 and document.confidential
    url = reverse("documents:detail", args=[document.pk])
    assert as_(office.leader).get(url).status_code == 200
    assert as_(office.finance_officer).get(url).status_code == 404
    unknown = as_(office.clerk).post(reverse("documents:incoming_new"), form_data(
        unit=office.province.pk, number="7", confidential="on", readers="nobody.here"))
    assert unknown.status_code == 400 and "nobody.here" in unknown.content.decode()


# --- drafting an outgoing document ----------------------------------------------------------


def test_an_answer_is_prefilled_and_drafted_in_reply(office):
    document = directed(office)
    url = reverse("documents:outgoing_new") + f"?reply_to={document.pk}"
    client = as_(office.finance_officer)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "405/QĐ-BKHCN" in html and "000.00.00.G12 | Bộ Khoa học và Công nghệ" in html
    response = client.post(url, {"reply_to": document.pk, "unit": office.finance.pk,
                                 "kind": "Công văn", "notation": "STC-VP",
                                 "subject": "Trả lời", "priority": "0",
                                 "recipients": [office.province.pk],
                                 "external": "000.00.00.G12 | Bộ Khoa học và Công nghệ"})
    answer = Document.objects.get(direction="out")
    assert response.status_code == 302 and answer.reply_to == document
    assert answer.status == Status.DRAFT and answer.recipients.count() == 2


def test_addressees_in_bad_lines_are_named(office):
    response = as_(office.finance_officer).post(reverse("documents:outgoing_new"), {
        "unit": office.finance.pk, "kind": "Công văn", "notation": "STC-VP",
        "subject": "x", "priority": "0", "external": "G12 | Bộ\nno bar here"})
    assert response.status_code == 400 and "Line 2" in response.content.decode()
    no_addressee = as_(office.finance_officer).post(reverse("documents:outgoing_new"), {
        "unit": office.finance.pk, "kind": "Công văn", "notation": "STC-VP",
        "subject": "x", "priority": "0"})
    assert no_addressee.status_code == 400
    assert 'data-field="recipients"' in no_addressee.content.decode()
    assert not Document.objects.exists()
    assert as_(office.finance_clerk).get(reverse("documents:outgoing_new")).status_code == 200


# --- the document's page ---------------------------------------------------------------------


def test_the_page_logs_access_and_hides_from_other_units(office):
    document = incoming(office)
    url = reverse("documents:detail", args=[document.pk])
    assert as_(office.clerk).get(url).status_code == 200
    assert Access.objects.filter(document=document, user=office.clerk, what="view").exists()
    for stranger in (office.outsider, office.justice_officer, citizen()):
        assert as_(stranger).get(url).status_code == 404
    assert Access.objects.count() == 1
    assert as_(office.clerk).get(reverse("documents:detail", args=[10**6])).status_code == 404


def test_files_download_with_their_access_logged(office):
    document = services.incoming_register(
        actor=office.clerk, unit=office.province,
        files=[SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf")],
        **incoming_fields())
    attachment = document.attachments.get()
    url = reverse("documents:file", args=[document.pk, attachment.pk])
    response = as_(office.leader).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert Access.objects.filter(user=office.leader, what=f"file {attachment.pk}").exists()
    assert as_(office.outsider).get(url).status_code == 404
    other = incoming(office, number=9)
    assert as_(office.leader).get(
        reverse("documents:file", args=[other.pk, attachment.pk])).status_code == 404


def _signed(document, file_state, **signature):
    return document.attachments.create(name=f"{file_state}.pdf", sha256="0" * 64,
                                       signature_state=file_state, signature={
                                           "state": file_state, "signatures": [signature]})


@pytest.mark.parametrize(("state", "css"), [("valid", "status-achieved"),
                                            ("untrusted", "status-at_risk"),
                                            ("altered", "status-off_track"),
                                            ("unreadable", "status-off_track"),
                                            ("unsigned", "status-unknown"),
                                            ("forged-state", "status-off_track")])
def test_each_signature_state_is_a_coloured_badge_never_valid_when_altered(office, state, css):
    document = incoming(office)
    _signed(document, state, signer="Nguyễn Văn A", organisation="Bộ KH&CN", state=state,
            signed_at="2026-03-20T08:15:00+07:00")
    html = as_(office.clerk).get(reverse("documents:detail", args=[document.pk])).content.decode()
    badge = html.split('data-testid="signature-state"')[0].rsplit("<span", 1)[1]
    assert css in badge
    if state != "valid":
        assert "Signature valid" not in html
    assert "Nguyễn Văn A (Bộ KH&amp;CN) · 08:15 20/03/2026" in html


def test_a_file_not_checked_shows_no_badge(office):
    document = incoming(office)
    document.attachments.create(name="note.txt", sha256="0" * 64)
    html = as_(office.clerk).get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "note.txt" in html and 'data-testid="signature-state"' not in html


def test_the_page_reads_in_a_fixed_number_of_queries(office, django_assert_max_num_queries):
    document = directed(office)
    client = as_(office.leader)
    url = reverse("documents:detail", args=[document.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(5):
        Attachment.objects.create(document=document, name=f"{n}.txt", sha256="0" * 64)
        services.document_comment(actor=office.finance_officer, document=document, text=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_numbers_and_years_are_not_written_as_quantities_in_vietnamese(office):
    document = incoming(office)
    client = Client()
    client.force_login(office.clerk)  # no language cookie: Vietnamese
    year = str(document.year)
    html = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert f"1/{year}" in html and f"1/{year[0]}.{year[1:]}" not in html
    listing = client.get(reverse("documents:list")).content.decode()
    assert f'<option value="{year}"' in listing and f"1/{year}" in listing
    register = client.get(reverse("documents:register_incoming")).content.decode()
    assert f'<option value="{year}" selected>{year}</option>' in register
