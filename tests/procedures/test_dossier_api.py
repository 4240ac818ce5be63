"""Dossiers through the API: the procedure's form, submission with a token, the public lookup,
the scoped list, reading, and acting (rights, transitions, the applicant's answer and rating)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.factories import PDF, citizen, form_for, grant, staff_user
from tests.procedures.conftest import VN
from tinhso.accounts.services import api_token_create
from tinhso.procedures.models import Dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "media_in_tmp")]

BIRTH = "Đăng ký khai sinh"  # same working day, documents to_khai and giay_chung_sinh
MARITAL = "Cấp Giấy xác nhận tình trạng hôn nhân"  # 3 working days, one document


def bearer(user: Any) -> dict[str, str]:
    _, raw = api_token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def b64(content: bytes = PDF) -> str:
    return base64.b64encode(content).decode()


def body(procedure: Any, unit: str = "22366", **overrides: Any) -> dict[str, Any]:
    data = {
        "procedure": procedure.code, "unit": unit,
        "applicant": {"name": "Nguyễn Văn An", "phone": "0905 123 456",
                      "email": "an@example.vn"},
        "form": form_for(procedure),
        "documents": {d["code"]: {"name": f"{d['code']}.pdf", "content_base64": b64()}
                      for d in procedure.required_documents},
    }
    data.update(overrides)
    return data


def post(client: Any, url: str, data: Any, headers: dict[str, str]) -> Any:
    return client.post(url, data, content_type="application/json", **headers)


def test_a_procedure_comes_with_its_documents_form_and_agencies(client, catalogue):
    procedure = catalogue[BIRTH]
    got = client.get(f"/api/v1/procedures/{procedure.code}/")
    assert got.status_code == 200
    data = got.json()
    assert [d["code"] for d in data["required_documents"]] == ["to_khai", "giay_chung_sinh"]
    sex = next(f for f in data["form_schema"] if f["name"] == "sex")
    assert sex["type"] == "select" and sex["required"]
    assert {"value": "nu", "label": "Nữ"} in sex["choices"]
    assert "22366" in {u["code"] for u in data["receiving_units"]}
    assert "56.STP" not in {u["code"] for u in data["receiving_units"]}
    missing = client.get("/api/v1/procedures/NOPE/")
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]


def test_a_citizen_submits_with_a_token_and_looks_the_dossier_up(client, catalogue,
                                                                 applicant_user):
    token = bearer(applicant_user)
    got = post(client, "/api/v1/dossiers/", body(catalogue[MARITAL]), token)
    assert got.status_code == 201, got.json()
    receipt = got.json()
    assert receipt["code"].startswith("22366-") and receipt["status"] == "received"
    assert receipt["channel"] == "online" and receipt["due_at"] > receipt["received_at"]
    dossier = Dossier.objects.get(code=receipt["code"])
    assert dossier.applicant == applicant_user
    assert dossier.files.get().file.read() == PDF

    # Public: the code and the phone, written any usual way.
    for phone in ("0905123456", "+84 905 123 456", "0905.123.456"):
        found = client.get("/api/v1/dossiers/lookup/", {"code": receipt["code"],
                                                         "phone": phone})
        assert found.status_code == 200, phone
    data = found.json()
    assert data["status"] == "received" and data["agency"]["code"] == "22366"
    assert [e["action"] for e in data["history"]] == ["submit"]
    assert "actor" not in data["history"][0]
    wrong_phone = client.get("/api/v1/dossiers/lookup/", {"code": receipt["code"],
                                                           "phone": "0905000000"})
    wrong_code = client.get("/api/v1/dossiers/lookup/", {"code": "22366-000000-0001",
                                                          "phone": "0905123456"})
    assert wrong_phone.status_code == wrong_code.status_code == 404
    assert wrong_phone.json() == wrong_code.json()


def test_a_body_over_the_servers_limit_is_answered_in_json_and_nothing_is_stored(
        client, catalogue, applicant_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    got = post(client, "/api/v1/dossiers/",
               body(catalogue[MARITAL], documents={
                   "to_khai": {"name": "to-khai.pdf", "content_base64": b64(PDF * 100)}}),
               bearer(applicant_user))
    assert got.status_code == 413
    assert got.json()["detail"].startswith("The request body is larger than 4.0\xa0KB")
    assert not Dossier.objects.exists()


def test_a_procedure_taken_offline_is_refused_at_once_though_lookups_are_cached(
        client, catalogue, applicant_user):
    procedure, token = catalogue[MARITAL], bearer(applicant_user)
    assert post(client, "/api/v1/dossiers/", body(procedure), token).status_code == 201
    procedure.online_level = "none"
    procedure.save()
    refused = post(client, "/api/v1/dossiers/", body(procedure), token)
    assert refused.status_code == 400
    assert "not offered online" in refused.json()["detail"]


def test_submission_errors_are_by_field_as_the_body_names_them(client, catalogue,
                                                               applicant_user, desk):
    token = bearer(applicant_user)
    procedure = catalogue[BIRTH]
    bad = body(procedure, applicant={"name": "", "phone": "12345"},
               form={**form_for(procedure), "birth_date": "31/02/2026"},
               documents={"to_khai": {"name": "to-khai.pdf", "content_base64": b64(b"nope")}})
    got = post(client, "/api/v1/dossiers/", bad, token)
    assert got.status_code == 400
    errors = {e["field"]: e["message"] for e in got.json()["errors"]}
    assert set(errors) == {"applicant.name", "applicant.phone", "form.birth_date",
                           "documents.to_khai", "documents.giay_chung_sinh"}
    assert "not really a PDF" in errors["documents.to_khai"]

    unknown = {**body(procedure), "procedure": "NOPE",
               "documents": {"to_khai": {"name": "a.pdf", "content_base64": "@@@"}}}
    got = post(client, "/api/v1/dossiers/", unknown, token)
    assert got.status_code == 400
    assert {e["field"] for e in got.json()["errors"]} == {"procedure",
                                                          "documents.to_khai.content_base64"}
    # The body's shape itself: 422, also by field.
    got = post(client, "/api/v1/dossiers/", {"procedure": procedure.code, "unit": "22366"},
               token)
    assert got.status_code == 422 and got.json()["errors"][0]["field"] == "applicant"
    assert post(client, "/api/v1/dossiers/", body(procedure), {}).status_code == 401
    # Staff do not submit online; they record desk receipts.
    got = post(client, "/api/v1/dossiers/", body(procedure), bearer(desk["commune"]))
    assert got.status_code == 403 and "citizen or business" in got.json()["detail"]
    assert not Dossier.objects.exists()


def test_the_desk_records_in_person_receipts_at_its_own_unit_only(client, catalogue, desk):
    procedure = catalogue["Chứng thực chữ ký"]  # not online
    receipt = body(procedure, channel="in_person", documents={})
    got = post(client, "/api/v1/dossiers/", receipt, bearer(desk["commune"]))
    assert got.status_code == 201, got.json()
    assert got.json()["channel"] == "in_person"
    assert Dossier.objects.get().applicant is None
    got = post(client, "/api/v1/dossiers/", receipt, bearer(desk["other"]))
    assert got.status_code == 403
    # the officer records the data used (Decision 766 items 4.3, 4.5b); the dossier says so
    flagged = post(client, "/api/v1/dossiers/", {**receipt, "reused_data": True,
                                                 "population_data": True},
                   bearer(desk["commune"]))
    code = flagged.json()["code"]
    read = client.get(f"/api/v1/dossiers/{code}/", **bearer(desk["commune"])).json()
    assert (read["reused_data"], read["population_data"]) == (True, True)


def test_the_list_is_scoped_filtered_and_paginated(client, submit, desk, applicant_user,
                                                   catalogue):
    late = submit(BIRTH, "22366")  # Tuesday 17/11, due that day: late by now
    bac = submit(BIRTH, "22333")
    fresh = post(client, "/api/v1/dossiers/", body(catalogue[MARITAL]),
                 bearer(applicant_user)).json()["code"]

    def codes(user: Any, **params: Any) -> list[str]:
        got = client.get("/api/v1/dossiers/", params, **bearer(user))
        assert got.status_code == 200, got.json()
        return [d["code"] for d in got.json()["items"]]

    assert codes(desk["commune"]) == [late.code, fresh]
    assert codes(desk["other"]) == [bac.code]
    assert codes(desk["justice"]) == []
    assert sorted(codes(applicant_user)) == sorted([late.code, bac.code, fresh])
    assert codes(desk["commune"], overdue="true") == [late.code]
    assert codes(desk["commune"], overdue="false") == [fresh]
    assert codes(desk["commune"], procedure=catalogue[MARITAL].code) == [fresh]
    assert codes(desk["commune"], received_to="2026-11-17") == [late.code]
    assert codes(desk["commune"], status="processing") == []
    assert codes(applicant_user, unit="22333") == [bac.code]
    got = client.get("/api/v1/dossiers/", {"limit": 1}, **bearer(desk["commune"])).json()
    assert got["count"] == 2 and len(got["items"]) == 1 and got["items"][0]["overdue"]
    # A dossier assigned to another unit is seen there too.
    late.assigned_unit = desk["other"].unit
    late.save()
    assert codes(desk["other"]) == [late.code, bac.code]
    assert client.get("/api/v1/dossiers/").status_code == 401


def test_a_dossier_is_read_by_its_staff_and_its_applicant_only(client, submit, desk,
                                                               applicant_user, reference_units):
    dossier = submit(BIRTH)
    url = f"/api/v1/dossiers/{dossier.code}/"
    officer = client.get(url, **bearer(desk["commune"]))
    assert officer.status_code == 200
    data = officer.json()
    assert data["form"]["child_name"] and len(data["files"]) == 2
    assert data["history"][0]["actor"] and data["rating"] is None
    assert set(data["actions"]) == {"assign", "request_supplement", "approve", "refuse",
                                    "apologise",
                                    "withdraw"}
    mine = client.get(url, **bearer(applicant_user))
    assert mine.status_code == 200 and mine.json()["actions"] == ["complain"]
    assert mine.json()["history"][0]["actor"] == ""
    for outsider in (desk["other"], citizen(username="nguoikhac")):
        got = client.get(url, **bearer(outsider))
        assert got.status_code == 404
    assert client.get("/api/v1/dossiers/22366-000000-0001/",
                      **bearer(desk["commune"])).status_code == 404


def test_acting_needs_the_right_and_a_status_that_allows_it(client, submit, desk,
                                                            applicant_user, reference_units):
    dossier = submit(BIRTH)
    leader = staff_user(unit=reference_units["22366"], username="lanhdao")
    grant(leader, "leader", reference_units["22366"])

    def act(user: Any, action: str, data: Any = None) -> Any:
        return post(client, f"/api/v1/dossiers/{dossier.code}/actions/{action}/", data or {},
                    bearer(user))

    # Visible but not theirs to decide: 403; not visible at all: 404.
    assert act(leader, "approve").status_code == 403
    assert act(applicant_user, "approve").status_code == 403
    assert act(desk["commune"], "rate", {"level": 5}).status_code == 403
    assert act(desk["other"], "approve").status_code == 404
    got = act(desk["commune"], "return_result")
    assert got.status_code == 400
    assert got.json()["errors"][0]["field"] == "status"
    assert "not possible" in got.json()["detail"]
    got = act(desk["commune"], "refuse", {"reason": "  "})
    assert got.status_code == 400 and got.json()["errors"][0]["field"] == "reason"
    assert act(desk["commune"], "frobnicate").status_code == 422
    got = act(desk["commune"], "assign", {"officer": "nobody"})
    assert got.status_code == 400 and got.json()["errors"][0]["field"] == "officer"
    dossier.refresh_from_db()
    assert dossier.status == "received"
    # No body at all is fine for actions that need nothing.
    got = client.generic("POST", f"/api/v1/dossiers/{dossier.code}/actions/approve/",
                         **bearer(desk["commune"]))
    assert got.status_code == 200 and got.json()["status"] == "approved"


def test_the_apology_letter_is_for_late_dossiers_only(client, submit, desk):
    on_time = submit(MARITAL, at=datetime.now(VN))
    late = submit(BIRTH, at=datetime.now(VN) - timedelta(days=10))
    token = bearer(desk["commune"])
    assert "apologise" not in client.get(f"/api/v1/dossiers/{on_time.code}/",
                                         **token).json()["actions"]
    assert "apologise" in client.get(f"/api/v1/dossiers/{late.code}/", **token).json()["actions"]
    letter = {"reason": "Chờ xác minh",
              "new_due_at": (datetime.now(VN) + timedelta(days=3)).isoformat()}
    got = post(client, f"/api/v1/dossiers/{on_time.code}/actions/apologise/", letter, token)
    assert got.status_code == 400 and "on time" in got.json()["detail"]
    got = post(client, f"/api/v1/dossiers/{late.code}/actions/apologise/", letter, token)
    assert got.status_code == 200


def test_the_applicant_answers_a_supplement_and_rates(client, catalogue, desk, applicant_user):
    token = bearer(applicant_user)
    code = post(client, "/api/v1/dossiers/", body(catalogue[MARITAL]), token).json()["code"]
    officer = bearer(desk["commune"])

    def act(headers: dict[str, str], action: str, data: Any = None) -> Any:
        got = post(client, f"/api/v1/dossiers/{code}/actions/{action}/", data or {}, headers)
        assert got.status_code == 200, got.json()
        return got.json()

    asked = act(officer, "request_supplement", {"reason": "Thiếu bản sao CCCD"})
    assert asked["status"] == "supplement" and asked["paused_at"]
    mine = client.get(f"/api/v1/dossiers/{code}/", **token).json()
    assert mine["actions"] == ["answer_supplement", "complain"]
    answered = act(token, "answer_supplement", {
        "note": "Đã bổ sung", "documents": {"cccd": {"name": "cccd.pdf",
                                                      "content_base64": b64()}}})
    assert answered["status"] == "processing" and answered["paused_at"] is None
    assert [f["kind"] for f in answered["files"]] == ["document", "supplement"]
    act(officer, "approve", {"note": "Đủ điều kiện"})
    returned = act(officer, "return_result", {"result": {"name": "giay-xac-nhan.pdf",
                                                         "content_base64": b64()}})
    assert returned["status"] == "returned" and returned["electronic_result"]
    offered = client.get(f"/api/v1/dossiers/{code}/", **token).json()["actions"]
    assert offered == ["rate", "complain"]
    rated = act(token, "rate", {"level": 5, "comment": "Nhanh"})
    assert rated["rating"]["level"] == 5 and rated["actions"] == ["complain"]
    again = post(client, f"/api/v1/dossiers/{code}/actions/rate/", {"level": 4}, token)
    assert again.status_code == 400 and "already" in again.json()["detail"]
    history = client.get("/api/v1/dossiers/lookup/", {"code": code, "phone": "0905123456"})
    assert [e["action"] for e in history.json()["history"]] == [
        "submit", "request_supplement", "answer_supplement", "approve", "return_result",
        "rate"]


def test_a_department_dossier_is_assigned_to_an_officer(client, submit, desk):
    dossier = submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP",
                     at=datetime.now(VN) - timedelta(hours=1))
    got = post(client, f"/api/v1/dossiers/{dossier.code}/actions/assign/",
               {"officer": "canbo.stp", "note": "Xử lý"}, bearer(desk["approver"]))
    assert got.status_code == 200, got.json()
    assert got.json()["assigned_to"] == "canbo.stp"
    assert got.json()["assigned_unit"]["code"] == "56.STP"
    got = post(client, f"/api/v1/dossiers/{dossier.code}/actions/assign/",
               {"officer": "motcua"}, bearer(desk["approver"]))
    assert got.status_code == 400 and got.json()["errors"][0]["field"] == "officer"
