"""A task's status and the reporting periods, on the working-day calendar. Pure Python.

One rule, one place: every page, list, count, reminder and API answer that says "overdue" or
"due soon" asks :func:`task_status` (or its query form ``selectors.status_q``, tested against
it). The rules:

- A deadline that falls on a day off moves to the next working day (the effective due date).
- A task is **overdue** from the first day after its effective due date while it is neither
  done nor cancelled. Equivalently: its due date is on or before the last working day before
  today (:func:`overdue_cutoff`), which is what the query form compares.
- It is **due soon** while not overdue and its due date is within ``due_soon_days`` working
  days from today (:func:`due_soon_limit`).
- Otherwise an open task is **not started** at 0 % and **in progress, on time** above it.
- A closed task is **done on time** when it was done by its effective due date, **done late**
  after it (:func:`finished_late`, fixed when the task is closed), or **cancelled**.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tinhso.core.periods import parse_period
from tinhso.core.workdays import WorkCalendar

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
CANCELLED = "cancelled"

STATUSES = (NOT_STARTED, IN_PROGRESS, DUE_SOON, OVERDUE, DONE_ON_TIME, DONE_LATE, CANCELLED)
OPEN_STATUSES = (NOT_STARTED, IN_PROGRESS, DUE_SOON, OVERDUE)
LATE_STATUSES = (OVERDUE, DONE_LATE)


def effective_due(due_on: date, cal: WorkCalendar) -> date:
    """The due date, moved to the next working day when it falls on a day off."""
    return due_on if cal.is_working_day(due_on) else cal.next_working_day(due_on)


def overdue_cutoff(today: date, cal: WorkCalendar) -> date:
    """The last working day before ``today``: a task due on or before it is overdue today."""
    day = today - timedelta(days=1)
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def due_soon_limit(today: date, cal: WorkCalendar, days: int) -> date:
    """The ``days``-th working day counted from today (today itself, when a working day, is
    the first): a task due on or before it, and not overdue, is due soon."""
    day = today if cal.is_working_day(today) else cal.next_working_day(today)
    for _ in range(max(days, 1) - 1):
        day = cal.next_working_day(day)
    return day


def finished_late(due_on: date, done_on: date, cal: WorkCalendar) -> bool:
    return done_on > effective_due(due_on, cal)


def working_days_between(start: date, end: date, cal: WorkCalendar) -> int:
    """Working days in (start, end]: how many working days ``end`` is after ``start``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count


def days_late(due_on: date, today: date, cal: WorkCalendar) -> int:
    """Working days an open task is past its effective due date (0 when it is not)."""
    return working_days_between(effective_due(due_on, cal), today, cal)


def working_days_left(due_on: date, today: date, cal: WorkCalendar) -> int:
    """Working days from today to the effective due date, today included when working."""
    due = effective_due(due_on, cal)
    if due < today:
        return 0
    return working_days_between(today - timedelta(days=1), due, cal)


def task_status(*, due_on: date, progress: int, done_on: date | None, late: bool,
                cancelled: bool, today: date, cal: WorkCalendar, due_soon_days: int) -> str:
    """The status of a task today. ``late`` is the ``finished_late`` fixed at closing."""
    if cancelled:
        return CANCELLED
    if done_on is not None:
        return DONE_LATE if late else DONE_ON_TIME
    if due_on <= overdue_cutoff(today, cal):
        return OVERDUE
    if due_on <= due_soon_limit(today, cal, due_soon_days):
        return DUE_SOON
    return IN_PROGRESS if progress > 0 else NOT_STARTED


def expected_progress(start_on: date, due_on: date, today: date) -> float:
    """Where a task would be (percent) if its work went evenly from start to due date."""
    if today <= start_on:
        return 0.0
    if today >= due_on:
        return 100.0
    return 100.0 * (today - start_on).days / max((due_on - start_on).days, 1)


AT_RISK_BEHIND = 25.0  # percentage points behind an even schedule


def at_risk(status: str, *, start_on: date, due_on: date, progress: int, today: date) -> bool:
    """Open, not yet overdue, and either due soon or well behind an even schedule."""
    if status == DUE_SOON:
        return True
    if status not in (NOT_STARTED, IN_PROGRESS):
        return False
    return expected_progress(start_on, due_on, today) - progress >= AT_RISK_BEHIND


# --- reporting periods -------------------------------------------------------------------------

_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class ReportingRule:
    period_type: str = "quarter"  # month, quarter, half_year, year
    close_day: int = 0  # 0: end of the last month; 1-28: that day of the last month
    due_working_days: int = 5


@dataclass(frozen=True)
class ReportPeriod:
    code: str  # DHIS2 notation: 2026Q4, 202611, 2026S2, 2026
    start: date
    end: date


def _code(year: int, month: int, period_type: str) -> str:
    if period_type == "month":
        return f"{year}{month:02d}"
    if period_type == "quarter":
        return f"{year}Q{(month - 1) // 3 + 1}"
    if period_type == "half_year":
        return f"{year}S{1 if month <= 6 else 2}"
    return str(year)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def reporting_period(code: str, rule: ReportingRule) -> ReportPeriod:
    """The days a period code covers under the rule (calendar, or shifted to the closing day:
    with the 14th, the fourth quarter runs from 15 September to 14 December)."""
    calendar_period = parse_period(code)
    if calendar_period.type != rule.period_type:
        raise ValueError(f"'{code}' is not a {rule.period_type} period")
    if rule.close_day == 0:
        return ReportPeriod(code, calendar_period.start, calendar_period.end)
    last_month = _add_months(calendar_period.start, _MONTHS[rule.period_type] - 1)
    end = last_month.replace(day=rule.close_day)
    start = _add_months(calendar_period.start, -1).replace(day=rule.close_day) \
        + timedelta(days=1)
    return ReportPeriod(code, start, end)


def period_containing(day: date, rule: ReportingRule) -> ReportPeriod:
    """The reporting period that ``day`` falls in."""
    month = day.replace(day=1)
    if rule.close_day and day.day > rule.close_day:
        month = _add_months(month, 1)
    return reporting_period(_code(month.year, month.month, rule.period_type), rule)


def previous_period(period: ReportPeriod, rule: ReportingRule) -> ReportPeriod:
    return period_containing(period.start - timedelta(days=1), rule)


def report_due(period: ReportPeriod, rule: ReportingRule, cal: WorkCalendar) -> date:
    """The day a period's report is due: ``due_working_days`` working days after it closes."""
    day = period.end
    for _ in range(rule.due_working_days):
        day = cal.next_working_day(day)
    return day


def period_to_report(today: date, rule: ReportingRule) -> ReportPeriod:
    """The period units report on now: the last one that has closed."""
    return previous_period(period_containing(today, rule), rule)
