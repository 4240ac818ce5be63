"""The API's strict date types: ISO 8601 only (pydantic alone reads "0" as 1 January 1970)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter, ValidationError

from tinhso.core.api_schemas import ISODate, ISODateTime

DATE = TypeAdapter(ISODate)
DATETIME = TypeAdapter(ISODateTime)


@pytest.mark.parametrize("value", ["0", "1", 0, 1700000000, "20260701", "01/07/2026",
                                   "2026-7-1", "2026-02-30", "", None, "2026-07-01T08:00"])
def test_a_date_is_only_yyyy_mm_dd(value):
    with pytest.raises(ValidationError, match=r"YYYY-MM-DD|valid date|day value"):
        DATE.validate_python(value)


def test_an_iso_date_is_read():
    assert DATE.validate_python("2026-07-01") == date(2026, 7, 1)
    assert DATE.validate_python(date(2026, 7, 1)) == date(2026, 7, 1)


@pytest.mark.parametrize("value", ["0", 0, "1700000000", "01/07/2026 08:00", "tomorrow"])
def test_a_date_and_time_is_only_iso(value):
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        DATETIME.validate_python(value)


def test_an_iso_date_and_time_is_read():
    plus7 = timezone(timedelta(hours=7))
    assert DATETIME.validate_python("2026-07-01T08:30:00+07:00") == datetime(2026, 7, 1, 8, 30,
                                                                             tzinfo=plus7)
    assert DATETIME.validate_python("2026-07-01 08:30").hour == 8
