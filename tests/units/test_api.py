"""The units API's PATCH: a null for a name that cannot be empty, or a body that is not a JSON
object, is a 422 naming the field, and changes nothing (a null name was a 500 on PostgreSQL, a
list or a number was answered 200)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import grant, staff_user
from tinhso.accounts.services import api_token_create
from tinhso.audit.models import AuditEvent
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(reference_units: dict[str, Unit]) -> dict[str, str]:
    admin = staff_user(unit=reference_units["56"], username="quantri56")
    grant(admin, "administrator", reference_units["56"])
    _, token = api_token_create(actor=admin, user=admin, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _patch(client: Any, body: Any, auth: dict[str, str]) -> Any:
    return client.patch("/api/v1/units/56.STP/", body, content_type="application/json", **auth)


def test_a_null_name_is_a_422_naming_the_field_and_changes_nothing(client, auth):
    events = AuditEvent.objects.count()
    for field in ("name", "name_en"):
        response = _patch(client, {field: None}, auth)
        assert response.status_code == 422, response.content[:300]
        assert [e["field"] for e in response.json()["errors"]] == [field]
    unit = Unit.objects.get(code="56.STP")
    assert unit.name == "Sở Tư pháp" and unit.name_en == "Department of Justice"
    assert AuditEvent.objects.count() == events
    # Nullable fields still take null, and a name is still changed by a string.
    response = _patch(client, {"valid_to": None, "name_en": "Justice"}, auth)
    assert response.status_code == 200 and response.json()["name_en"] == "Justice"


@pytest.mark.parametrize("body", ["[]", '[{"name_en": "x"}]', '"x"', "1", "null", "false"])
def test_a_body_that_is_not_an_object_is_a_422_and_changes_nothing(client, auth, body):
    events = AuditEvent.objects.count()
    response = _patch(client, body, auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert Unit.objects.get(code="56.STP").name_en == "Department of Justice"
    assert AuditEvent.objects.count() == events
