"""Numbers and symbols of documents as Decree 30/2020/NĐ-CP writes them. Pure Python.

State documents: number, slash, type abbreviation, dash, issuing body (``10633/KH-UBND``,
``749/QĐ-TTg``); a legal document adds its year (``30/2020/NĐ-CP``). Party documents write a
dash after the number and a slash before the body (``16-NQ/TU``, ``52-NQ/TW``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LETTERS = "A-Za-zĐđ"
_STATE = re.compile(rf"^(?P<number>\d+)(?:/(?P<year>\d{{4}}))?/(?P<type>[{_LETTERS}]+)"
                    rf"-(?P<body>[{_LETTERS}0-9]+(?:[-.][{_LETTERS}0-9]+)*)$")
_PARTY = re.compile(rf"^(?P<number>\d+)-(?P<type>[{_LETTERS}]+)"
                    rf"/(?P<body>[{_LETTERS}0-9]+(?:[-.][{_LETTERS}0-9]+)*)$")


@dataclass(frozen=True)
class Notation:
    number: int
    type: str  # NQ, KH, QĐ, BC, ...
    body: str  # UBND, TTg, TU, ...
    year: int | None
    party: bool


def parse_notation(raw: str) -> Notation:
    """Parse a number and symbol; ValueError says what is wrong and shows the two forms."""
    text = " ".join(raw.split())
    for pattern, party in ((_STATE, False), (_PARTY, True)):
        match = pattern.match(text)
        if match:
            year = match.groupdict().get("year")
            return Notation(int(match["number"]), match["type"], match["body"],
                            int(year) if year else None, party)
    raise ValueError(
        f"'{raw}' is not a number and symbol: write it as 10633/KH-UBND (state bodies) or "
        "16-NQ/TU (Party bodies)")


def is_notation(raw: str) -> bool:
    try:
        parse_notation(raw)
    except ValueError:
        return False
    return True
