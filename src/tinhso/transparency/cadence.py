"""When an open dataset is next due, from how often it is updated. Pure: no Django.

- ``monthly`` (dossier statistics, the Decision 766 scores, indicator values): a month's
  figures are complete when it ends, so the next update is due on the first working day of the
  next month (official calendar: 01/01 a holiday, the 2nd is due).
- ``quarterly`` (programme progress, reported per quarter): the first working day of the next
  quarter.
- ``annual`` (the DTI ranking): the Ministry publishes year Y's ranking during year Y + 1
  (2024's in 2025), so after the latest year held, L, the next ranking (L + 1) is due in L + 2:
  on the first working day of July of L + 2, and at the latest at the end of that year. When no
  year is held yet, the first working day of July of this year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tinhso.core.workdays import WorkCalendar

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
# DCAT-AP: the EU's frequency authority table (the catalogue's dct:accrualPeriodicity)
FREQUENCY_URI = {
    MONTHLY: "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    QUARTERLY: "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
    ANNUAL: "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
}
ANNUAL_MONTH = 7  # the DTI of year Y is expected from July of year Y + 1


def first_working_day_on_or_after(day: date, cal: WorkCalendar) -> date:
    return day if cal.is_working_day(day) else cal.next_working_day(day)


def _next_month(today: date) -> date:
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _next_quarter(today: date) -> date:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = date(today.year, first_month, 1)
    return (start + timedelta(days=95)).replace(day=1)


@dataclass(frozen=True)
class Due:
    on: date
    rule: str  # which rule gave it (monthly, quarterly, annual)


def next_due(frequency: str, today: date, cal: WorkCalendar,
             latest_year: int | None = None) -> Due:
    """The day the dataset's next update is due (see the module's rules)."""
    if frequency == MONTHLY:
        return Due(first_working_day_on_or_after(_next_month(today), cal), frequency)
    if frequency == QUARTERLY:
        return Due(first_working_day_on_or_after(_next_quarter(today), cal), frequency)
    if frequency == ANNUAL:
        year = latest_year + 2 if latest_year is not None else today.year
        return Due(first_working_day_on_or_after(date(year, ANNUAL_MONTH, 1), cal), frequency)
    raise ValueError(f"unknown frequency {frequency!r}")
