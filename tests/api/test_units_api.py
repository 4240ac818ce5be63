from __future__ import annotations

import pytest

from tests.factories import grant, staff_user
from tinhso.accounts.services import api_token_create
from tinhso.audit.models import AuditEvent
from tinhso.units import audit_events
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db


def test_provinces_on_a_date_before_and_after_the_merger(client, reference_units):
    before = client.get("/api/v1/units/", {"level": "province", "on": "2022-01-01", "limit": 100})
    after = client.get("/api/v1/units/", {"level": "province", "on": "2026-01-01", "limit": 100})
    assert before.status_code == 200 and after.status_code == 200
    assert before.json()["count"] == 63 and len(before.json()["items"]) == 63
    assert after.json()["count"] == 34
    codes_after = {u["code"] for u in after.json()["items"]}
    assert "58" not in codes_after and "56" in codes_after


def test_filter_by_parent_and_search(client, reference_units):
    response = client.get("/api/v1/units/", {"parent": "56", "level": "district",
                                             "on": "2024-12-31"})
    names = {u["name"] for u in response.json()["items"]}
    assert len(names) == 9 and "Thành phố Nha Trang" in names
    response = client.get("/api/v1/units/", {"q": "Nha Trang", "on": "2026-01-01"})
    assert {u["code"] for u in response.json()["items"]} >= {"22366", "22333"}


def test_detail_with_children_successor_and_predecessors(client, reference_units):
    body = client.get("/api/v1/units/58/").json()
    assert body["successor"] == {"code": "56", "name": "Khánh Hòa", "level": "province"}
    assert body["valid_to"] == "2025-06-30" and body["ancestors"] == ["VN"]
    khanh_hoa = client.get("/api/v1/units/56/", {"on": "2026-01-01"}).json()
    assert {p["code"] for p in khanh_hoa["predecessors"]} == {"58"}
    levels = [c["level"] for c in khanh_hoa["children"]]
    assert levels.count("commune") == 65 and "district" not in levels
    old = client.get("/api/v1/units/56/", {"on": "2022-01-01"}).json()
    assert [c["level"] for c in old["children"]].count("district") == 9


def test_bad_input_gets_a_clear_json_error(client, reference_units):
    response = client.get("/api/v1/units/XYZ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no unit with code 'XYZ'."}
    response = client.get("/api/v1/units/", {"on": "2022-13-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "on"
    response = client.get("/api/v1/units/", {"level": "town"})
    assert response.status_code == 422 and "level" in response.json()["detail"]
    response = client.get("/api/v1/units/", {"parent": "nowhere"})
    assert response.status_code == 404 and "nowhere" in response.json()["detail"]


def test_writes_need_authentication(client, reference_units):
    response = client.patch("/api/v1/units/56/", {"name_en": "x"},
                            content_type="application/json")
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]
    response = client.get("/api/v1/me")
    assert response.status_code == 401


def test_token_writes_are_authorised_and_audited(client, reference_units):
    admin = staff_user(unit=reference_units["56"])
    grant(admin, "administrator", reference_units["56"])
    _, token = api_token_create(actor=admin, user=admin, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.patch("/api/v1/units/56/", {"name_en": "Khanh Hoa"},
                            content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["name_en"] == "Khanh Hoa"
    assert AuditEvent.objects.filter(action=audit_events.UNIT_UPDATED, actor=admin).exists()
    response = client.patch("/api/v1/units/58/", {"name_en": "Ninh Thuan"},
                            content_type="application/json", **auth)
    assert response.status_code == 403
    assert "Ninh Thuận" in response.json()["detail"]
    assert Unit.objects.get(code="58").name_en == ""
    response = client.patch("/api/v1/units/56/", {"successor": "nowhere"},
                            content_type="application/json", **auth)
    assert response.status_code == 404
    response = client.patch("/api/v1/units/56/", {"valid_from": "2026-01-01",
                                                  "valid_to": "2025-01-01"},
                            content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "valid_to"
    me = client.get("/api/v1/me", **auth).json()
    assert me["roles"] == [{"role": "administrator", "unit": "56"}]


def test_a_bad_token_is_refused(client, reference_units):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tsk_nope")
    assert response.status_code == 401


def test_session_authentication(client, reference_units):
    user = staff_user(unit=reference_units["56"], username="phien")
    client.force_login(user)
    assert client.get("/api/v1/me").json()["username"] == "phien"
