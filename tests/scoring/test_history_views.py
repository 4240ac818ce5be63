"""Khánh Hòa's DTI rank over the years on the rankings pages, and 2024's two fields."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def _cells(page: str) -> dict[str, str]:
    """The history table: year -> the rank cell's text."""
    table = page[page.index('data-testid="rank-history-table"'):]
    rows = re.findall(r'<tr data-year="(\d{4})">.*?data-testid="history-rank">(.*?)</td>',
                      table, re.S)
    return {year: re.sub(r"<[^>]+>", " ", cell).split()[0] for year, cell in rows}


def test_the_rank_history_of_khanh_hoa_with_its_breaks(client, demo):
    client.cookies["django_language"] = "en"
    page = client.get("/rankings/").content.decode()
    assert 'data-testid="rank-history"' in page
    points = dict(re.findall(r'data-testid="rank-point" data-year="(\d{4})">([^<]+)<', page))
    assert points == {"2021": "30/63", "2022": "41/63", "2024": "16/34"}
    gaps = re.findall(r'data-testid="rank-gap" data-year="(\d{4})"', page)
    assert gaps == ["2020", "2023"]  # not found: gaps, not zeros
    assert _cells(page) == {"2020": "not", "2021": "30/63", "2022": "41/63", "2023": "not",
                            "2024": "16/34"}
    cuts = re.findall(r'data-testid="rank-break" data-after="(\d+)" data-before="(\d+)" '
                      r'data-method="(\d)" data-field="(\d)"', page)
    assert cuts == [("2020", "2021", "1", "0"), ("2023", "2024", "1", "1")]
    assert "derived" in page  # 2021 is derived from 2022's "down 11 places"
    assert "news.baokhanhhoa.vn" in page and "11252/KH-UBND" in page  # each point's source
    assert "<script" not in page[page.index('data-testid="rank-history"'):].split("</section>")[0]


def test_2024_ranked_among_34_and_among_63(client, demo):
    client.cookies["django_language"] = "en"
    response = client.get("/rankings/dti-province-405/2024/")
    assert response.context["fields"] == [34, 63] and response.context["field_size"] == 34
    page = response.content.decode()
    assert 'href="?field=63"' in page
    assert re.search(r'data-unit="56" data-rank="16">\s*<td data-testid="rank">16/34', page)
    assert "32–34/34" in page and "bottom 3; exact order not found" in page
    assert "Only 13 ranks of 34 were found" in page
    assert re.search(r'data-unit="11".*?not published', page, re.S)  # Điện Biên: no score
    old = client.get("/rankings/dti-province-405/2024/", {"field": "63"}).content.decode()
    assert re.search(r'data-unit="49" data-rank="57">\s*<td data-testid="rank">57/63', old)
    assert "4/63 <span" in old and "inferred" in old  # Hà Nội, from the listing order
    assert client.get("/rankings/dti-province-405/2024/", {"field": "50"}).status_code == 404


def test_the_rank_history_in_vietnamese(client, demo):
    page = client.get("/rankings/").content.decode()
    assert 'data-testid="rank-history"' in page and "16/34" in page


def test_the_latest_rank_for_targets(demo):
    from tinhso.scoring.history_selectors import latest_rank
    from tinhso.units.selectors import unit_by_code

    latest = latest_rank(unit_by_code("56"))
    assert (latest.year, latest.rank, latest.field_size, latest.method) == (
        2024, 16, 34, "dti-province-405")
