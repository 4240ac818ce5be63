"""The demo as the leader lands on it: the DTI rank with its field size, Plan 4636's goals with
their status from the published results, 16-NQ/TU's kept as history, the way to the gap page of
the latest full ranking."""

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
    # Plan 4636/KH-UBND's goals are in force, each with its status from the latest published
    # DTI results (2024: 16th of 34 with 0.7071); 16-NQ/TU's, set among 63, are history.
    goals = page[page.index('data-testid="goals"'):page.index('data-testid="superseded-goals"')]
    reasons = re.findall(r'data-testid="goal-reason">([^<]*)<', goals)
    assert reasons == ["16/34 in 2024: inside the top 20, above the 17-19 band",
                       "score 0.7071 in 2024 (707/1,000), 93 points short of 800",
                       "main indicators in the top 10: not published",
                       "16/34 in 2024: no earlier rank among 34 to climb from",
                       "16/34 in 2024: 6 places below the top 10"]
    assert re.findall(r'data-status="(\w+)"', goals)[::2] == [
        "on_track", "at_risk", "unknown", "unknown", "on_track"]
    history = page[page.index('data-testid="superseded-goals"'):]
    history = history[:history.index("</div>\n</details>")]  # the cards' own details inside
    assert history.count("Superseded by 4636/KH-UBND") == 2
    assert "top 25 of 63 by 2025" in history and "top 20 of 63 by 2030" in history
    assert "about 29.6 of 63 read proportionally" in history
    chart = re.search(r'data-testid="chart-dti-rank">(.*?)</figure>', page, re.S).group(1)
    assert "<td>41/63</td>" in chart and "<td>16/34</td>" in chart
