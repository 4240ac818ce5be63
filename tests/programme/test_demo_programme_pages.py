"""The demo's programme as the coordinator and the leader see it: the tree with its rolled-up
progress and its overdue tasks, the same on every page that counts them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tinhso.accounts.models import User
from tinhso.accounts.permissions import SYSTEM
from tinhso.demo.loader import demo_load
from tinhso.programme import schedule
from tinhso.programme.models import Document, Task
from tinhso.programme.page_selectors import programme_page_tree
from tinhso.programme.selectors import clock, status_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_programme() -> dict[str, Any]:
    demo_load(actor=SYSTEM)
    return {"coordinator": User.objects.get(username="dieuphoi"),
            "leader": User.objects.get(username="lanhdao"),
            "resolution": Document.objects.get(number="16-NQ/TU")}


def test_the_tree_shows_the_rolled_up_progress_and_the_overdue_tasks(
        client: Any, demo_programme: dict[str, Any]) -> None:
    clk = clock()
    overdue = set(Task.objects.filter(status_q(schedule.OVERDUE, clk))
                  .values_list("code", flat=True))
    assert overdue, "the demo has overdue tasks"
    tree = programme_page_tree(demo_programme["resolution"], demo_programme["leader"], clk)
    assert tree.figures.progress is not None and len(tree.roots) == 4
    client.force_login(demo_programme["leader"])
    page = client.get("/programme/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    shown = re.search(r'data-testid="count-overdue">(\d+)<', page)
    assert shown and int(shown.group(1)) == len(overdue)
    whole = f"{tree.figures.progress:.1f}".replace(".", ",")
    assert whole in page  # the whole programme's progress, in Vietnamese notation
    listed = client.get("/programme/overdue/").content.decode()
    for code in overdue:
        assert f">{code}" in listed or f"{code}." in listed


def test_the_leader_sees_which_tasks_serve_the_dti_gap(
        client: Any, demo_programme: dict[str, Any]) -> None:
    client.force_login(demo_programme["leader"])
    gap = client.get("/rankings/dti-province-922/2022/56/").content.decode()
    codes = re.findall(r"/programme/serving/\?codes=(\w+)", gap)
    assert codes
    part = client.get(f"/programme/serving/?codes={codes[0]}", HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    serving = Task.objects.filter(cancelled_on__isnull=True)
    expected = [t.code for t in serving if codes[0] in t.dti_codes]
    assert expected and all(code in part.content.decode() for code in expected)
