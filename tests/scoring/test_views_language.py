"""The rankings name frameworks, pillars, indicators and units in the page's language: the
English names of the framework files and the units' English names on an English page, the
Vietnamese on a Vietnamese one (the chart's labels too)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils.html import escape

from tinhso.scoring.engine import load_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def radar_labels(page: str) -> list[str]:
    data = page[page.index('id="radar-data"'):]
    return json.loads(data[data.index(">") + 1:data.index("</script>")])["labels"]


def test_the_unit_page_and_its_chart_in_english_and_in_vietnamese(client, demo):
    framework = load_framework("dti-province-922")
    weighted = [i for i in framework.indicators if i.weight > 0]
    client.cookies["django_language"] = "en"
    page = client.get("/rankings/dti-province-922/2022/56/").content.decode()
    assert radar_labels(page) == [i.name_en for i in weighted]
    assert framework.name_en in page and framework.name not in page
    client.cookies["django_language"] = "vi"
    page = client.get("/rankings/dti-province-922/2022/56/").content.decode()
    assert radar_labels(page) == [i.name for i in weighted]
    assert framework.name in page


def test_the_units_ranking_names_departments_in_english(client, demo):
    client.cookies["django_language"] = "en"
    url = f"/rankings/khanhhoa-units/{date.today().year}/units-of/56/"
    page = client.get(url).content.decode()
    assert "Department of Home Affairs" in page and "Sở Nội vụ" not in page
    framework = load_framework("khanhhoa-units")  # its note: English, with a Vietnamese twin
    assert not framework.published_in_full and escape(framework.note) in page
    assert escape(framework.note_vi) not in page
    client.cookies["django_language"] = "vi"
    page = client.get(url).content.decode()
    assert escape(framework.note_vi) in page and escape(framework.note) not in page
