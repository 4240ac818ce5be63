from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tinhso.core.numbers import format_number, format_percent
from tinhso.core.periods import parse_period


def test_vietnamese_numbers():
    assert format_percent(64.06) == "64,06\u00a0%"
    assert format_percent(Decimal("35.8"), 1) == "35,8\u00a0%"
    assert format_number(1234567.891, 2) == "1.234.567,89"
    assert format_number(0.70715, 4) == "0,7072"  # half up, not banker's rounding
    assert format_number(-1500) == "-1.500"
    assert format_number(None) == "–"
    assert format_number(1234.5, 1, lang="en") == "1,234.5"


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "label"),
    [
        ("2020", "year", date(2020, 1, 1), date(2020, 12, 31), "Năm 2020"),
        ("2026S1", "half_year", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30), "Quý 3/2026"),
        ("202402", "month", date(2024, 2, 1), date(2024, 2, 29), "Tháng 02/2024"),
    ],
)
def test_periods(code, kind, start, end, label):
    period = parse_period(code)
    assert (period.type, period.start, period.end, period.label()) == (kind, start, end, label)


def test_a_bad_period_says_what_is_accepted():
    with pytest.raises(ValueError, match="'2020Q5' is not a period"):
        parse_period("2020Q5")


def test_dates_as_people_type_them():
    from tinhso.core.dates import parse_date

    assert parse_date("2022-01-01") == date(2022, 1, 1)
    assert parse_date(" 27/11/2026 ") == date(2026, 11, 27)
    with pytest.raises(ValueError, match="'31/02/2026' is not a date"):
        parse_date("31/02/2026")
