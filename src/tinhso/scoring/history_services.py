"""Writes: published results over the years, from one file of many result sets.

One row a province's result: ``year, framework, field_size, province_code, published_name,
rank, score, source`` (``method`` and other columns are kept in the file for the reader). A
result set is (framework, year, field size): the field is the map of provinces the ranking
compared, the year's own (63 until the 2025 merger) or, for results published the next year,
that year's (2024's results were ranked among the 34 provinces too). Ranks may be ranges or
inferred or derived, scores may be missing or ranges (see ``history.parse_rank``); a row with
no rank is a statement that the result was not found (or not a unit's result): it is not
loaded, and the report says so. Every row is checked before anything is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, Problems, RowError
from tinhso.core.xlsx import read_table
from tinhso.scoring import audit_events
from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.scoring.history import (
    RankText,
    RankTextError,
    parse_rank,
    parse_score,
    plain,
    says_after_merger,
)
from tinhso.scoring.models import PublishedResult
from tinhso.scoring.services import RESULTS_LIMITS
from tinhso.units.selectors import unit_by_code, unit_children, units_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit

HISTORY_COLUMNS = ("year", "framework", "field_size", "province_code", "published_name",
                   "rank", "score", "source")
MERGER_DAY = date(2025, 7, 1)  # the 63 provinces became 34


def is_history_file(headers: list[str]) -> bool:
    """A file of many result sets names each row's year and framework."""
    return "year" in headers and "framework" in headers


@dataclass(frozen=True)
class _Row:
    number: int
    framework: str
    year: int
    field_size: int
    unit: Unit
    name: str
    rank: RankText
    total: Decimal | None
    total_note: str
    source: str


@dataclass
class HistoryImport:
    sets: Counter[tuple[str, int, int]] = field(default_factory=Counter)  # rows per set
    not_loaded: list[tuple[int, str]] = field(default_factory=list)  # (row, why)

    @property
    def rows(self) -> int:
        return sum(self.sets.values())


class _Fields:
    """The provinces of a year's field, by the field's size: the map at the end of the year
    or, for results published the next year, at the end of that one."""

    def __init__(self) -> None:
        country = unit_by_code("VN")
        self._country = country
        self._maps: dict[date, set[str]] = {}

    def provinces(self, day: date) -> set[str]:
        if day not in self._maps:
            self._maps[day] = {u.code for u in unit_children(self._country, day)} \
                if self._country else set()
        return self._maps[day]

    def day(self, year: int, size: int) -> date | None:
        for day in (date(year, 12, 31), date(year + 1, 12, 31)):
            if len(self.provinces(day)) == size:
                return day
        return None

    def sizes(self, year: int) -> list[int]:
        return sorted({len(self.provinces(date(y, 12, 31))) for y in (year, year + 1)},
                      reverse=True)


def _names(unit: Unit, day: date) -> set[str]:
    names = {unit.name, unit.name_on(day), *(e["name"] for e in unit.former_names)}
    return {plain(n) for n in names if n}


class _Checker:
    def __init__(self, rows: list[tuple[int, dict[str, str]]]):
        self.units = units_by_code([(r.get("province_code") or "").strip() for _n, r in rows])
        self.fields = _Fields()
        self.frameworks: dict[str, bool] = {}
        self.errors = Problems()
        self.seen: dict[tuple[str, int, int, str], int] = {}

    def error(self, number: int, column: str, message: str) -> None:
        self.errors.append(RowError(number, column, message))

    def framework(self, number: int, code: str) -> bool:
        if code not in self.frameworks:
            try:
                self.frameworks[code] = bool(load_framework(code))
            except FrameworkError as exc:
                self.frameworks[code] = False
                self.error(number, "framework", str(exc))
                return False
        elif not self.frameworks[code]:
            self.error(number, "framework", _("'%(code)s' is not a framework") % {"code": code})
        return self.frameworks[code]

    def number(self, number: int, row: dict[str, str], column: str) -> int | None:
        raw = (row.get(column) or "").strip()
        if not raw.isdigit():
            self.error(number, column, _("'%(raw)s' is not a whole number") % {"raw": raw})
            return None
        return int(raw)

    def province(self, number: int, row: dict[str, str], year: int, size: int
                 ) -> Unit | None:
        day = self.fields.day(year, size)
        if day is None:
            self.error(number, "field_size", _(
                "%(n)s is not the number of provinces of %(year)s (%(sizes)s)") % {
                "n": size, "year": year,
                "sizes": ", ".join(str(s) for s in self.fields.sizes(year))})
            return None
        code = (row.get("province_code") or "").strip()
        unit = self.units.get(code)
        name = (row.get("published_name") or "").strip()
        if unit is None:
            self.error(number, "province_code", _("'%(code)s' is not a unit code")
                       % {"code": code})
        elif code not in self.fields.provinces(day):
            self.error(number, "province_code", _(
                "%(name)s (%(code)s) was not one of the %(n)s provinces ranked for %(year)s")
                % {"name": unit.name_on(day), "code": code, "n": size, "year": year})
        elif day < MERGER_DAY and says_after_merger(name):
            self.error(number, "published_name", _(
                "'%(name)s' is a province after the 2025 merger, but the field of %(n)s of "
                "%(year)s is the provinces before it") % {"name": name, "n": size,
                                                           "year": year})
        elif name and not any(n in plain(name) for n in _names(unit, day)):
            self.error(number, "published_name", _("'%(name)s' does not name %(unit)s "
                                                   "(%(code)s)")
                       % {"name": name, "unit": unit.name_on(day), "code": code})
        else:
            return unit
        return None


