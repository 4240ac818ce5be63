"""The official working-day calendar and deadlines counted in working time. Pure Python.

Deadlines of administrative procedures are counted in working days: weekends, public holidays
and the Government's announced days off do not count, and its announced compensating working
days (a Saturday worked in exchange for a bridge day) do. Time counts only within working hours
(by default 07:00-11:30 and 13:30-17:00, an assumption until an administrator confirms the
province's hours); a dossier received after hours counts from the next working morning.

Working hours are wall-clock hours of the province: a calendar given a ``tz`` reads every aware
moment in that zone (a moment read back from the database is in UTC, and 10:03 UTC is 17:03 in
Khánh Hòa, after hours), and answers in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

DEFAULT_HOURS = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))


@dataclass(frozen=True)
class WorkCalendar:
    days_off: frozenset[date] = frozenset()  # holidays and announced days off
    working_days: frozenset[date] = frozenset()  # announced compensating working days
    hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    weekend: frozenset[int] = field(default_factory=lambda: frozenset({5, 6}))  # Sat, Sun
    names: dict[date, str] = field(default_factory=dict, compare=False)
    tz: tzinfo | None = None  # the province's zone; None: each moment's own

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the province's wall clock (unchanged when naive or without ``tz``)."""
        if self.tz is None or moment.tzinfo is None:
            return moment
        return moment.astimezone(self.tz)

    @property
    def day_length(self) -> timedelta:
        return sum((_span(a, b) for a, b in self.hours), timedelta())

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.days_off

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def start_of_work(self, moment: datetime) -> datetime:
        """The first working instant at or after ``moment``."""
        moment = self.local(moment)
        day = moment.date()
        if self.is_working_day(day):
            for start, end in self.hours:
                if moment.time() < end:
                    return datetime.combine(day, max(start, moment.time()), moment.tzinfo)
        nxt = self.next_working_day(day)
        return datetime.combine(nxt, self.hours[0][0], moment.tzinfo)

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """``moment`` plus ``amount`` of working time (the due time of a deadline)."""
        if amount < timedelta(0):
            raise ValueError("working time cannot be negative")
        moment = self.local(moment)
        current = self.start_of_work(moment)
        remaining = amount
        while True:
            day = current.date()
            for start, end in self.hours:
                if current.time() >= end:
                    continue
                begin = datetime.combine(day, max(start, current.time()), moment.tzinfo)
                finish = datetime.combine(day, end, moment.tzinfo)
                available = finish - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            current = datetime.combine(self.next_working_day(day), self.hours[0][0],
                                       moment.tzinfo)

    def add_working_days(self, moment: datetime, days: float) -> datetime:
        """Due time of a deadline of ``days`` working days from ``moment``."""
        return self.add_working_time(moment, self.day_length * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from ``start`` to ``end`` (0 when ``end`` is not later)."""
        total = timedelta()
        if end <= start:
            return total
        start = self.local(start)
        end = self.local(end)
        if start.tzinfo is not None and end.tzinfo is not None:
            end = end.astimezone(start.tzinfo)  # both on one wall clock
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for a, b in self.hours:
                    lo = max(datetime.combine(day, a, start.tzinfo), start)
                    hi = min(datetime.combine(day, b, start.tzinfo), end)
                    if hi > lo:
                        total += hi - lo
            day += timedelta(days=1)
        return total

    def year(self, year: int) -> Iterable[tuple[date, str]]:
        """Every day of a year that is not an ordinary working day, or an extra working day."""
        day = date(year, 1, 1)
        while day.year == year:
            if day in self.working_days:
                yield day, self.names.get(day, "working day (compensating)")
            elif day in self.days_off:
                yield day, self.names.get(day, "day off")
            day += timedelta(days=1)


def _span(a: time, b: time) -> timedelta:
    return datetime.combine(date.min, b) - datetime.combine(date.min, a)
