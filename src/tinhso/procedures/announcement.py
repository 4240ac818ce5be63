"""Decision 766, items 1.1 and 1.2: a procedure announced on time, and published on time. Pure
Python (the calendar is ``core.workdays``).

- **Announced on time** (Decree 63/2010, as amended; the province's rule): the announcing
  decision is dated at least 5 working days before the legal text behind the change takes
  effect: among the days from the decision's (included) to the effective date (excluded), at
  least 5 are working days. Signed on Monday 1 for a law in force on Monday 8: on time (Monday
  1 to Friday 5); signed on Tuesday 2: late.
- **Published on time**: the procedure is updated and published on the platform at most 5
  working days after the decision's date: among the days after it up to the publication's
  (included), at most 5 are working days. Decision on Monday 1, published Monday 8: on time;
  Tuesday 9: late. Published on the decision's day (or before): on time.

A version without the dates a rule needs is counted by neither (``counts`` leaves it out).
"""

from __future__ import annotations

from datetime import date, timedelta

from tinhso.core.workdays import WorkCalendar

WORKING_DAYS = 5


def working_days(calendar: WorkCalendar, start: date, end: date) -> int:
    """The working days d with start <= d < end (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def announced_on_time(decision_date: date, legal_effective_date: date,
                      calendar: WorkCalendar) -> bool:
    return working_days(calendar, decision_date, legal_effective_date) >= WORKING_DAYS


def published_on_time(decision_date: date, published_on: date, calendar: WorkCalendar) -> bool:
    one = timedelta(days=1)
    return working_days(calendar, decision_date + one, published_on + one) <= WORKING_DAYS
