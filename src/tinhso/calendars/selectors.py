"""Reading a year of the calendar for people: the days off and the extra working days, each
named in both languages, and the number of working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from tinhso.accounts.models import UserKind
from tinhso.calendars.names import WEEKDAYS_VI, english_twin, holiday_names
from tinhso.core.calendar import stored_days, work_calendar, working_hours
from tinhso.core.languages import localized
from tinhso.core.workdays import WorkCalendar


def may_read_calendar(user: Any) -> bool:
    """The calendar page is the staff's (and the superuser's): the page and the menu ask this."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "kind", None) == UserKind.STAFF or user.is_superuser)


@dataclass(frozen=True)
class CalendarEntry:
    """A day that is not an ordinary working day (a holiday, a day off announced or set), or a
    weekend day worked in compensation."""

    day: date
    working: bool
    name: str  # Vietnamese
    name_en: str  # English, "" when none is known
    source: str
    set_by_hand: bool  # stored (an announcement or an administrator's edit)

    @property
    def weekday_vi(self) -> str:
        return WEEKDAYS_VI[self.day.weekday()]

    @property
    def label(self) -> str:
        """The name in the page's language (the Vietnamese when no English is known)."""
        return localized(self)


@dataclass(frozen=True)
class CalendarYear:
    year: int
    entries: list[CalendarEntry]
    working_days: int
    hours: tuple[tuple[time, time], ...]
    hours_confirmed: bool


def _count_working_days(calendar: WorkCalendar, year: int) -> int:
    day, count = date(year, 1, 1), 0
    while day.year == year:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def calendar_year(year: int) -> CalendarYear:
    """The year's exceptional days, in order, with their names in both languages."""
    calendar = work_calendar(range(year, year + 1))
    package = holiday_names(range(year, year + 1))
    stored = stored_days(year)
    entries = []
    for day, _name in calendar.year(year):
        row = stored.get(day)
        holiday = package.get(day)
        if row is not None:
            name, name_en, source = row.name, english_twin(day, row.name, holiday), row.source
        elif holiday is not None:
            (name, name_en), source = holiday, "holidays (VN)"
        else:  # not reachable today: every day off comes from one of the two
            name, name_en, source = "Ngày nghỉ", "", ""
        entries.append(CalendarEntry(day=day, working=calendar.is_working_day(day), name=name,
                                     name_en=name_en, source=source,
                                     set_by_hand=row is not None))
    hours, confirmed = working_hours()
    return CalendarYear(year=year, entries=entries,
                        working_days=_count_working_days(calendar, year), hours=hours,
                        hours_confirmed=confirmed)
