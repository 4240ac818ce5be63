"""``tinhso programme schedule``: the installation's reporting periods, shown and set."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tinhso.audit.models import AuditEvent
from tinhso.programme.selectors import clock

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("programme", "schedule", *args, stdout=out)
    return out.getvalue()


def test_calendar_quarters_by_default_then_monthly_closing_on_the_14th() -> None:
    assert "periods: quarter, closing at the end of the last month" in run()
    text = run("--period", "month", "--close-day", "14", "--due-days", "3")
    assert "periods: month, closing on day 14; report due 3 working days" in text
    rule = clock().rule
    assert (rule.period_type, rule.close_day, rule.due_working_days) == ("month", 14, 3)
    assert AuditEvent.objects.filter(action="schedule.set").count() == 1


def test_a_closing_day_past_the_28th_is_refused_and_nothing_changes() -> None:
    with pytest.raises(CommandError, match="close_day"):
        run("--close-day", "31")
    assert clock().rule.close_day == 0
