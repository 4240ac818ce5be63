"""When a dataset is next due (``transparency.cadence``), on the official calendar."""

from __future__ import annotations

from datetime import date

import pytest

from tinhso.core.workdays import WorkCalendar
from tinhso.transparency.cadence import ANNUAL, MONTHLY, QUARTERLY, next_due

TET_2027 = frozenset({date(2027, 2, d) for d in range(5, 11)})
CAL = WorkCalendar(days_off=frozenset({date(2027, 1, 1), date(2026, 9, 1), date(2026, 9, 2)})
                   | TET_2027)


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 12, 2), date(2027, 1, 4)),  # 01/01 a holiday, 2-3 a weekend
    (date(2026, 8, 15), date(2026, 9, 3)),  # National Day off on the 1st and 2nd
    (date(2026, 5, 31), date(2026, 6, 1)),  # the last day of a month: the next day
    (date(2027, 1, 20), date(2027, 2, 1)),
    (date(2026, 2, 1), date(2026, 3, 2)),  # the 1st of March 2026 is a Sunday
])
def test_monthly_data_is_due_on_the_first_working_day_of_the_next_month(today: date,
                                                                        due: date) -> None:
    assert next_due(MONTHLY, today, CAL).on == due


def test_quarterly_data_is_due_on_the_first_working_day_of_the_next_quarter() -> None:
    assert next_due(QUARTERLY, date(2026, 12, 2), CAL).on == date(2027, 1, 4)
    assert next_due(QUARTERLY, date(2026, 7, 1), CAL).on == date(2026, 10, 1)
    assert next_due(QUARTERLY, date(2026, 3, 31), CAL).on == date(2026, 4, 1)


def test_the_dti_is_due_in_july_of_the_year_after_the_next_ranking_year() -> None:
    # 2024's ranking held (published in 2025): 2025's is expected from July 2026
    assert next_due(ANNUAL, date(2026, 12, 2), CAL, latest_year=2024).on == date(2026, 7, 1)
    # 4 July 2027 is a Sunday... the 1st is a Thursday
    assert next_due(ANNUAL, date(2026, 12, 2), CAL, latest_year=2025).on == date(2027, 7, 1)
    assert next_due(ANNUAL, date(2026, 3, 1), CAL).on == date(2026, 7, 1)


def test_an_unknown_frequency_is_refused() -> None:
    with pytest.raises(ValueError, match="weekly"):
        next_due("weekly", date(2026, 1, 1), CAL)
