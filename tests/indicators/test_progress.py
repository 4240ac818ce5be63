from __future__ import annotations

from datetime import date

import pytest

from tinhso.indicators.progress import ACHIEVED, AT_RISK, OFF_TRACK, ON_TRACK, UNKNOWN, assess


def yearly(*values, start=2020):
    return [(date(start + i, 12, 31), v) for i, v in enumerate(values)]


def test_achieved_when_the_latest_value_meets_the_target():
    assert assess(yearly(50, 70, 82), 80, 2025).status == ACHIEVED


def test_on_track_when_the_trend_reaches_the_target_in_time():
    result = assess(yearly(50, 58, 66), 80, 2025)  # +8 a year: 90 by the end of 2025
    assert result.status == ON_TRACK
    assert result.projection == pytest.approx(90, abs=0.1)


def test_at_risk_when_the_trend_falls_a_little_short():
    assert assess(yearly(50, 55, 60), 80, 2025).status == AT_RISK  # 75: 83 % of the way


def test_off_track_when_far_short():
    assert assess(yearly(50, 50.5, 51), 80, 2025).status == OFF_TRACK


def test_ranks_where_lower_is_better():
    assert assess(yearly(41, 35, 30, start=2022), 25, 2025,
                  higher_is_better=False).status == ON_TRACK
    assert assess(yearly(41, 24, start=2022), 25, 2025, higher_is_better=False).status == ACHIEVED


def test_unknown_without_a_trend():
    assert assess([], 80, 2025).status == UNKNOWN
    assert assess(yearly(50), 80, 2025).status == UNKNOWN
