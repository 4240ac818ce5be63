"""The open data over the demo: the indicator CSV re-imports into the indicators module
unchanged, the DCAT catalogue is complete and its addresses answer, each dataset says when it
was last updated and when it is next due (by its rule), its dictionary and licence."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import grant, staff_user
from tinhso.core.calendar import cached_work_calendar
from tinhso.indicators.files import values_import
from tinhso.indicators.models import IndicatorValue, ValueStatus
from tinhso.transparency.datasets import DATASETS
from tinhso.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def _csv(client: Client, slug: str) -> tuple[bytes, list[dict[str, str]]]:
    response = client.get(f"/open-data/{slug}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content, list(csv.DictReader(io.StringIO(
        response.content.decode("utf-8-sig"))))


def _key(indicator: str, unit: str, period: str, value: Decimal) -> tuple[str, str, str, str]:
    return indicator, unit, period, format(Decimal(value).normalize(), "f")


def test_the_indicator_csv_reimports_into_the_indicators_module_unchanged(
        client: Client) -> None:
    content, rows = _csv(client, "indicator-values")
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    assert rows, "the demo publishes values"
    published = {_key(r["indicator"], r["unit"], r["period"], Decimal(r["value"])) for r in rows}
    # the same values, removed, then imported from the file by the indicators' own import
    stored = IndicatorValue.objects.filter(status=ValueStatus.APPROVED)
    ids = [v.pk for v in stored.select_related("indicator", "unit")
           if _key(v.indicator.code, v.unit.code, v.period, v.value) in published]
    assert len(ids) == len(rows)
    IndicatorValue.objects.filter(pk__in=ids).delete()
    admin = staff_user(unit=Unit.objects.get(code="VN"), username="nhapdulieu")
    grant(admin, "administrator", Unit.objects.get(code="VN"))
    result = values_import(actor=admin, name="indicator-values.csv", content=content)
    assert (result.created, result.updated, result.unchanged) == (len(rows), 0, 0)
    imported = {_key(v.indicator.code, v.unit.code, v.period, v.value)
                for v in IndicatorValue.objects.filter(status=ValueStatus.DRAFT,
                                                       source__contains="indicator-values.csv")
                .select_related("indicator", "unit")}
    assert imported == published


def test_no_draft_nor_comment_in_the_indicator_values(client: Client) -> None:
    _content, rows = _csv(client, "indicator-values")
    keys = {(r["indicator"], r["unit"], r["period"]) for r in rows}
    waiting = IndicatorValue.objects.exclude(status=ValueStatus.APPROVED)
    assert waiting.exists()
    assert not keys & {(v.indicator.code, v.unit.code, v.period)
                       for v in waiting.select_related("indicator", "unit")}
    assert {r["comment"] for r in rows} == {""}


def _urls(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["@id"]] if isinstance(node.get("@id"), str) else []
        return found + [u for value in node.values() for u in _urls(value)]
    if isinstance(node, list):
        return [u for item in node for u in _urls(item)]
    return []


def test_the_dcat_catalogue_is_complete_and_its_addresses_answer(client: Client) -> None:
    response = client.get("/open-data/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert {"dcat", "dct", "foaf"} <= set(catalog["@context"])
    datasets = catalog["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [d.slug for d in DATASETS]
    required = {"dct:title", "dct:description", "dct:publisher", "dct:issued", "dct:modified",
                "dct:accrualPeriodicity", "dct:license", "dcat:distribution"}
    for d in datasets:
        assert required <= set(d), d["dct:identifier"]
        assert {t["@language"] for t in d["dct:title"]} == {"vi", "en"}
        assert d["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        media = {x["dcat:mediaType"]["@id"].rsplit("/", 2)[-2:][1]
                 for x in d["dcat:distribution"]}
        assert {"csv", "json"} <= media
        for x in d["dcat:distribution"]:
            assert x["dcat:downloadURL"]["@id"] and x["@type"] == "dcat:Distribution"
        datetime.fromisoformat(d["dct:modified"]["@value"])
    local = [u for u in _urls(catalog) if urlsplit(u).netloc == "testserver"]
    assert len(local) > 3 * len(DATASETS)
    for url in set(local):
        assert client.get(urlsplit(url).path).status_code == 200, url


def _next_working_day_from(day: date) -> date:
    cal = cached_work_calendar(day.year)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def test_each_dataset_says_when_it_was_last_updated_and_is_next_due(client: Client) -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    IndicatorValue.objects.filter(status=ValueStatus.APPROVED,
                                  indicator__code="e_procurement_rate").update(updated_at=moment)
    IndicatorValue.objects.exclude(indicator__code="e_procurement_rate").filter(
        status=ValueStatus.APPROVED).update(updated_at=moment - timedelta(days=1))
    document = json.loads(client.get("/open-data/indicator-values.json").content)
    assert datetime.fromisoformat(document["last_updated"]) == moment
    today = timezone.localdate()
    first_of_next = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    assert document["next_due"] == _next_working_day_from(first_of_next).isoformat()
    ranks = json.loads(client.get("/open-data/dti-ranks.json").content)
    assert max(r["year"] for r in ranks["rows"]) == 2024
    assert ranks["next_due"] == _next_working_day_from(date(2026, 7, 1)).isoformat()
    page = client.get("/open-data/indicator-values/").content.decode()
    assert f'data-date="{document["next_due"]}"' in page
    assert "04/03/2026" in page.split('data-testid="last-updated"')[1][:80]


def test_each_dataset_has_its_dictionary_and_licence(client: Client) -> None:
    for d in DATASETS:
        dictionary = json.loads(client.get(f"/open-data/{d.slug}/dictionary.json").content)
        fields = [f["field"] for f in dictionary["fields"]]
        _content, rows = _csv(client, d.slug)
        if rows:
            assert list(rows[0]) == fields, d.slug
        for f in dictionary["fields"]:
            assert {"title_vi", "title_en", "type", "unit_vi", "description_en"} <= set(f)
        document = json.loads(client.get(f"/open-data/{d.slug}.json").content)
        assert document["licence"]["spdx"] == "CC-BY-4.0"
        assert document["fields"] == fields
        assert len(document["rows"]) == len(rows)
    page = client.get("/open-data/").content.decode()
    assert 'rel="license"' in page and '<span translate="no">(CC BY 4.0)</span>' in page


def test_an_unknown_dataset_is_a_404(client: Client) -> None:
    for url in ("/open-data/nothing/", "/open-data/nothing.csv", "/open-data/nothing.json",
                "/open-data/nothing/dictionary.json"):
        assert client.get(url).status_code == 404
