"""The names of the days of the calendar in both languages: the public holidays from the
holidays package (its Vietnamese and its English names, the English dates written dd/mm/yyyy as
everywhere on the platform), the announcements shipped with their English twin, and the days an
administrator set (stored in Vietnamese only)."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache

import holidays

from tinhso.calendars.services import ANNOUNCEMENTS

_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")

# The package's Vietnamese, in the words of the Labour Code and the government's notices.
_VIETNAMESE = (("Nguyên Đán", "Nguyên đán"),)
_VIETNAMESE_WHOLE = {"Quốc khánh": "Ngày Quốc khánh",
                     "Quốc khánh (nghỉ bù)": "Ngày Quốc khánh (nghỉ bù)"}

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _vietnamese(name: str) -> str:
    for old, new in _VIETNAMESE:
        name = name.replace(old, new)
    return _VIETNAMESE_WHOLE.get(name, name)


def _english(name: str) -> str:
    """The package's US dates (08/22/2026) as dd/mm/yyyy (22/08/2026)."""
    return _US_DATE.sub(lambda m: f"{m.group(2)}/{m.group(1)}/{m.group(3)}", name)


def holiday_names(years: range) -> dict[date, tuple[str, str]]:
    """The public holidays of ``years``: day -> (Vietnamese name, English name)."""
    vi = holidays.country_holidays("VN", years=list(years), language="vi")
    en = holidays.country_holidays("VN", years=list(years), language="en_US")
    return {day: (_vietnamese(name), _english(en.get(day, ""))) for day, name in vi.items()}


@cache
def _announced() -> dict[tuple[str, str], str]:
    entries = json.loads(ANNOUNCEMENTS.read_text(encoding="utf-8"))["days"]
    return {(e["day"], e["name"]): e.get("name_en", "") for e in entries}


def english_twin(day: date, name: str, holiday: tuple[str, str] | None) -> str:
    """The English name of a stored day named ``name``: the announcement's twin, the holiday's
    English name when it kept the package's name, else "" (none known)."""
    announced = _announced().get((day.isoformat(), name))
    if announced:
        return announced
    if holiday and name in holiday:
        return holiday[1]
    return ""