def _check_row(check: _Checker, number: int, row: dict[str, str], result: HistoryImport
               ) -> _Row | None:
    try:
        rank = parse_rank(row.get("rank", ""))
    except RankTextError as exc:
        check.error(number, "rank", str(exc))
        return None
    if rank is None:  # a statement that the result was not found, or not a unit's result
        why = (row.get("source") or "").strip() or _("no rank")
        result.not_loaded.append((number, _("%(name)s: no rank (%(why)s); not loaded") % {
            "name": (row.get("published_name") or "").strip(), "why": why}))
        return None
    year, size = check.number(number, row, "year"), check.number(number, row, "field_size")
    code = (row.get("framework") or "").strip()
    known = check.framework(number, code)
    try:
        total, total_note = parse_score(row.get("score", ""))
    except RankTextError as exc:
        check.error(number, "score", str(exc))
        return None
    if year is None or size is None or not known:
        return None
    if (rank.rank_to or rank.rank) > size:
        check.error(number, "rank", _("%(rank)s is outside the field of %(n)s")
                    % {"rank": row.get("rank"), "n": size})
    unit = check.province(number, row, year, size)
    if unit is None:
        return None
    key = (code, year, size, unit.code)
    if key in check.seen:
        check.error(number, "province_code", _("also on row %(row)s") % {"row": check.seen[key]})
    check.seen.setdefault(key, number)
    return _Row(number, code, year, size, unit, (row.get("published_name") or "").strip(),
                rank, total, total_note, (row.get("source") or "").strip())


@transaction.atomic
def results_history_import(*, actor: Any, name: str, content: bytes) -> HistoryImport:
    """Import a file of published results of many years, frameworks and fields (all rows or
    none; every problem listed with its row and column)."""
    require(actor, "scoring.manage", None)
    table = read_table(name, content, limits=RESULTS_LIMITS)
    missing = [c for c in HISTORY_COLUMNS if c not in table.headers]
    if missing:
        table.close()
        raise ImportRejected([RowError(table.header_row, c, _("this column is missing"))
                              for c in missing])
    rows = list(table.rows)
    check, result = _Checker(rows), HistoryImport()
    parsed = [p for number, row in rows if (p := _check_row(check, number, row, result))]
    if check.errors:
        raise ImportRejected(check.errors)
    for p in parsed:
        PublishedResult.objects.update_or_create(
            framework=p.framework, year=p.year, field_size=p.field_size, unit=p.unit,
            defaults={"rank": p.rank.rank, "rank_to": p.rank.rank_to, "rank_basis": p.rank.basis,
                      "rank_note": p.rank.note, "total": p.total, "total_note": p.total_note,
                      "values": {}, "recomputed": None, "source": p.source,
                      "published_name": p.name})
        result.sets[(p.framework, p.year, p.field_size)] += 1
    audit_record(actor=actor, action=audit_events.RESULTS_IMPORTED, details={
        "file": name, "rows": result.rows, "not_loaded": len(result.not_loaded),
        "sets": [f"{f} {y} /{n}: {c}" for (f, y, n), c in sorted(result.sets.items())]})
    return result
