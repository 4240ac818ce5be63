"""An indicator's targets page: the list by unit and year for everyone; add, change and delete
for those who define indicators, each through target_services with its audit event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.indicators import IndicatorFactory
from tinhso.audit.models import AuditEvent
from tinhso.indicators.models import Target
from tinhso.indicators.target_services import target_add, target_delete, target_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client: Any) -> None:
    client.cookies["django_language"] = "en"


@pytest.fixture
def indicator(db: None) -> Any:
    return IndicatorFactory(code="paperless_rate", name="Tỷ lệ họp không giấy")


def test_the_indicator_page_links_to_its_targets_listed_by_unit_and_year(
        client, indicator, people, reference_units):
    target_add(actor=people["coordinator"], indicator=indicator, unit=reference_units["56"],
               year=2030, value="95", baseline_year=2024, baseline_value="60,5",
               source="16-NQ/TU")
    target_add(actor=people["coordinator"], indicator=indicator, unit=reference_units["56"],
               year=2027, value="80")
    page = client.get(f"/indicators/{indicator.code}/").content.decode()
    assert f'href="/indicators/{indicator.code}/targets/"' in page
    page = client.get(f"/indicators/{indicator.code}/targets/").content.decode()
    table = page[page.index('data-testid="targets-table"'):]
    assert table.index("2027") < table.index("2030")
    assert "16-NQ/TU" in table and "60.5" in table.replace("60,5", "60.5")
    # A visitor reads them, without a form or buttons.
    assert 'data-testid="target-form"' not in page and 'data-testid="edit-target"' not in page


def test_a_coordinator_adds_changes_and_deletes_a_target_on_the_page(
        client, indicator, people, reference_units):
    client.force_login(people["coordinator"])
    url = f"/indicators/{indicator.code}/targets/"
    page = client.get(url).content.decode()
    assert 'data-testid="target-form"' in page
    response = client.post(url, {"unit": reference_units["56.STC"].pk, "year": "2028",
                                 "value": "90", "baseline_year": "2025",
                                 "baseline_value": "70", "source": "KH 4636"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.unit, target.year, target.value, target.baseline_value, target.source) == (
        reference_units["56.STC"], 2028, Decimal(90), Decimal(70), "KH 4636")

    refused = client.post(url, {"unit": reference_units["56.STC"].pk, "year": "2028",
                                "value": "150"})
    assert refused.status_code == 400
    assert "between 0 and 100" in refused.content.decode()
    twice = client.post(url, {"unit": reference_units["56.STC"].pk, "year": "2028",
                              "value": "50"})
    assert twice.status_code == 400 and "already has a target for 2028" in twice.content.decode()

    edit = f"{url}{target.pk}/"
    assert 'value="90"' in client.get(edit).content.decode()  # as typed, on every database
    assert client.post(edit, {"unit": reference_units["56.STC"].pk, "year": "2029",
                              "value": "92,5", "source": "KH 4636"}).status_code == 302
    target.refresh_from_db()
    assert target.year == 2029 and target.value == Decimal("92.5")
    assert target.baseline_value is None
    changed = AuditEvent.objects.get(action="target.updated")
    assert changed.details["changes"]["year"] == {"from": 2028, "to": 2029}

    assert client.post(f"{edit}delete/").status_code == 302
    assert not Target.objects.exists()
    deleted = AuditEvent.objects.get(action="target.deleted")
    assert deleted.details["year"] == 2029 and deleted.details["unit"] == "56.STC"
    assert deleted.details["value"] == "92.5"


def test_only_those_who_define_indicators_write_targets(client, indicator, people,
                                                        reference_units):
    target = target_add(actor=people["coordinator"], indicator=indicator,
                        unit=reference_units["56.STC"], year=2028, value="90")
    client.force_login(people["approver"])
    url = f"/indicators/{indicator.code}/targets/"
    assert 'data-testid="target-form"' not in client.get(url).content.decode()
    assert client.post(url, {"unit": reference_units["56.STC"].pk, "year": "2029",
                             "value": "1"}).status_code == 403
    assert client.get(f"{url}{target.pk}/").status_code == 404
    assert client.post(f"{url}{target.pk}/delete/").status_code == 404
    with pytest.raises(PermissionDenied):
        target_delete(actor=people["approver"], target=target)
    with pytest.raises(PermissionDenied):
        target_update(actor=people["reporter"], target=target, value="10")
    assert Target.objects.get().value == 90


def test_an_update_that_changes_nothing_records_nothing(indicator, people, reference_units):
    target = target_add(actor=people["coordinator"], indicator=indicator,
                        unit=reference_units["56"], year=2030, value="95")
    before = AuditEvent.objects.count()
    target_update(actor=people["coordinator"], target=target, value="95,0")
    assert AuditEvent.objects.count() == before
    with pytest.raises(ValidationError):
        target_update(actor=people["coordinator"], target=target, colour="red")
