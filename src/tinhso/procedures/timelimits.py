"""Legal time limits as rules the calendar applies. Pure Python.

The catalogue writes them in Vietnamese, as the law does: "Trong ngày làm việc", "Trong ngày
làm việc (nhận sau 15 giờ: ngày làm việc tiếp theo)", "3 ngày làm việc", "15 ngày" (the law's
days: counted as calendar days here, and said so). The English forms ("same working day",
"same working day (received after 15:00: next working day)", "3 working days", "15 days") are
read too, for the English twin and for older catalogues.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from tinhso.core.workdays import WorkCalendar

# "after 15:00", "sau 15:00", "sau 15 giờ", "sau 15 giờ 30"
_CUTOFF = re.compile(r"(?:after|sau) (\d{1,2})(?::(\d{2})| giờ(?: (\d{2}))?)")
_SAME_DAY = ("same working day", "trong ngày làm việc", "trong ngày")
_WORKING = re.compile(r"^(\d+) (?:working days?|ngày làm việc)")
_DAYS = re.compile(r"^(\d+) (?:days?|ngày)")


_ENGLISH = re.compile(r"^(?:same working day|\d+ (?:working )?days?\b)")


def written_in_english(text: str) -> bool:
    """Whether a written time limit is one of the English forms (an English twin, or an older
    catalogue's text kept where the Vietnamese belongs)."""
    return bool(_ENGLISH.match(" ".join(text.strip().lower().split())))


def parse_time_limit(text: str) -> dict[str, Any]:
    """A rule from the written time limit (Vietnamese or English); ValueError when it cannot be
    read."""
    lowered = " ".join(text.strip().lower().split())
    if lowered.startswith(_SAME_DAY):
        rule: dict[str, Any] = {"type": "same_day"}
        cutoff = _CUTOFF.search(lowered)
        if cutoff:
            minutes = cutoff.group(2) or cutoff.group(3) or "00"
            rule["cutoff"] = f"{int(cutoff.group(1)):02d}:{minutes}"
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
