"""The goals a visitor and the leader read: Plan 4636/KH-UBND's in force, each with its status
and the reason from the latest published DTI results; 16-NQ/TU's DTI goals kept as history,
shown as superseded, with their own field of 63."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.conf import settings

from tests.factories import IndicatorFactory, programme_document
from tests.factories.scoring import PublishedResultFactory, published_field
from tinhso.indicators.models import Measure, TargetKind
from tinhso.indicators.target_services import target_add
from tinhso.programme.goal_status import goal_statuses
from tinhso.programme.models import Goal

pytestmark = pytest.mark.django_db
INDEX = "dti-province-922"  # a framework shipped with the platform


@pytest.fixture
def plan(people: dict[str, Any], khanh_hoa: Any) -> dict[str, Any]:
    """16-NQ/TU's 2025 goal (top 25 of 63) superseded by Plan 4636's band, with its score and
    count of main indicators, all through the target services."""
    actor = people["coordinator"]
    rank = IndicatorFactory(code="dti_rank", name="Xếp hạng DTI", measure=Measure.RANK,
                            direction="lower", decimals=0)
    score = IndicatorFactory(code="dti_score", name="Chỉ số DTI", measure=Measure.SCORE,
                             decimals=4)
    resolution = programme_document(khanh_hoa, "16-NQ/TU", kind="resolution",
                                     issued_on=date(2021, 10, 19))
    plan_doc = programme_document(khanh_hoa, "4636/KH-UBND", issued_on=date(2025, 9, 29))
    old_target = target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=25,
                            rank_of=63, source="16-NQ/TU")
    band = target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=17,
                      value_high=19, top=20, rank_of=34, kind=TargetKind.BAND,
                      framework=INDEX, source="4636/KH-UBND")
    points = target_add(actor=actor, indicator=score, unit=khanh_hoa, year=2025, value=800,
                        scale=1000, kind=TargetKind.SCORE, framework=INDEX,
                        source="4636/KH-UBND", quote="a DTI score of ≥ 800/1,000 points")
    count = target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=4, top=10,
                       among=8, rank_of=34, kind=TargetKind.RANK_COUNT, framework=INDEX)
    goals = {
        "band": Goal.objects.create(document=plan_doc, unit=khanh_hoa, year=2025, target=band,
                                    indicator=rank, text="Top 20 (17-19) năm 2025",
                                    text_en="Top 20 (about 17th-19th) in 2025"),
        "score": Goal.objects.create(document=plan_doc, unit=khanh_hoa, year=2025,
                                     target=points, indicator=score, text="≥ 800/1.000 điểm",
                                     text_en="At least 800/1,000 points",
                                     quote="a DTI score of ≥ 800/1,000 points"),
        "count": Goal.objects.create(document=plan_doc, unit=khanh_hoa, year=2025,
                                     target=count, indicator=rank, text="4/8 chỉ số top 10",
                                     text_en="4 of 8 main indicators in the top 10"),
    }
    goals["old"] = Goal.objects.create(
        document=resolution, unit=khanh_hoa, year=2025, target_rank=25, indicator=rank,
        text="Nhóm 25 tỉnh dẫn đầu", text_en="Among the top 25 provinces",
        superseded_by=goals["band"])
    # DTI 2024 among 34: Khánh Hòa 16th with 0.7071, as published
    published_field(INDEX, 2024, 15)
    PublishedResultFactory(framework=INDEX, year=2024, unit=khanh_hoa, rank=16, total="0.7071")
    for n in range(17, 35):
        PublishedResultFactory(framework=INDEX, year=2024, rank=n)
    return {"goals": goals, "old_target": old_target}


def _cards(page: str, testid: str = "goals") -> list[str]:
    start = page.index(f'data-testid="{testid}"')
    return re.findall(r'<article class="goal[^"]*" data-testid="goal".*?</article>',
                      page[start:], re.S)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_goals_in_force_and_the_superseded_ones(plan, khanh_hoa):
    current, superseded = goal_statuses(khanh_hoa)
    assert [r.goal for r in current] == [plan["goals"][k] for k in ("band", "score", "count")]
    assert [r.goal for r in superseded] == [plan["goals"]["old"]]
    assert [r.status for r in current] == ["on_track", "at_risk", "unknown"]
    assert superseded[0].field == 63 and superseded[0].target == plan["old_target"]


def test_the_home_page_shows_plan_4636s_goals_with_their_status(client, plan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    band, points, count = (_text(c) for c in _cards(page)[:3])
    assert "rank 17-19 of 34 by 2025 (inside the top 20)" in band and "on track" in band
    assert "16/34 in 2024: inside the top 20, above the 17-19 band" in band
    assert "at least 800/1,000 points by 2025" in points and "at risk" in points
    assert "score 0.7071 in 2024 (707/1,000), 93 points short of 800" in points
    assert "a DTI score of ≥ 800/1,000 points" in points  # the plan's own words
    assert "main indicators in the top 10: not published" in count
    assert "not enough data" in count  # unknown: never a zero
    history = _cards(page, "superseded-goals")
    assert len(history) == 1
    old = _text(history[0])
    assert "top 25 of 63 by 2025" in old and "Superseded by 4636/KH-UBND" in old
    assert "16-NQ/TU" in old


def test_the_home_page_in_vietnamese_writes_numbers_the_vietnamese_way(client, plan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get("/").content.decode()
    points = _text(_cards(page)[1])
    assert "0,7071" in points and "707/1.000" in points and "800/1.000" in points


def test_the_leader_reads_the_same_goals_and_history(client, plan, reference_units):
    from tests.factories import grant, staff_user  # local: the leader only here

    leader = staff_user(unit=reference_units["56"], username="lanhdao.thu")
    grant(leader, "leader", reference_units["56"])
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/me/").content.decode()
    cards = [_text(c) for c in _cards(page)]
    assert "16/34 in 2024: inside the top 20, above the 17-19 band" in cards[0]
    assert any("Superseded by 4636/KH-UBND" in _text(c)
               for c in _cards(page, "superseded-goals"))


def test_the_targets_page_shows_the_kinds_with_their_status(client, plan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/indicators/dti_rank/targets/").content.decode()
    reasons = [_text(r) for r in re.findall(r'data-testid="target-reason">(.*?)</small>', page,
                                            re.S)]
    assert "16/34 in 2024: inside the top 20, above the 17-19 band" in reasons
    assert "main indicators in the top 10: not published" in reasons
    terms = re.findall(r'data-testid="target-terms">([^<]*)<', page)
    assert "at least 4 of 8 main indicators in the top 10 of 34 by 2025" in terms
