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
    # 16-NQ/TU's goals were set among 63: the gap is counted from 41/63 (2022), and 16/34 is
    # said to be in another field, with its proportional reading.
    gaps = re.findall(r'data-testid="goal-gap">([^<]*)<', page)
    assert gaps == ["16 places to climb: 41/63 in 2022, goal top 25",
                    "21 places to climb: 41/63 in 2022, goal top 20"]
    assert page.count('data-testid="goal-other-field"') == 2
    assert "about 29.6 of 63" in page
    chart = re.search(r'data-testid="chart-dti-rank">(.*?)</figure>', page, re.S).group(1)
    assert "<td>41/63</td>" in chart and "<td>16/34</td>" in chart
