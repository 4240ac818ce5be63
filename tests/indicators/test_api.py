from __future__ import annotations

import pytest

from tests.factories import IndicatorFactory, grant, staff_user
from tinhso.accounts.services import api_token_create
from tinhso.indicators.models import IndicatorValue, Target, ValueStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(reference_units):
    u = reference_units
    result = {}
    for name, role, unit in [("reporter", "unit_reporter", "56.STC"),
                             ("approver", "approver", "56.STC")]:
        user = staff_user(unit=u[unit])
        grant(user, role, u[unit])
        _, raw = api_token_create(actor=user, user=user, name="t")
        result[name] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return result


def test_submit_and_approve_through_the_api(client, tokens, reference_units):
    IndicatorFactory(code="paperless_rate")
    response = client.post("/api/v1/values/", {"indicator": "paperless_rate", "unit": "56.STC",
                                                "period": "2026", "value": "72,5",
                                                "submit": True},
                           content_type="application/json", **tokens["reporter"])
    assert response.status_code == 201, response.json()
    value_id = response.json()["id"]
    assert response.json()["status"] == "submitted"
    response = client.post(f"/api/v1/values/{value_id}/approve/", **tokens["reporter"])
    assert response.status_code == 403
    response = client.post(f"/api/v1/values/{value_id}/approve/", **tokens["approver"])
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = client.post(f"/api/v1/values/{value_id}/reopen/", {"reason": ""},
                           content_type="application/json", **tokens["approver"])
    assert response.status_code == 400 and "reason" in response.json()["detail"]


def test_bad_values_are_clear_errors(client, tokens, reference_units):
    IndicatorFactory(code="paperless_rate")
    response = client.post("/api/v1/values/", {"indicator": "paperless_rate", "unit": "56.STC",
                                                "period": "2026Q9", "value": "1"},
                           content_type="application/json", **tokens["reporter"])
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "period"
    response = client.post("/api/v1/values/", {"indicator": "nope", "unit": "56.STC",
                                                "period": "2026", "value": "1"},
                           content_type="application/json", **tokens["reporter"])
    assert response.status_code == 404
    response = client.post("/api/v1/values/", {"indicator": "paperless_rate", "unit": "56",
                                                "period": "2026", "value": "1"},
                           content_type="application/json")
    assert response.status_code == 401


def test_public_reads_see_approved_values_only(client, reference_units):
    rate = IndicatorFactory(code="rate")
    for period, status in [("2024", ValueStatus.APPROVED), ("2025", ValueStatus.DRAFT)]:
        IndicatorValue.objects.create(indicator=rate, unit=reference_units["56"], period=period,
                                      value=50, source="t", status=status)
    Target.objects.create(indicator=rate, unit=reference_units["56"], year=2027, value=90)
    # the stored values, with their comments, are for the units' staff (test_value_visibility)
    assert client.get("/api/v1/values/", {"indicator": "rate"}).status_code == 401
    series = client.get("/api/v1/indicators/rate/series/", {"unit": "56"}).json()
    assert series["points"] == [{"period": "2024", "value": 50.0}]
    assert series["progress"]["status"] == "unknown"
    assert client.get("/api/v1/targets/", {"indicator": "rate"}).json()["count"] == 1
    assert client.get("/api/v1/indicators/").json()["count"] == 1
    assert client.get("/api/v1/rounds/").status_code == 401
