"""The home page keeps ranks in their field and draws its charts with the figures behind them;
the favicon; the workers' warm-up (issue 12, points 1-3, 7, 8)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tinhso import gunicorn_conf
from tinhso.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def json_script(page: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page,
                      re.S)
    assert found, element_id
    return json.loads(found.group(1))


def target_row(page: str, indicator: str, field: str) -> str:
    rows = re.findall(rf'<tr data-indicator="{indicator}".*?</tr>', page, re.S)
    mine = [r for r in rows if f"of {field}" in r]
    assert len(mine) == 1, rows
    return mine[0]


def test_every_rank_on_the_home_page_carries_its_field(english, demo):
    page = english.get("/").content.decode()
    figures = re.findall(r'data-testid="rank">([^<]*)<', page)
    assert "41/63" in figures and "16/34" in figures and "5/63" in figures
    assert all(re.fullmatch(r"\d+/\d+", f) for f in figures), figures
    assert "16 of 34" not in page


def test_the_goals_say_which_field_their_rank_means(english, demo):
    page = english.get("/").content.decode()
    pills = re.findall(r'<span class="pill" data-testid="goal-terms">([^<]*)</span>', page)
    # Plan 4636/KH-UBND's goals in force (among 34), then 16-NQ/TU's superseded (among 63)
    assert pills == ["rank 17-19 of 34 by 2025 (inside the top 20)",
                     "at least 800/1,000 points by 2025",
                     "at least 4 of 8 main indicators in the top 10 of 34 by 2025",
                     "at least 1-2 places a year (of 34) until 2030", "top 10 of 34 by 2030",
                     "top 25 of 63 by 2025", "top 20 of 63 by 2030"]


def test_a_target_set_among_63_is_not_comparable_with_a_rank_among_34(english, demo):
    page = english.get("/").content.decode()
    old = target_row(page, "dti_rank", "63")  # Resolution 16-NQ/TU: top 20 of 63 by 2030
    assert "top 20 of 63 (2030)" in old
    assert 'data-status="not_comparable"' in old and "achieved" not in old
    assert "Set for a field of 63; the latest rank is 16/34." in old
    assert "about 30/63 (a reading, not a published rank)" in old
    new = target_row(page, "dti_rank", "34")  # Plan 4636/KH-UBND: top 10 of 34 by 2030
    assert "top 10 of 34 (2030)" in new and "4636/KH-UBND" in new
    assert 'data-status="not_comparable"' not in new and "16/34" in new


def test_the_rank_history_chart_breaks_between_fields(english, demo):
    page = english.get("/").content.decode()
    chart = json_script(page, "rank-history-dti_rank")
    assert chart["reverse"] is True
    assert [(s["of"], [v for v in s["values"] if v is not None]) for s in chart["series"]] == [
        (63, [41.0]), (34, [16.0])]
    # No point of one field's line is drawn in the other's years.
    for series in chart["series"]:
        years = [y for y, v in zip(chart["labels"], series["values"], strict=True) if v]
        assert years == (["2022"] if series["of"] == 63 else ["2024"])
    assert chart["breaks"] == [{"after": "2022", "before": "2024",
                                "label": "63 provinces → 34 provinces"}]
    assert {(t["of"], t["value"], t["year"]) for t in chart["targets"]} == {
        (63, 20.0, "2030"), (34, 10.0, "2030")}
    # The table behind it gives each rank with its field.
    table = page[page.index('data-testid="rank-table"'):]
    table = table[:table.index("</table>")]
    assert "<caption>" in table and "41/63" in table and "16/34" in table
    assert "target: top 10 of 34" in table and "target: top 20 of 63" in table


def test_the_home_page_charts_each_have_their_figures_in_a_table(english, demo):
    page = english.get("/").content.decode()
    months = json_script(page, "home-months-data")
    received = months["series"][0]["values"]
    rows = re.findall(r'<tr data-month="[^"]+"><th scope="row">[^<]*</th><td>([^<]*)</td>',
                      page)
    assert [int(r.replace(",", "")) for r in rows] == received and sum(received) > 0
    shares = json_script(page, "home-shares-data")  # the DTI score against the plan's 0.8
    assert shares["values"] == [pytest.approx(100 * 0.7071 / 0.8, abs=0.1)]
    assert 'data-testid="shares-table"' in page
    for canvas in re.findall(r"<canvas[^>]*>", page):
        assert 'role="img"' in canvas and "aria-label=" in canvas


def test_the_indicator_page_draws_a_rank_by_field(english, demo):
    page = english.get("/indicators/dti_rank/", {"unit": "56"}).content.decode()
    assert 'data-testid="rank-history"' in page and 'id="series-chart"' not in page
    assert "63 provinces → 34 provinces" in page
    recorded = page[page.index("stored-heading"):]
    assert "41/63" in recorded and "16/34" in recorded
    # A rank stored without its field is shown bare, never with a made-up field.
    value = IndicatorValue.objects.get(indicator__code="dti_rank", period="2024")
    value.rank_of = None
    value.save()
    again = english.get("/indicators/dti_rank/", {"unit": "56"}).content.decode()
    assert "16/34" not in again


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert re.fullmatch(r"/static/web/favicon(\.[0-9a-f]+)?\.ico", response["Location"])
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("web/favicon.ico")
    with open(icon, "rb") as fh:
        assert fh.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    assert finders.find("web/favicon.svg")
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


class FakeWorker:
    pid = 4242
    log = logging.getLogger("gunicorn.error")


def test_the_warm_up_hook_renders_the_main_pages(demo, caplog, monkeypatch):
    monkeypatch.delenv("WARM_UP", raising=False)
    with caplog.at_level(logging.INFO):
        gunicorn_conf.post_worker_init(FakeWorker())
    message = next(r.getMessage() for r in caplog.records if "warmed up" in r.getMessage())
    assert "'vi:/': 200" in message and "'en:/': 200" in message
    assert "500" not in message and "404" not in message


def test_the_warm_up_can_be_turned_off_and_never_raises(monkeypatch, caplog):
    from tinhso.web import warmup

    monkeypatch.setenv("WARM_UP", "0")
    with caplog.at_level(logging.INFO):
        gunicorn_conf.post_worker_init(FakeWorker())
    assert not any("warm" in r.getMessage() for r in caplog.records)

    def broken() -> None:
        raise RuntimeError("no URLconf")

    monkeypatch.setattr(warmup, "get_resolver", broken)
    with caplog.at_level(logging.ERROR):
        assert warmup.warm() == {}
    assert any("warm-up failed" in r.getMessage() for r in caplog.records)
