"""Legal time limits as rules the calendar applies. Pure Python.

"same working day", "same working day (received after 15:00: next working day)",
"3 working days", "15 days" (the law's days: counted as calendar days here, and said so).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from tinhso.core.workdays import WorkCalendar

_CUTOFF = re.compile(r"after (\d{1,2}):(\d{2})")
_WORKING = re.compile(r"^(\d+) working days?")
_DAYS = re.compile(r"^(\d+) days?")


def parse_time_limit(text: str) -> dict[str, Any]:
    """A rule from the written time limit; ValueError when it cannot be read."""
    lowered = text.strip().lower()
    if lowered.startswith("same working day"):
        rule: dict[str, Any] = {"type": "same_day"}
        cutoff = _CUTOFF.search(lowered)
        if cutoff:
            rule["cutoff"] = f"{int(cutoff.group(1)):02d}:{cutoff.group(2)}"
        return rule
    if match := _WORKING.match(lowered):
        return {"type": "working_days", "days": int(match.group(1))}
    if match := _DAYS.match(lowered):
        return {"type": "days", "days": int(match.group(1))}
    raise ValueError(f"cannot read the time limit '{text}'")


def due_at(rule: dict[str, Any], received: datetime, calendar: WorkCalendar) -> datetime:
    """When a dossier received at ``received`` is due under ``rule``."""
    start = calendar.start_of_work(received)
    kind = rule["type"]
    if kind == "same_day":
        if "cutoff" in rule:
            hour, minute = (int(p) for p in rule["cutoff"].split(":"))
            if received.date() == start.date() and received.time() >= time(hour, minute):
                start = calendar.start_of_work(datetime.combine(
                    calendar.next_working_day(start.date()), time(0), received.tzinfo))
        end_of_day = calendar.hours[-1][1]
        return datetime.combine(start.date(), end_of_day, received.tzinfo)
    if kind == "working_days":
        return calendar.add_working_days(start, rule["days"])
    if kind == "days":  # calendar days; due at the end of the last day's work
        last = start.date() + timedelta(days=rule["days"])
        while not calendar.is_working_day(last):
            last += timedelta(days=1)
        return datetime.combine(last, calendar.hours[-1][1], received.tzinfo)
    raise ValueError(f"unknown time-limit rule {kind!r}")
