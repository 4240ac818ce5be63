"""The official calendar: the holidays package with the stored days (announcements and
administrators' edits), read here; the calendars app's services write them."""

from __future__ import annotations

import time as time_module
from datetime import date, time

import holidays
from django.utils import timezone

from tinhso.core.models import CalendarDay, DayKind, WorkingHours
from tinhso.core.workdays import DEFAULT_HOURS, WorkCalendar


def working_hours() -> tuple[tuple[tuple[time, time], ...], bool]:
    row = WorkingHours.objects.first()
    if row is None:
        return DEFAULT_HOURS, False
    return ((row.morning_start, row.morning_end), (row.afternoon_start, row.afternoon_end)), \
        row.confirmed


def work_calendar(years: range) -> WorkCalendar:
    """Holidays of Vietnam (holidays package) with the stored announcements and edits."""
    names: dict[date, str] = dict(holidays.VN(years=list(years)).items())
    off = set(names)
    worked: set[date] = set()
    for row in CalendarDay.objects.filter(day__year__gte=years.start, day__year__lt=years.stop):
        names[row.day] = row.name
        if row.kind == DayKind.DAY_OFF:
            off.add(row.day)
            worked.discard(row.day)
        else:
            worked.add(row.day)
            off.discard(row.day)
    hours, _confirmed = working_hours()
    return WorkCalendar(days_off=frozenset(off), working_days=frozenset(worked), hours=hours,
                        names=names, tz=timezone.get_default_timezone())


CALENDAR_TTL = 60.0  # seconds: another process sees an administrator's edit within a minute
_calendars: dict[int | tuple[int, int], tuple[float, WorkCalendar]] = {}


def cached_work_calendar(year: int) -> WorkCalendar:
    """The calendar from the year before ``year`` to three years after, built at most once a
    minute per process (due dates on every submission must not rebuild it); an edit made in
    this process clears it at once."""
    cached = _calendars.get(year)
    if cached is not None and time_module.monotonic() - cached[0] < CALENDAR_TTL:
        return cached[1]
    calendar = work_calendar(range(year - 1, year + 4))
    _calendars[year] = (time_module.monotonic(), calendar)
    return calendar


def cached_work_calendar_span(first_year: int, last_year: int) -> WorkCalendar:
    """The calendar of the years ``first_year`` to ``last_year`` (both included), kept like
    :func:`cached_work_calendar` (a programme's deadlines span a decade)."""
    key = (first_year, last_year)
    cached = _calendars.get(key)
    if cached is not None and time_module.monotonic() - cached[0] < CALENDAR_TTL:
        return cached[1]
    calendar = work_calendar(range(first_year, last_year + 1))
    _calendars[key] = (time_module.monotonic(), calendar)
    return calendar


def forget_calendars() -> None:
    _calendars.clear()


def stored_day(day: date) -> CalendarDay | None:
    """The stored announcement or edit of ``day``, if any."""
    return CalendarDay.objects.filter(day=day).first()


def stored_days(year: int) -> dict[date, CalendarDay]:
    """The stored announcements and edits of ``year``, by day."""
    return {row.day: row for row in CalendarDay.objects.filter(day__year=year)}


def calendar_day_store(*, day: date, kind: str, name: str, source: str) -> CalendarDay:
    """Write one day and clear the cached calendars. No permission check and no audit event:
    only the calendars app's services call it, inside their checked and audited transaction."""
    row, _created = CalendarDay.objects.update_or_create(
        day=day, defaults={"kind": kind, "name": name, "source": source})
    forget_calendars()
    return row
