"""Dates as people type them: 2022-01-01 or 01/01/2022. Pure Python."""

from __future__ import annotations

from datetime import date, datetime

FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date(raw: str) -> date:
    """Parse ISO or Vietnamese (dd/mm/yyyy) dates; ValueError names the value and the forms."""
    for pattern in FORMATS:
        try:
            return datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"'{raw}' is not a date: write it as 2022-01-01 or 01/01/2022")
