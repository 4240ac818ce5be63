"""One rule says who reads which indicator values (with their comments): the value page, the
API by browser session and the API by token all follow it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import IndicatorFactory, citizen, grant, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import api_token_create
from tinhso.indicators.models import CollectionRound, IndicatorValue, ValueStatus
from tinhso.indicators.rounds import round_units_visible, visible_rounds
from tinhso.indicators.selectors import may_read_value, visible_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(reference_units: dict[str, Any]) -> dict[str, IndicatorValue]:
    """A draft with an internal comment and an approved value at Finance and at Health."""
    u = reference_units
    rate = IndicatorFactory(code="rate")
    made = {}
    for unit in ("56.STC", "56.SYT"):
        for status, period in [(ValueStatus.DRAFT, "2026"), (ValueStatus.APPROVED, "2025")]:
            made[f"{unit} {status}"] = IndicatorValue.objects.create(
                indicator=rate, unit=u[unit], period=period, value=50, source="t",
                status=status, comment=f"ghi chú nội bộ {unit} {status}")
    return made


@pytest.fixture
def everyone(people: dict[str, Any], reference_units: dict[str, Any]) -> dict[str, Any]:
    leader = staff_user(unit=reference_units["56"], username="lanhdao")
    grant(leader, "leader", reference_units["56"])
    inactive = staff_user(unit=reference_units["56.STC"], is_active=False)
    grant(inactive, "unit_reporter", reference_units["56.STC"])
    return {**people, "leader": leader, "inactive": inactive, "citizen": citizen(),
            "no role": staff_user(unit=reference_units["56.STC"]), "system": SYSTEM}


def token(user: Any) -> dict[str, str]:
    _, raw = api_token_create(actor=user, user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_predicate_and_the_query_agree_for_everyone(everyone, values):
    for name, user in everyone.items():
        listed = set(visible_values(user))
        for value in values.values():
            assert may_read_value(user, value) == (value in listed), (name, str(value))


def test_who_reads_what(everyone, values):
    def seen(name: str) -> set[str]:
        return {k for k, v in values.items() if may_read_value(everyone[name], v)}

    finance = {"56.STC draft", "56.STC approved"}
    assert seen("reporter") == seen("approver") == finance
    assert seen("health") == {"56.SYT draft", "56.SYT approved"}
    assert seen("coordinator") == seen("leader") == seen("system") == set(values)
    assert seen("citizen") == seen("no role") == seen("inactive") == set()


def listed(response: Any) -> list[tuple[str, str, str]]:
    assert response.status_code == 200, response.content
    return sorted((v["unit"], v["status"], v["comment"]) for v in response.json()["items"])


def test_a_reporter_by_session_never_gets_another_departments_drafts(client, people, values):
    client.force_login(people["reporter"])
    body = listed(client.get("/api/v1/values/"))
    assert body == [("56.STC", "approved", "ghi chú nội bộ 56.STC approved"),
                    ("56.STC", "draft", "ghi chú nội bộ 56.STC draft")]
    assert listed(client.get("/api/v1/values/", {"unit": "56.SYT"})) == []
    assert listed(client.get("/api/v1/values/", {"status": "draft"})) == [
        ("56.STC", "draft", "ghi chú nội bộ 56.STC draft")]
    # the page says the same
    assert client.get(f"/indicators/values/{values['56.SYT draft'].pk}/").status_code == 403
    assert client.get(f"/indicators/values/{values['56.STC draft'].pk}/").status_code == 200


def test_a_token_is_its_user(client, people, values):
    body = listed(client.get("/api/v1/values/", **token(people["health"])))
    assert body == [("56.SYT", "approved", "ghi chú nội bộ 56.SYT approved"),
                    ("56.SYT", "draft", "ghi chú nội bộ 56.SYT draft")]
    assert len(listed(client.get("/api/v1/values/", **token(people["coordinator"])))) == 4


def test_anonymous_readers_and_citizens(client, values):
    response = client.get("/api/v1/values/")
    assert response.status_code == 401 and "detail" in response.json()
    assert client.get("/api/v1/values/", HTTP_AUTHORIZATION="Bearer tsk_wrong").status_code \
        == 401
    person = citizen()
    client.force_login(person)
    assert listed(client.get("/api/v1/values/")) == []
    assert listed(client.get("/api/v1/values/", **token(person))) == []


def test_rounds_by_the_same_rule_as_their_pages(client, people, reference_units, values):
    u = reference_units
    collection = CollectionRound.objects.create(title="Năm 2026", period="2026",
                                                deadline=date(2026, 12, 15),
                                                owner_unit=u["56"])
    collection.indicators.set([values["56.STC draft"].indicator])
    collection.units.set([u["56.STC"], u["56.SYT"]])
    elsewhere = CollectionRound.objects.create(title="Khác", period="2026",
                                               deadline=date(2026, 12, 15),
                                               owner_unit=u["56.SXD"])
    elsewhere.units.set([u["56.SXD"]])
    client.force_login(people["coordinator"])
    assert {r["title"] for r in client.get("/api/v1/rounds/").json()} == {"Năm 2026", "Khác"}
    board = client.get(f"/api/v1/rounds/{collection.pk}/").json()
    assert [row["unit"] for row in board["units"]] == ["56.STC", "56.SYT"]
    client.force_login(people["reporter"])  # reports in the first round, for Finance only
    assert [r["title"] for r in client.get("/api/v1/rounds/").json()] == ["Năm 2026"]
    board = client.get(f"/api/v1/rounds/{collection.pk}/", **token(people["reporter"])).json()
    assert [row["unit"] for row in board["units"]] == ["56.STC"]
    assert client.get(f"/api/v1/rounds/{elsewhere.pk}/").status_code == 404
    client.force_login(citizen())
    assert client.get("/api/v1/rounds/").json() == []
    assert client.get(f"/api/v1/rounds/{collection.pk}/").status_code == 404


def test_the_rounds_predicate_and_query_agree_for_everyone(everyone, reference_units):
    u = reference_units
    rounds = []
    for owner, units in [("56", ["56.STC", "56.SYT"]), ("56.STC", ["56.STC"]),
                         ("56.SXD", ["56.SXD"])]:
        collection = CollectionRound.objects.create(title=owner, period="2026",
                                                    deadline=date(2026, 12, 15),
                                                    owner_unit=u[owner])
        collection.units.set([u[code] for code in units])
        rounds.append(collection)
    for name, user in everyone.items():
        listed = set(visible_rounds(user))
        for collection in rounds:
            assert bool(round_units_visible(user, collection)) == (collection in listed), (
                name, collection.title)
    assert {r.title for r in visible_rounds(everyone["reporter"])} == {"56", "56.STC"}
