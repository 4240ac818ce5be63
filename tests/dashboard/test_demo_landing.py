"""The demo as the leader lands on it: the DTI rank with its field size, each goal against the
ranks of its own field, the way to the gap page of the latest full ranking."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from tinhso.accounts.models import User
from tinhso.accounts.permissions import SYSTEM
from tinhso.demo.loader import demo_load

pytestmark = pytest.mark.django_db


def test_the_leader_reads_the_rank_with_its_field_and_each_goal_in_its_own(client: Any) -> None:
    demo_load(actor=SYSTEM)
    client.force_login(User.objects.get(username="lanhdao"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/me/").content.decode()
    rank = re.search(r'data-testid="dti-rank">(.*?)</p>', page, re.S).group(1)
    assert "2024" in rank and ">16/34<" in rank
    assert 'href="/rankings/dti-province-922/2022/56/"' in rank  # the latest full ranking
    assert client.get("/rankings/dti-province-922/2022/56/").status_code == 200
    assert 'href="/rankings/#rank-history-title"' in rank  # the history, with its breaks
    # 16-NQ/TU's goals were set among 63: 16/34 is said to be in another field, with its
    # proportional reading, each goal with its status.
    goals = page[page.index('data-testid="goals"'):]
    reasons = re.findall(r'data-testid="goal-reason">([^<]*)<', goals)
    assert reasons == ["the latest rank, 16/34, was ranked among 34; this target is set among "
                       "63 (about 29.6 of 63 read proportionally)"] * 2
    terms = re.findall(r'data-testid="goal-terms">([^<]*)<', goals)
    assert terms == ["top 25 of 63 by 2025", "top 20 of 63 by 2030"]
    assert re.findall(r'<article class="goal[^"]*" data-testid="goal" data-status="(\w+)"',
                      goals) == ["not_comparable", "not_comparable"]
    chart = re.search(r'data-testid="chart-dti-rank">(.*?)</figure>', page, re.S).group(1)
    assert "<td>41/63</td>" in chart and "<td>16/34</td>" in chart
