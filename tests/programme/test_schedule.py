"""The status rule and the reporting periods, on the working-day calendar (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from tinhso.core.workdays import WorkCalendar
from tinhso.programme import schedule
from tinhso.programme.schedule import ReportingRule

# Tết 2026: Saturday 14 to Sunday 22 February; National Day 2 September 2026 (a Wednesday)
TET = frozenset(date(2026, 2, d) for d in range(14, 23))
CAL = WorkCalendar(days_off=TET | {date(2026, 9, 2)})


def status(due: date, today: date, *, progress: int = 0, done: date | None = None,
           cancelled: bool = False, soon: int = 5) -> str:
    late = done is not None and schedule.finished_late(due, done, CAL)
    return schedule.task_status(due_on=due, progress=progress, done_on=done, late=late,
                                cancelled=cancelled, today=today, cal=CAL, due_soon_days=soon)


def test_overdue_from_the_first_day_after_the_due_date() -> None:
    due = date(2026, 11, 30)  # a Monday
    assert status(due, date(2026, 11, 30)) == schedule.DUE_SOON
    assert status(due, date(2026, 12, 1)) == schedule.OVERDUE
    assert schedule.days_late(due, date(2026, 12, 1), CAL) == 1
    # a week later: five working days late, the weekend does not count
    assert schedule.days_late(due, date(2026, 12, 8), CAL) == 6


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day() -> None:
    # due Saturday 14/02/2026, first day of Tết: the next working day is Monday 23/02
    due = date(2026, 2, 14)
    assert schedule.effective_due(due, CAL) == date(2026, 2, 23)
    assert status(due, date(2026, 2, 20)) == schedule.DUE_SOON
    assert status(due, date(2026, 2, 23)) == schedule.DUE_SOON
    assert status(due, date(2026, 2, 24)) == schedule.OVERDUE
    assert not schedule.finished_late(due, date(2026, 2, 23), CAL)
    assert schedule.finished_late(due, date(2026, 2, 24), CAL)


def test_due_soon_counts_working_days() -> None:
    today = date(2026, 2, 11)  # Wednesday before Tết: 11, 12, 13, 23, 24 are five working days
    assert schedule.due_soon_limit(today, CAL, 5) == date(2026, 2, 24)
    assert status(date(2026, 2, 24), today) == schedule.DUE_SOON
    assert status(date(2026, 2, 25), today) == schedule.NOT_STARTED
    assert status(date(2026, 2, 25), today, progress=10) == schedule.IN_PROGRESS
    assert schedule.working_days_left(date(2026, 2, 24), today, CAL) == 5


def test_closed_tasks() -> None:
    due = date(2026, 6, 30)
    assert status(due, date(2026, 12, 1), done=date(2026, 6, 30)) == schedule.DONE_ON_TIME
    assert status(due, date(2026, 12, 1), done=date(2026, 7, 1)) == schedule.DONE_LATE
    assert status(due, date(2026, 12, 1), cancelled=True) == schedule.CANCELLED


def test_at_risk_when_due_soon_or_far_behind_an_even_schedule() -> None:
    kwargs = {"start_on": date(2026, 1, 1), "due_on": date(2026, 12, 31)}
    today = date(2026, 7, 2)  # half the year gone
    assert schedule.at_risk(schedule.IN_PROGRESS, progress=20, today=today, **kwargs)
    assert not schedule.at_risk(schedule.IN_PROGRESS, progress=30, today=today, **kwargs)
    assert schedule.at_risk(schedule.DUE_SOON, progress=90, today=today, **kwargs)
    assert not schedule.at_risk(schedule.OVERDUE, progress=0, today=today, **kwargs)


@pytest.mark.parametrize(("rule", "day", "code", "start", "end"), [
    (ReportingRule("quarter"), date(2026, 12, 1), "2026Q4", date(2026, 10, 1),
     date(2026, 12, 31)),
    (ReportingRule("month"), date(2026, 2, 28), "202602", date(2026, 2, 1), date(2026, 2, 28)),
    (ReportingRule("half_year"), date(2026, 7, 1), "2026S2", date(2026, 7, 1),
     date(2026, 12, 31)),
    (ReportingRule("year"), date(2026, 7, 1), "2026", date(2026, 1, 1), date(2026, 12, 31)),
    # Decree 09/2019: periods close on the 14th of their last month
    (ReportingRule("quarter", 14), date(2026, 12, 15), "2027Q1", date(2026, 12, 15),
     date(2027, 3, 14)),
    (ReportingRule("quarter", 14), date(2026, 12, 14), "2026Q4", date(2026, 9, 15),
     date(2026, 12, 14)),
    (ReportingRule("month", 14), date(2026, 1, 20), "202602", date(2026, 1, 15),
     date(2026, 2, 14)),
])
def test_reporting_periods(rule: ReportingRule, day: date, code: str, start: date,
                           end: date) -> None:
    period = schedule.period_containing(day, rule)
    assert (period.code, period.start, period.end) == (code, start, end)
    assert schedule.reporting_period(code, rule) == period


def test_the_period_to_report_and_its_due_date() -> None:
    rule = ReportingRule("quarter", 0, 5)
    period = schedule.period_to_report(date(2026, 12, 1), rule)
    assert period.code == "2026Q3"
    # 30/09/2026 is a Wednesday: five working days later is Wednesday 07/10
    assert schedule.report_due(period, rule, CAL) == date(2026, 10, 7)
    with pytest.raises(ValueError):
        schedule.reporting_period("202611", rule)
