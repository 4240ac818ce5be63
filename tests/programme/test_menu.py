"""The menu leads each person to their programme work."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tinhso.programme.services import report_submit

pytestmark = pytest.mark.django_db


def nav(client: Any, user: Any) -> dict[str, str]:
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    return {str(i["url"]): str(i["label"]) for i in response.context["nav_items"]}


def test_the_reporter_finds_their_tasks_and_the_coordinator_the_waiting_reports(
        client: Any, people: dict[str, Any], task: Any) -> None:
    reporter = nav(client, people["reporter"])
    assert reverse("programme:mine") in reporter
    assert reverse("programme:review") not in reporter
    assert reverse("programme:review") in nav(client, people["coordinator"])
    report_submit(actor=people["reporter"], task=task, period="2026Q3", percent=20,
                  done_text="Khởi động", today=date(2026, 12, 1))
    label = nav(client, people["coordinator"])[reverse("programme:review")]
    assert label.endswith("(1)")
