from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import IndicatorFactory
from tinhso.indicators.models import IndicatorValue, Target, ValueStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(reference_units):
    u = reference_units
    received = IndicatorFactory(code="received", measure="count", name="Hồ sơ tiếp nhận")
    online = IndicatorFactory(code="online", measure="count", name="Hồ sơ trực tuyến")
    rate = IndicatorFactory(code="online_rate", formula="online / received * 100",
                            aggregation="formula", name="Tỷ lệ hồ sơ trực tuyến")
    for unit, year, r, o in [("22366", 2024, 100, 40), ("22333", 2024, 100, 60),
                             ("22366", 2025, 100, 70), ("22333", 2025, 100, 80)]:
        IndicatorValue.objects.create(indicator=received, unit=u[unit], period=str(year),
                                      value=r, source="t")
        IndicatorValue.objects.create(indicator=online, unit=u[unit], period=str(year),
                                      value=o, source="t")
    Target.objects.create(indicator=rate, unit=u["56"], year=2027, value=95)
    return rate


def test_catalogue_lists_and_filters(client, dossiers):
    page = client.get("/indicators/").content.decode()
    assert "online_rate" in page and "= <code>online / received * 100</code>" in page
    assert "online_rate" not in client.get("/indicators/", {"q": "tiếp nhận"}).content.decode()


def test_an_indicator_over_time_against_its_target_and_units_compared(
        client, dossiers, django_assert_max_num_queries):
    client.get("/indicators/online_rate/")  # the first view builds the value blocks
    with django_assert_max_num_queries(20):
        response = client.get("/indicators/online_rate/")
    page = response.content.decode()
    chart = response.context["chart"]
    assert chart["labels"] == ["2024", "2025"] and chart["values"] == [50.0, 75.0]
    assert chart["target"] == {"year": 2027, "value": 95.0}
    assert chart["projection"] == pytest.approx(125, abs=1)  # +25 a year
    assert 'data-status="on_track"' in page
    compared = [(r["unit"].code, round(r["value"])) for r in response.context["comparison"]]
    assert compared == [("22333", 80), ("22366", 70)]


def test_unknown_indicator_or_unit_is_a_404(client, dossiers):
    assert client.get("/indicators/nope/").status_code == 404
    assert client.get("/indicators/online_rate/", {"unit": "ZZ"}).status_code == 404


def test_exports(client, dossiers, reference_units):
    IndicatorValue.objects.create(indicator=dossiers.__class__.objects.get(code="received"),
                                  unit=reference_units["22390"], period="2025", value=5,
                                  source="t", status=ValueStatus.DRAFT)
    csv_text = client.get("/indicators/received/export.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("indicator,unit")
    assert "22390" not in csv_text  # drafts are not public
    xlsx = client.get("/indicators/received/export.xlsx", {"unit": "56"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5  # header + 4 approved values


def test_demo_catalogue_pages(client, db):
    call_command("demo", "--quiet-accounts", verbosity=0)
    page = client.get("/indicators/dti_rank/").content.decode()
    assert 'data-testid="target-line"' in page and "16-NQ/TU" in page
