"""Reporting periods as DHIS2 writes them: 2020, 2020S1, 2020Q3, 202011. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERNS = [
    ("year", re.compile(r"^(\d{4})$")),
    ("half_year", re.compile(r"^(\d{4})S([12])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")),
]


@dataclass(frozen=True)
class Period:
    code: str
    type: str
    start: date
    end: date

    def label(self, lang: str = "vi") -> str:
        year = self.start.year
        if self.type == "year":
            return f"Năm {year}" if lang == "vi" else str(year)
        if self.type == "half_year":
            half = 1 if self.start.month == 1 else 2
            return f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}" if lang == "vi" else (
                f"H{half} {year}"
            )
        if self.type == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return f"Quý {quarter}/{year}" if lang == "vi" else f"Q{quarter} {year}"
        return f"Tháng {self.start.month:02d}/{year}" if lang == "vi" else f"{self.start:%b} {year}"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(code: str) -> Period:
    """Parse a period code; ValueError names the code and the accepted forms."""
    for kind, pattern in _PATTERNS:
        match = pattern.match(code.strip())
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period(code, kind, date(year, 1, 1), date(year, 12, 31))
        part = int(match.group(2))
        if kind == "half_year":
            first = 1 if part == 1 else 7
            return Period(code, kind, date(year, first, 1), _month_end(year, first + 5))
        if kind == "quarter":
            first = 3 * (part - 1) + 1
            return Period(code, kind, date(year, first, 1), _month_end(year, first + 2))
        return Period(code, kind, date(year, part, 1), _month_end(year, part))
    raise ValueError(
        f"'{code}' is not a period: use 2020 (year), 2020S1 (half-year), 2020Q3 (quarter) "
        "or 202011 (month)"
    )
