"""The applicant's pages: submit online, look up by code and phone, follow one's dossiers,
answer a supplement request, rate, complain; the receipt and apology letters as PDF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import citizen, pdf_upload, submission_post
from tests.procedures.conftest import TUESDAY_9AM
from tinhso.procedures.models import Dossier, DossierStat, Rating
from tinhso.procedures.services import (
    dossier_approve,
    dossier_request_supplement,
    dossier_return_result,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "english_pages")]

BIRTH = "Đăng ký khai sinh"  # same working day; two documents; no fee
MARITAL = "Cấp Giấy xác nhận tình trạng hôn nhân"  # 3 working days; one document; a fee


def _page(response: Any) -> str:
    return response.content.decode()


def test_a_citizen_submits_online_and_lands_on_the_dossier_page(
        client, catalogue, applicant_user, reference_units):
    procedure = catalogue[BIRTH]
    url = f"/dossiers/submit/{procedure.code}/"
    assert f'href="{url}"' in _page(client.get(f"/services/{procedure.code}/"))
    client.force_login(applicant_user)
    form = _page(client.get(url))
    # The form from the procedure's schema, the account's details filled in, a file per document.
    assert 'value="Nguyễn Văn An"' in form and 'value="an@example.vn"' in form
    assert "Họ, chữ đệm và tên người được khai sinh *" in form
    assert 'name="form.sex"' in form and '<option value="nu">Nữ</option>' in form
    assert 'type="file" id="id_doc-to_khai" name="doc.to_khai"' in form
    assert "Giấy chứng sinh (hoặc văn bản thay thế)" in form
    assert reference_units["22366"].name in form and 'name="pay_online"' not in form

    response = client.post(url, submission_post(procedure, reference_units["22366"]), follow=True)

    dossier = Dossier.objects.get()
    assert response.redirect_chain == [(f"/dossiers/{dossier.code}/", 302)]
    page = _page(response)
    assert f"Dossier {dossier.code} was received. The result is due at" in page
    assert 'data-testid="dossier-status">Received<' in page
    assert "Nguyễn Thị Bình" in page and "01/11/2026" in page  # the answers, dates as read
    assert "to_khai.pdf" in page and "giay_chung_sinh.pdf" in page
    assert dossier.applicant == applicant_user and dossier.channel == "online"
    assert dossier.applicant_phone == "0905123456" and dossier.files.count() == 2


def test_submitting_says_the_fee_is_paid_afterwards_and_marks_nothing_paid(
        client, catalogue, applicant_user, reference_units):
    """No "paid online" box any more: a dossier counts as paid online only once the payment
    platform confirms it (tests/payments), even when a client still sends the old field."""
    procedure = catalogue[MARITAL]
    client.force_login(applicant_user)
    form = _page(client.get(f"/dossiers/submit/{procedure.code}/"))
    assert 'name="pay_online"' not in form and "offers to pay the fee online" in form
    client.post(f"/dossiers/submit/{procedure.code}/",
                submission_post(procedure, reference_units["22366"], pay_online="on"))
    dossier = Dossier.objects.get()
    assert dossier.fee_payable and not dossier.paid_online


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_agency_offered_is_the_one_received_even_past_the_thousand_separator(
        client, catalogue, applicant_user, reference_units, language):
    """Numbers are grouped on screen (1,234 or 1.234); the keys in a form's values must not be,
    or the agency chosen is not found when the form comes back."""
    import re

    from tests.factories import UnitFactory

    procedure = catalogue[MARITAL]
    commune = UnitFactory(pk=123456, code="99999", name="Xã Thử Nghiệm (minh họa)",
                          parent=reference_units["56"])
    client.cookies["django_language"] = language
    client.force_login(applicant_user)
    form = _page(client.get(f"/dossiers/submit/{procedure.code}/"))
    offered = re.search(r'<option value="([^"]*)">Xã Thử Nghiệm \(minh họa\)</option>', form)
    assert offered is not None and offered.group(1) == "123456"

    response = client.post(f"/dossiers/submit/{procedure.code}/",
                           submission_post(procedure, commune, unit=offered.group(1)))

    assert response.status_code == 302
    assert Dossier.objects.get().unit == commune


def test_a_bad_submission_is_shown_again_with_each_message_by_its_field_and_nothing_saved(
        client, catalogue, applicant_user, reference_units):
    procedure = catalogue[BIRTH]
    client.force_login(applicant_user)
    response = client.post(f"/dossiers/submit/{procedure.code}/", submission_post(
        procedure, reference_units["22366"], unit="", applicant_phone="12345",
        **{"form.child_name": "", "form.birth_date": "31/02/2026",
           "form.birth_place": "Nha Trang", "doc.to_khai": pdf_upload("a.pdf", b"not a pdf"),
           "doc.giay_chung_sinh": None}))

    assert response.status_code == 200
    page = _page(response)
    assert "The dossier was not submitted" in page and "attach only the others again" in page
    expected = {
        "applicant_phone": "Give a Vietnamese phone number (10 digits, starting with 0).",
        "unit": "Choose the agency that receives your dossier.",
        "form.child_name": "This field is required.",
        "form.birth_date": "Give a date as DD/MM/YYYY.",
        "doc.to_khai": "a.pdf is not really a PDF file.",
        "doc.giay_chung_sinh": "Attach Giấy chứng sinh (hoặc văn bản thay thế).",
    }
    for field, message in expected.items():
        assert f'data-field="{field}">{message}</small>' in page, field
    # What was typed is kept.
    assert 'value="12345"' in page and 'value="Nha Trang"' in page
    assert 'value="Nguyễn Văn An"' in page
    assert not Dossier.objects.exists() and not DossierStat.objects.exists()


def test_a_staff_account_cannot_submit_and_is_told_why(client, catalogue, desk,
                                                      reference_units):
    procedure = catalogue[BIRTH]
    client.force_login(desk["commune"])
    page = client.get(f"/dossiers/submit/{procedure.code}/")
    assert page.status_code == 403
    assert "submitted online with a citizen or business account" in _page(page)
    refused = client.post(f"/dossiers/submit/{procedure.code}/",
                          submission_post(procedure, reference_units["22366"]))
    assert refused.status_code == 403 and not Dossier.objects.exists()


def test_signing_in_is_needed_to_submit_and_offline_procedures_have_no_form(
        client, catalogue, applicant_user):
    procedure = catalogue[BIRTH]
    response = client.get(f"/dossiers/submit/{procedure.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(applicant_user)
    offline = client.get(f"/dossiers/submit/{catalogue['Chứng thực chữ ký'].code}/")
    assert "This procedure is not offered online" in _page(offline)
    assert 'data-testid="submit-form"' not in _page(offline)
    assert client.get("/dossiers/submit/NOPE/").status_code == 404


def test_the_lookup_with_code_and_phone_shows_status_and_history_but_not_the_form(
        client, submit, desk):
    dossier = submit(MARITAL)
    dossier_request_supplement(actor=desk["commune"], dossier=dossier,
                               reason="Thiếu bản sao CCCD", now=TUESDAY_9AM + timedelta(hours=1))

    found = _page(client.post("/dossiers/lookup/", {"code": dossier.code.lower(),
                                                    "phone": "0905.123.456"}))

    assert 'data-testid="dossier-status">Waiting for supplement<' in found
    assert MARITAL in found and dossier.unit.name in found
    assert "17/11/2026" in found  # received, as DD/MM/YYYY
    assert "Submitted online" in found and "Supplement requested" in found
    assert "Thiếu bản sao CCCD" in found
    assert "Nguyễn Thị Bình" not in found and "to_khai.pdf" not in found  # form, files
    assert desk["commune"].username not in found  # nor who acted


@pytest.mark.parametrize("code, phone", [("right", "0905123457"), ("22366-261117-9999",
                                                                  "0905123456")])
def test_a_wrong_code_or_phone_gets_one_message_that_does_not_say_which(client, submit,
                                                                          code, phone):
    dossier = submit(MARITAL)
    page = _page(client.post("/dossiers/lookup/", {
        "code": dossier.code if code == "right" else code, "phone": phone}))
    assert "There is no dossier with this code and phone number." in page
    assert 'data-testid="dossier-status"' not in page and "Received" not in page
    assert MARITAL not in page


def test_too_many_wrong_pairs_from_one_address_wait_there_and_not_elsewhere(
        client, submit, settings):
    settings.TINHSO_LOOKUP_FAILURE_LIMIT = 3
    dossier = submit(MARITAL)
    guesser = {"REMOTE_ADDR": "203.0.113.7"}
    for guess in ("0905000001", "0905000002", "0905000003"):
        wrong = client.post("/dossiers/lookup/", {"code": dossier.code, "phone": guess},
                            **guesser)
        assert wrong.status_code == 200 and "There is no dossier" in _page(wrong)
    # The fourth try is refused even with the right phone number...
    refused = client.post("/dossiers/lookup/", {"code": dossier.code, "phone": "0905123456"},
                          **guesser)
    assert refused.status_code == 429
    assert "Too many look-ups" in _page(refused) and "15 minutes" in _page(refused)
    assert 'data-testid="dossier-status"' not in _page(refused)
    # ...from that address only; and the API counts the same failures.
    other = client.post("/dossiers/lookup/", {"code": dossier.code, "phone": "0905123456"},
                        REMOTE_ADDR="198.51.100.9")
    assert 'data-testid="dossier-status"' in _page(other)
    api = client.get("/api/v1/dossiers/lookup/", {"code": dossier.code, "phone": "0905123456"},
                     **guesser)
    assert api.status_code == 429 and "Too many look-ups" in api.json()["detail"]


def test_only_the_applicant_sees_the_dossier_page_and_its_files(client, submit, desk):
    dossier = submit(BIRTH)
    document = dossier.files.get(document="to_khai")
    urls = [f"/dossiers/{dossier.code}/", f"/dossiers/{dossier.code}/files/{document.pk}/",
            f"/dossiers/{dossier.code}/receipt.pdf"]
    client.force_login(citizen(username="nguoikhac"))
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(desk["other"])  # staff of another commune
    assert [client.get(url).status_code for url in urls[1:]] == [404, 404]
    client.force_login(desk["commune"])  # staff who may act on it: the files, not the page
    assert [client.get(url).status_code for url in urls] == [404, 200, 200]

    client.force_login(dossier.applicant)
    download = client.get(urls[1])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="to_khai.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_receipt_and_the_apology_letter_are_pdf(client, submit, desk, applicant_user):
    dossier = submit(BIRTH)  # due the same day; approved the next: late, with an apology
    dossier_approve(actor=desk["commune"], dossier=dossier, now=TUESDAY_9AM + timedelta(days=1))
    letter = dossier.apologies.get()
    client.force_login(applicant_user)
    page = _page(client.get(f"/dossiers/{dossier.code}/"))
    assert f'href="/dossiers/{dossier.code}/receipt.pdf"' in page
    assert f'href="/dossiers/{dossier.code}/apology/{letter.pk}.pdf"' in page
    assert 'data-testid="late">Resolved late<' in page

    for url in (f"/dossiers/{dossier.code}/receipt.pdf",
                f"/dossiers/{dossier.code}/apology/{letter.pk}.pdf"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    client.logout()
    assert client.get(f"/dossiers/{dossier.code}/receipt.pdf").status_code == 302


def test_my_dossiers_newest_first_with_the_overdue_marked(client, submit, applicant_user):
    late = submit(BIRTH, at=timezone.localtime() - timedelta(days=10))  # due the same day
    fresh = submit(MARITAL, at=timezone.localtime())  # due in three working days
    client.force_login(applicant_user)
    page = _page(client.get("/dossiers/"))
    assert page.index(fresh.code) < page.index(late.code)
    row_late = page[page.index(late.code):]
    row_fresh = page[page.index(fresh.code):page.index(late.code)]
    assert "Overdue" in row_late and "Overdue" not in row_fresh
    assert f"{timezone.localtime(late.due_at):%H:%M %d/%m/%Y}" in row_late  # HH:MM DD/MM/YYYY


def test_the_applicant_answers_a_supplement_request_on_the_page(client, submit, desk,
                                                               applicant_user):
    dossier = submit(MARITAL, at=timezone.localtime() - timedelta(hours=2))
    dossier_request_supplement(actor=desk["commune"], dossier=dossier,
                               reason="Thiếu bản sao CCCD")
    client.force_login(applicant_user)
    url = f"/dossiers/{dossier.code}/"
    page = _page(client.get(url))
    assert 'data-testid="dossier-status">Waiting for supplement<' in page
    assert 'data-testid="supplement-request">Thiếu bản sao CCCD<' in page

    empty = _page(client.post(url, {"action": "supplement", "note": " "}))
    assert "Say what you supplement, or attach a file." in empty
    response = client.post(url, {"action": "supplement", "note": "Đã bổ sung",
                                 "files": [pdf_upload("cccd.pdf")]}, follow=True)

    page = _page(response)
    assert "Your supplement was sent" in page
    assert 'data-testid="dossier-status">In processing<' in page
    assert "Supplement answered" in page and "cccd.pdf" in page
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.files.filter(kind="supplement").count() == 1


def test_the_applicant_downloads_the_result_rates_once_and_complains(client, submit, desk,
                                                                    applicant_user):
    dossier = submit(MARITAL, at=timezone.localtime() - timedelta(hours=2))
    client.force_login(applicant_user)
    url = f"/dossiers/{dossier.code}/"
    assert 'name="level"' not in _page(client.get(url))  # not before it is resolved
    dossier_approve(actor=desk["commune"], dossier=dossier)
    dossier_return_result(actor=desk["commune"], dossier=dossier,
                          result=pdf_upload("xac-nhan.pdf"))
    page = _page(client.get(url))
    result = dossier.files.get(kind="result")
    assert f'href="/dossiers/{dossier.code}/files/{result.pk}/"' in page
    assert 'name="level"' in page and "Very satisfied" in page

    rated = _page(client.post(url, {"action": "rate", "level": "5", "comment": "Nhanh"},
                              follow=True))
    assert "Thank you: your rating was recorded." in rated
    assert "You rated this dossier: Very satisfied" in rated and 'name="level"' not in rated

    again = client.post(url, {"action": "rate", "level": "1"})
    assert again.status_code == 200
    assert "This dossier has already been rated." in _page(again)
    assert Rating.objects.get(dossier=dossier).level == 5

    blank = _page(client.post(url, {"action": "complain", "text": ""}))
    assert 'data-field="text">Give the reason.</small>' in blank
    sent = _page(client.post(url, {"action": "complain", "text": "Trả kết quả chậm"},
                             follow=True))
    assert f"Your complaint was sent to {dossier.unit.name}." in sent
    assert "Trả kết quả chậm" in sent and "Complaint sent" in sent
