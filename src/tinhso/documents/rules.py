"""The document office's rules, each a pure predicate (no Django); ``access`` and ``queries``
hold their query forms, tested to agree with them.

- **Visible**: a confidential document only to the people named on it; any other to whoever
  holds a reading role at the registering unit, an addressee, the lead or a supporting unit
  (or above them: a role covers its unit and every unit below).
- **Overdue**: a directed document whose deadline has passed and that is not closed.
- **Duplicate**: the same number, notation and issuing organisation registered twice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date


def visible(*, scopes: Iterable[str], unit_paths: Iterable[str], confidential: bool,
            named: bool) -> bool:
    """``scopes``: the unit paths where the person holds a reading role; ``unit_paths``: the
    paths of the units the document reaches (registering unit, addressees, lead and supporting
    units)."""
    if confidential:
        return named
    paths = list(unit_paths)
    return any(path.startswith(scope) for scope in scopes for path in paths)


def overdue(due_on: date | None, closed_on: date | None, today: date) -> bool:
    """Past its deadline (the deadline day itself is still in time) and not closed."""
    return due_on is not None and closed_on is None and due_on < today


def due_soon(due_on: date | None, closed_on: date | None, today: date, limit: date) -> bool:
    """Not overdue yet, and due by ``limit`` (a number of working days ahead)."""
    return due_on is not None and closed_on is None and today <= due_on <= limit


def duplicate_key(issuer_code: str, number: int | None, notation: str) -> tuple[str, int, str]:
    """What makes two registrations the same document."""
    return (issuer_code.strip().upper(), number or 0, " ".join(notation.split()).upper())


def fold(text: str) -> str:
    """Lower case without diacritics (đ as d): what search compares, typed with or without
    accents."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def search_text(*parts: object) -> str:
    """The folded text a document is searched by (number and notation, subject, issuer...)."""
    return fold(" ".join(str(p) for p in parts if p not in (None, "")))


def split_code(code: str) -> tuple[int | None, str]:
    """``15/BC-UBND`` as (15, "BC-UBND"); a notation without a number as (None, text)."""
    text = " ".join(code.split())
    head, sep, tail = text.partition("/")
    if sep and head.strip().isdigit():
        return int(head), tail.strip()
    return None, text
