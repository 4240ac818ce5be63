from __future__ import annotations

from datetime import date, datetime, timedelta

from tinhso.core.workdays import WorkCalendar

TET_2026 = frozenset(date(2026, 2, d) for d in range(16, 21))  # Mon 16 - Fri 20 February
CALENDAR = WorkCalendar(days_off=TET_2026 | {date(2026, 4, 30), date(2026, 5, 1)},
                        working_days=frozenset({date(2026, 8, 22)}))


def test_working_days():
    assert CALENDAR.is_working_day(date(2026, 11, 27))  # a Friday
    assert not CALENDAR.is_working_day(date(2026, 11, 28))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 2, 18))  # Tết
    assert CALENDAR.is_working_day(date(2026, 8, 22))  # a Saturday worked in compensation
    assert CALENDAR.day_length == timedelta(hours=8)


def test_five_working_days_from_a_morning():
    due = CALENDAR.add_working_days(datetime(2026, 11, 23, 9, 0), 5)  # Monday 09:00
    assert due == datetime(2026, 11, 30, 9, 0)  # next Monday 09:00


def test_receipt_after_hours_counts_from_the_next_working_morning():
    due = CALENDAR.add_working_days(datetime(2026, 11, 27, 18, 30), 1)  # Friday evening
    assert due == datetime(2026, 11, 30, 17, 0)  # from Monday 07:00, one day of work
    lunch = CALENDAR.add_working_time(datetime(2026, 11, 27, 12, 0), timedelta(hours=1))
    assert lunch == datetime(2026, 11, 27, 14, 30)


def test_tet_is_skipped():
    due = CALENDAR.add_working_days(datetime(2026, 2, 13, 10, 0), 2)  # Friday before Tết
    assert due == datetime(2026, 2, 24, 10, 0)  # Mon 23 counts, then Tue 24 10:00


def test_working_time_between_pauses_outside_hours():
    spent = CALENDAR.working_time_between(datetime(2026, 11, 27, 16, 0),
                                          datetime(2026, 11, 30, 8, 0))
    assert spent == timedelta(hours=2)  # Friday 16-17 and Monday 07-08


def test_a_year_lists_days_off_and_extra_working_days():
    listed = dict(CALENDAR.year(2026))
    assert date(2026, 2, 16) in listed and date(2026, 8, 22) in listed
    assert date(2026, 3, 2) not in listed


def test_moments_read_back_in_utc_count_on_the_provinces_wall_clock():
    """A moment stored and read back in UTC is the same instant: 10:03 UTC is 17:03 in Khánh
    Hòa, after hours, whichever clock the caller holds it on."""
    from dataclasses import replace
    from datetime import UTC
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    calendar = replace(CALENDAR, tz=vn)
    evening = datetime(2026, 12, 2, 17, 3, tzinfo=vn)
    due = calendar.add_working_days(evening, 10)
    assert due == datetime(2026, 12, 16, 17, 0, tzinfo=vn)
    in_utc = evening.astimezone(UTC)
    assert calendar.add_working_days(in_utc, 10) == due
    assert calendar.working_time_between(in_utc, due.astimezone(UTC)) == (
        10 * calendar.day_length)
    assert calendar.working_time_between(evening, due.astimezone(UTC)) == (
        10 * calendar.day_length)
    assert calendar.start_of_work(in_utc) == datetime(2026, 12, 3, 7, 0, tzinfo=vn)
