"""Four eyes on indicator values: whoever entered or submitted a value never approves it, on
the service, the pages and the API; the audit log shows both people."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.factories import IndicatorFactory
from tinhso.accounts.services import api_token_create
from tinhso.audit.models import AuditEvent
from tinhso.indicators.models import IndicatorValue, ValueStatus
from tinhso.indicators.permissions import written_by, wrote_value
from tinhso.indicators.services import (
    value_approve,
    value_return,
    value_save,
    value_submit,
)
from tinhso.indicators.today import values_to_approve

pytestmark = pytest.mark.django_db


def history(value: IndicatorValue) -> list[tuple[str, str]]:
    """(action, actor) of the value's audit events, oldest first."""
    return list(AuditEvent.objects.filter(object_type="indicators.indicatorvalue",
                                          object_id=str(value.pk))
                .order_by("id").values_list("action", "actor_repr"))


@pytest.fixture
def own_value(people: dict[str, Any], reference_units: dict[str, Any]) -> IndicatorValue:
    """A value the province's coordinator entered and submitted at once."""
    return value_save(actor=people["coordinator"], indicator=IndicatorFactory(code="rate"),
                      unit=reference_units["56.STC"], period="2025", value=70, submit=True)


def test_the_coordinator_does_not_approve_a_value_they_entered(people, own_value):
    with pytest.raises(PermissionDenied, match="another person approves it"):
        value_approve(actor=people["coordinator"], value=own_value)
    own_value.refresh_from_db()
    assert own_value.status == ValueStatus.SUBMITTED
    assert [a for a, _ in history(own_value)] == ["value.submitted"]
    value_approve(actor=people["approver"], value=own_value)
    assert history(own_value) == [("value.submitted", "dieuphoi"),
                                  ("value.approved", "pheduyet")]
    approved = AuditEvent.objects.get(action="value.approved")
    assert approved.details["entered_by"] == "dieuphoi"
    assert approved.details["submitted_by"] == "dieuphoi"


def test_whoever_submitted_another_persons_draft_does_not_approve_it(people,
                                                                     reference_units):
    draft = value_save(actor=people["reporter"], indicator=IndicatorFactory(),
                       unit=reference_units["56.STC"], period="2025", value=1)
    value_submit(actor=people["coordinator"], value=draft)
    with pytest.raises(PermissionDenied):
        value_approve(actor=people["coordinator"], value=draft)
    with pytest.raises(PermissionDenied):
        value_approve(actor=people["reporter"], value=draft)  # no approver role either
    value_approve(actor=people["approver"], value=draft)
    approved = AuditEvent.objects.get(action="value.approved")
    assert (approved.details["entered_by"], approved.details["submitted_by"]) == (
        "baocao", "dieuphoi")


def test_a_correction_makes_its_author_the_one_who_may_not_approve(people, reference_units):
    """The coordinator returns the reporter's value and corrects it: now the coordinator
    entered it, so the reporter's approver approves, not the coordinator."""
    value = value_save(actor=people["reporter"], indicator=IndicatorFactory(),
                       unit=reference_units["56.STC"], period="2025", value=1, submit=True)
    value_return(actor=people["coordinator"], value=value, reason="Sai đơn vị")
    value_save(actor=people["coordinator"], indicator=value.indicator, unit=value.unit,
               period="2025", value=2, submit=True)
    with pytest.raises(PermissionDenied):
        value_approve(actor=people["coordinator"], value=value)
    value_approve(actor=people["approver"], value=value)


def test_the_author_may_still_return_or_reopen_their_own_value(people, own_value):
    """Returning is not approving: the author takes a submitted value back to correct it."""
    value_return(actor=people["coordinator"], value=own_value, reason="Nhập nhầm")
    own_value.refresh_from_db()
    assert own_value.status == ValueStatus.RETURNED


def test_the_values_to_approve_leave_out_ones_own(people, reference_units, own_value):
    other = value_save(actor=people["reporter"], indicator=IndicatorFactory(),
                       unit=reference_units["56.STC"], period="2025", value=1, submit=True)
    assert list(values_to_approve(people["coordinator"])) == [other]
    assert set(values_to_approve(people["approver"])) == {own_value, other}
    forwarded = value_save(actor=people["reporter"], indicator=IndicatorFactory(),
                           unit=reference_units["56.STC"], period="2025", value=1)
    value_submit(actor=people["coordinator"], value=forwarded)
    platform = IndicatorValue.objects.create(indicator=IndicatorFactory(), unit=other.unit,
                                             period="2025", value=1, source="t")
    values = [own_value, other, forwarded, platform]
    forwarded.refresh_from_db()
    for user in [*people.values(), AnonymousUser()]:
        listed = set(IndicatorValue.objects.filter(written_by(user)))
        assert listed == {v for v in values if wrote_value(user, v)}, user


def test_the_value_page_offers_no_approve_button_to_the_author(client, people, own_value):
    client.force_login(people["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/indicators/values/{own_value.pk}/").content.decode()
    assert f"/indicators/values/{own_value.pk}/approve/" not in page
    assert f"/indicators/values/{own_value.pk}/return/" in page
    assert "another person approves it" in page
    review = client.get("/indicators/review/").content.decode()
    assert f'data-value-id="{own_value.pk}"' in review
    assert f"/indicators/values/{own_value.pk}/approve/" not in review
    response = client.post(f"/indicators/values/{own_value.pk}/approve/", follow=True)
    assert response.status_code == 200
    assert "another person approves it" in response.content.decode()
    own_value.refresh_from_db()
    assert own_value.status == ValueStatus.SUBMITTED
    client.force_login(people["approver"])
    page = client.get(f"/indicators/values/{own_value.pk}/").content.decode()
    assert f"/indicators/values/{own_value.pk}/approve/" in page


@pytest.mark.usefixtures("english_pages")
def test_the_api_refuses_self_approval_with_403(client, people):
    indicator = IndicatorFactory(code="paperless_rate")
    coordinator = people["coordinator"]
    _, raw = api_token_create(actor=coordinator, user=coordinator, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/v1/values/", {"indicator": indicator.code, "unit": "56.STC",
                                                "period": "2026", "value": "72,5",
                                                "submit": True},
                           content_type="application/json", **auth)
    assert response.status_code == 201, response.json()
    response = client.post(f"/api/v1/values/{response.json()['id']}/approve/", **auth)
    assert response.status_code == 403
    assert "another person approves it" in response.json()["detail"]
    assert IndicatorValue.objects.get().status == ValueStatus.SUBMITTED

