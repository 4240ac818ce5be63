"""The calendar in both languages: holiday names in Vietnamese and English, dates dd/mm/yyyy."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tests.helpers import run_command
from tinhso.accounts.permissions import SYSTEM
from tinhso.calendars.names import holiday_names
from tinhso.calendars.selectors import calendar_year
from tinhso.calendars.services import announcements_load


def test_the_holidays_are_named_in_vietnamese_and_in_english_with_vietnamese_dates():
    names = holiday_names(range(2026, 2027))
    assert names[date(2026, 1, 1)] == ("Tết Dương lịch", "New Year's Day")
    assert names[date(2026, 2, 17)] == ("Tết Nguyên đán", "Lunar New Year")
    assert names[date(2026, 4, 26)][0] == "Ngày Giỗ Tổ Hùng Vương"
    assert names[date(2026, 4, 30)][0] == "Ngày Chiến thắng"
    assert names[date(2026, 5, 1)][0] == "Ngày Quốc tế Lao động"
    assert names[date(2026, 9, 2)] == ("Ngày Quốc khánh", "National Day")
    # the package writes the substituted day the American way (08/22/2026)
    assert names[date(2026, 8, 31)][1] == "Day off (substituted from 22/08/2026)"
    assert not any("08/22/2026" in en for _vi, en in names.values())


@pytest.mark.django_db
def test_a_year_names_its_days_in_the_page_language():
    announcements_load(actor=SYSTEM)
    year = calendar_year(2026)
    by_day = {entry.day: entry for entry in year.entries}
    tet = by_day[date(2026, 2, 17)]
    assert not tet.working and not tet.set_by_hand
    with translation.override("vi"):
        assert tet.label == "Tết Nguyên đán"
    with translation.override("en"):
        assert tet.label == "Lunar New Year"
    saturday = by_day[date(2026, 2, 14)]  # announced: a Saturday of the civil servants' Tết
    assert saturday.set_by_hand and saturday.name == "Nghỉ Tết Nguyên đán 2026 (thứ Bảy)"
    with translation.override("en"):
        assert saturday.label == "Lunar New Year holiday 2026 (Saturday)"
    worked = by_day[date(2026, 8, 22)]
    assert worked.working and worked.weekday_vi == "Thứ Bảy"
    assert year.working_days == sum(
        1 for n in range(date(2026, 1, 1).toordinal(), date(2026, 12, 31).toordinal() + 1)
        if date.fromordinal(n).weekday() < 5) - 13 + 1  # 13 weekdays off, one Saturday worked


@pytest.mark.django_db
def test_a_day_set_by_hand_has_no_english_twin_and_shows_its_vietnamese():
    from tinhso.calendars.services import calendar_day_set

    calendar_day_set(actor=SYSTEM, day=date(2026, 12, 31), kind="day_off", name="Nghỉ bù (thử)")
    entry = {e.day: e for e in calendar_year(2026).entries}[date(2026, 12, 31)]
    assert entry.name_en == ""
    with translation.override("en"):
        assert entry.label == "Nghỉ bù (thử)"


@pytest.mark.django_db
def test_tinhso_calendar_show_in_both_languages_with_vietnamese_dates():
    run_command("calendar", "load")
    out = run_command("calendar", "show", "2026")
    assert "17/02/2026 Thứ Ba" in out and "Tết Nguyên đán / Lunar New Year" in out
    assert "Ngày Quốc khánh / National Day" in out
    assert "22/08/2026 Thứ Bảy" in out and "làm việc / working" in out
    assert "Day off (substituted from 22/08/2026)" in out
    assert "08/22/2026" not in out and "Tue" not in out


@pytest.mark.django_db
def test_tinhso_calendar_set_takes_a_vietnamese_date():
    run_command("calendar", "set", "30/12/2026", "day_off", "Nghỉ (thử)")
    entry = {e.day: e for e in calendar_year(2026).entries}[date(2026, 12, 30)]
    assert entry.name == "Nghỉ (thử)" and not entry.working
