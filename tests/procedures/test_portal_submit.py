"""The citizen's way to a submission: the procedure page before signing in, the form filled in
from the account and the last dossier, the searchable list of agencies, and the files kept
after a refused try."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import escape

from tests.factories import citizen, form_for, pdf_upload, submission_post
from tinhso.procedures.models import Dossier
from tinhso.procedures.services import Applicant, held

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "english_pages")]

BIRTH = "Đăng ký khai sinh"  # commune level (65 communes), two documents, no fee
MARITAL = "Cấp Giấy xác nhận tình trạng hôn nhân"  # commune level, one document, a fee
RESIDENCE = "Đăng ký thường trú"  # its form asks an address


# --- 1. the procedure page, before signing in ------------------------------------------------


def test_a_visitor_reads_documents_fee_time_legal_basis_and_agencies_before_signing_in(
        client, catalogue, reference_units):
    procedure = catalogue[MARITAL]
    page = client.get(f"/services/{procedure.code}/").content.decode()
    documents = page[page.index('data-testid="required-documents"'):]
    for document in procedure.required_documents:
        assert document["name"] in documents
    # the page reads in English: the catalogue's English twins where it has them
    assert procedure.fee_en and escape(procedure.fee_en) in page and procedure.fee not in page
    assert escape(procedure.time_limit_text) in page
    assert escape(procedure.legal_basis_text) in page
    agencies = page[page.index('data-testid="receiving-units"'):]
    assert reference_units["22366"].name in agencies and "65 receiving units" in agencies
    assert "Sign in to submit online" in page
    form = page[page.index('data-testid="form-fields"'):]
    assert procedure.form_schema[0]["label"] in form
    # The button leads to the form, which asks to sign in first and comes back.
    response = client.get(f"/dossiers/submit/{procedure.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"next=/dossiers/submit/{procedure.code}/" in response["Location"]


# --- 2. the files of a refused try are kept ---------------------------------------------------


def test_files_of_a_refused_try_are_kept_and_used_when_the_form_comes_back(
        client, catalogue, applicant_user, reference_units):
    procedure = catalogue[BIRTH]
    url = f"/dossiers/submit/{procedure.code}/"
    client.force_login(applicant_user)
    refused = client.post(url, submission_post(procedure, reference_units["22366"],
                                       applicant_phone="12345"))
    assert refused.status_code == 200 and not Dossier.objects.exists()
    page = refused.content.decode()
    assert 'data-testid="held-doc.to_khai"' in page
    assert "Already attached: to_khai.pdf" in page
    # The file input is no longer required: the browser lets the form go without it.
    field = page[page.index('id="id_doc-to_khai"'):]
    assert " required" not in field[:field.index(">")]

    again = submission_post(procedure, reference_units["22366"], **{
        "doc.to_khai": None, "doc.giay_chung_sinh": None})
    response = client.post(url, again)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert sorted(f.name for f in dossier.files.all()) == ["giay_chung_sinh.pdf", "to_khai.pdf"]
    assert all(f.file.read().startswith(b"%PDF") for f in dossier.files.all())
    # Used once: nothing kept for the next dossier.
    assert held.held_files(session=client.session, user=applicant_user,
                           procedure_code=procedure.code) == {}


def test_a_bad_file_is_not_kept_a_new_one_replaces_and_remove_drops_a_kept_one(
        client, catalogue, applicant_user, reference_units):
    procedure = catalogue[BIRTH]
    url = f"/dossiers/submit/{procedure.code}/"
    client.force_login(applicant_user)
    page = client.post(url, submission_post(procedure, reference_units["22366"], **{
        "form.child_name": "", "doc.to_khai": pdf_upload("a.pdf", b"not a pdf")})
    ).content.decode()
    assert 'data-testid="held-doc.to_khai"' not in page
    assert "Already attached: giay_chung_sinh.pdf" in page

    page = client.post(url, submission_post(procedure, reference_units["22366"], **{
        "form.child_name": "", "doc.to_khai": None,
        "doc.giay_chung_sinh": pdf_upload("moi.pdf")})).content.decode()
    assert "Already attached: moi.pdf" in page and "giay_chung_sinh.pdf" not in page

    page = client.post(url, submission_post(procedure, reference_units["22366"], **{
        "doc.to_khai": pdf_upload("to_khai.pdf"), "doc.giay_chung_sinh": None,
        "remove": "doc.giay_chung_sinh"})).content.decode()
    assert not Dossier.objects.exists()
    assert 'data-field="doc.giay_chung_sinh">Attach' in page
    assert "Already attached: to_khai.pdf" in page and "moi.pdf" not in page


def test_kept_files_belong_to_their_account_only(client, catalogue, applicant_user,
                                                 reference_units):
    procedure = catalogue[BIRTH]
    url = f"/dossiers/submit/{procedure.code}/"
    client.force_login(applicant_user)
    client.post(url, submission_post(procedure, reference_units["22366"], applicant_phone="12345"))
    other = citizen(username="nguoikhac")
    client.force_login(other)  # a new session: the other account sees nothing kept
    page = client.get(url).content.decode()
    assert "Already attached" not in page
    response = client.post(url, submission_post(procedure, reference_units["22366"], **{
        "doc.to_khai": None, "doc.giay_chung_sinh": None}))
    assert response.status_code == 200 and not Dossier.objects.exists()
    # The same session handed to another account does not give it the files either.
    session: dict[str, Any] = {}
    held.hold(session=session, user=applicant_user, procedure_code=procedure.code,
              uploads={"doc.to_khai": pdf_upload()})
    assert held.held_files(session=session, user=other, procedure_code=procedure.code) == {}
    assert set(held.held_files(session=session, user=applicant_user,
                               procedure_code=procedure.code)) == {"doc.to_khai"}


def test_abandoned_kept_files_are_deleted_after_a_day(applicant_user):
    session: dict[str, Any] = {}
    kept = held.hold(session=session, user=applicant_user, procedure_code="X",
                     uploads={"doc.a": pdf_upload()})
    path = kept["doc.a"].path
    assert held.purge_abandoned() == 0 and default_storage.exists(path)
    assert held.purge_abandoned(now=timezone.now() + timedelta(hours=25)) == 1
    assert not default_storage.exists(path)
    assert held.held_files(session=session, user=applicant_user, procedure_code="X") == {}


# --- 3. filled in from the account and the last dossier ---------------------------------------


def test_the_form_is_filled_in_from_the_account_and_the_latest_dossier(
        client, catalogue, submit, applicant_user, reference_units):
    assert applicant_user.phone == ""
    submit(RESIDENCE, form_data={**form_for(catalogue[RESIDENCE]),
                                 "address": "12 Trần Phú, Nha Trang"},
           applicant=Applicant("Nguyễn Văn An", "0905 123 456", "an@example.vn"))
    client.force_login(applicant_user)
    page = client.get(f"/dossiers/submit/{catalogue[RESIDENCE].code}/").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="an@example.vn"' in page
    assert 'value="0905123456"' in page  # the phone of the last dossier
    assert 'value="12 Trần Phú, Nha Trang"' in page
    applicant_user.phone = "0912000111"
    applicant_user.save()
    page = client.get(f"/dossiers/submit/{catalogue[BIRTH].code}/").content.decode()
    assert 'value="0912000111"' in page and "Trần Phú" not in page  # no address asked there


# --- 4. the agencies, searchable -------------------------------------------------------------


def test_the_agencies_list_is_searchable_and_stays_a_plain_list_without_script(
        client, catalogue, applicant_user, reference_units):
    procedure = catalogue[BIRTH]
    client.force_login(applicant_user)
    page = client.get(f"/dossiers/submit/{procedure.code}/").content.decode()
    assert 'data-testid="agency-search"' in page
    assert f'hx-get="/dossiers/submit/{procedure.code}/agencies/"' in page
    assert page.count("<option value=\"", page.index('id="id_unit"')) >= 65  # all, no script

    found = client.get(f"/dossiers/submit/{procedure.code}/agencies/",
                       {"q": "bac nha", "unit": str(reference_units["22333"].pk)})
    assert found.status_code == 200
    options = found.content.decode()
    assert reference_units["22333"].name in options
    assert reference_units["22366"].name not in options
    assert f'value="{reference_units["22333"].pk}" selected' in options

    none = client.get(f"/dossiers/submit/{procedure.code}/agencies/", {"q": "khong co dau"})
    assert "No agency has this name" in none.content.decode()
    everything = client.get(f"/dossiers/submit/{procedure.code}/agencies/").content.decode()
    assert everything.count("<option value=\"") == 66  # the prompt and the 65 communes
