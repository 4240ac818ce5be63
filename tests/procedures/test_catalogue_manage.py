"""The catalogue's pages: those who keep it add, change and retire procedures and import the
national database's export (in the background, with its progress and report); others are
refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.procedures import versions
from tinhso.procedures.catalogue_generate import ILLUSTRATIVE_PREFIX, illustrative_csv
from tinhso.procedures.models import CatalogueImport, Procedure, ProcedureVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

MARRIAGE = "Cấp Giấy xác nhận tình trạng hôn nhân"
DECISION = {"decision_number": "1234/QĐ-UBND", "decision_date": "2026-11-10",
            "effective_from": "2026-11-20", "legal_effective_date": "2026-11-20"}


def _values(procedure: Procedure, **changes: str) -> dict[str, str]:
    values = {"name": procedure.name, "field": procedure.field, "level": procedure.level,
              "agency": procedure.agency, "time_limit": procedure.time_limit,
              "fee": procedure.fee, "legal_basis": procedure.legal_basis,
              "online_level": procedure.online_level,
              "required_documents": "\n".join(d["name"] for d in procedure.required_documents)}
    return {**values, **DECISION, **changes}


def test_a_keeper_changes_a_procedure_and_sees_its_versions(client, catalogue, people):
    client.force_login(people["coordinator"])
    procedure = catalogue[MARRIAGE]
    listing = client.get("/catalogue/?q=hon nhan")
    assert listing.status_code == 200 and MARRIAGE in listing.content.decode()
    bad = client.post(f"/catalogue/{procedure.code}/edit/",
                      _values(procedure, time_limit="khi nào xong"))
    assert bad.status_code == 400
    assert "cannot read the time limit" in bad.content.decode()
    response = client.post(f"/catalogue/{procedure.code}/edit/",
                           _values(procedure, time_limit="5 ngày làm việc"))
    assert response.status_code == 302
    [second, _first] = versions.history(procedure)
    assert (second.time_limit, second.decision_number, second.decision_date) == (
        "5 ngày làm việc", "1234/QĐ-UBND", date(2026, 11, 10))
    page = client.get(f"/catalogue/{procedure.code}/").content.decode()
    assert "1234/QĐ-UBND" in page and "5 ngày làm việc" in page


def test_a_keeper_adds_and_retires_a_procedure(client, reference_units, people):
    client.force_login(people["coordinator"])
    response = client.post("/catalogue/new/", {
        "code": "1.009999", "name": "Thủ tục thêm", "field": "Hộ tịch", "level": "commune",
        "agency": "UBND cấp xã", "time_limit": "3 ngày làm việc", "online_level": "full",
        "required_documents": "Tờ khai\nBản sao", **DECISION})
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="1.009999")
    assert [d["name"] for d in procedure.required_documents] == ["Tờ khai", "Bản sao"]
    response = client.post("/catalogue/1.009999/retire/", DECISION)
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert not procedure.in_force
    assert ProcedureVersion.objects.filter(procedure=procedure, retired=True).count() == 1


def test_others_are_refused_and_nothing_is_written(client, catalogue, people):
    client.force_login(people["reporter"])
    procedure = catalogue[MARRIAGE]
    assert client.get("/catalogue/").status_code == 403
    assert client.post(f"/catalogue/{procedure.code}/retire/", DECISION).status_code == 403
    upload = SimpleUploadedFile("a.csv", illustrative_csv(2), content_type="text/csv")
    assert client.post("/catalogue/import/", {"file": upload, **DECISION}).status_code == 403
    assert not CatalogueImport.objects.exists()
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1
    client.logout()
    assert client.get("/catalogue/").status_code == 302  # to sign in


def test_an_upload_is_imported_in_the_background_then_reported(
        client, reference_units, people, django_capture_on_commit_callbacks):
    client.force_login(people["coordinator"])
    upload = SimpleUploadedFile("danh-muc.csv", illustrative_csv(3), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/catalogue/import/", {"file": upload, **DECISION})
    assert response.status_code == 302
    job = CatalogueImport.objects.get()
    assert response["Location"] == f"/catalogue/import/{job.pk}/"
    assert job.status == "done" and job.rows_done == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 procedures read: 3 new, 0 changed, 0 unchanged." in page
    assert f"{ILLUSTRATIVE_PREFIX}00003" in page
    assert Procedure.objects.filter(code__startswith=ILLUSTRATIVE_PREFIX).count() == 3


def test_a_rejected_upload_lists_its_problems_by_row_and_column(
        client, reference_units, people, django_capture_on_commit_callbacks):
    client.force_login(people["coordinator"])
    content = illustrative_csv(3).replace("5 ngày làm việc".encode(), "vài hôm".encode())
    upload = SimpleUploadedFile("sai.csv", content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/catalogue/import/", {"file": upload, **DECISION})
    page = client.get(response["Location"]).content.decode()
    assert "The file was rejected: 1 problem. Nothing was saved." in page
    assert "<td>5</td><td>Thời hạn giải quyết</td>" in page  # under a title and the header
    assert not Procedure.objects.exists()


def test_the_progress_bar_is_polled_while_the_import_runs(client, reference_units, people):
    client.force_login(people["coordinator"])
    job = CatalogueImport.objects.create(
        name="lon.xlsx", content=b"", effective_from=date(2026, 1, 1), decision_number="1",
        status="running", rows_done=500, rows_total=2000, report={"phase": "checking"})
    partial = client.get(f"/catalogue/import/{job.pk}/", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in html
    assert 'value="25" max="100"' in html and 'hx-trigger="every 2s"' in html
    assert "Checking: 500 of 2,000 rows" in html
    CatalogueImport.objects.filter(pk=job.pk).update(status="done", report={
        "rows": 2000, "created_count": 0, "changed_count": 0, "unchanged": 2000})
    html = client.get(f"/catalogue/import/{job.pk}/", headers={"HX-Request": "true"}
                      ).content.decode()
    assert "hx-trigger" not in html and "2,000 unchanged" in html
