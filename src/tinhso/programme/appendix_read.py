"""Reading a task appendix: each row is parsed as it streams out of the file (dates, numbers,
lists; no database), into a compact ``Row``. Checking them against the database is
``appendix_check``; writing is ``appendix``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.core.imports import RowError
from tinhso.core.xlsx import Limits, cell_date, cell_text, read_table, split_list
from tinhso.programme.appendix_columns import (
    BY_FIELD,
    REPORT_FIELDS,
    header_map,
    is_header,
    yes,
)
from tinhso.programme.services import weight_value as _weight

MAX_LENGTH = {"group_code": 30, "group_title": 400, "code": 30, "title": 500,
              "expected_output": 500, "assigned_by": 60, "period": 10,
              "result_document": 60}
CENT = Decimal("0.01")


@dataclass(slots=True)
class ReportValues:
    period: str
    percent: int | None
    done_text: str
    obstacles: str
    proposals: str
    regression_reason: str
    completed_on: date | None
    result_document: str

    def same_as(self, other: ReportValues) -> bool:
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)


@dataclass(slots=True)
class Row:
    """One row as written, parsed but not yet looked up."""

    number: int
    group_code: str = ""
    group_title: str = ""
    code: str = ""
    title: str = ""
    lead_unit: str = ""
    support_units: list[str] = field(default_factory=list)
    start_on: date | None = None
    due_on: date | None = None
    expected_output: str = ""
    assigned_by: str = ""
    indicators: list[str] = field(default_factory=list)
    dti_codes: list[str] = field(default_factory=list)
    weight: Decimal | None = None
    is_illustrative: bool = False
    report: ReportValues | None = None


@dataclass
class ReadFile:
    columns: dict[str, str]  # field: the header as written in the file
    rows: list[Row]
    errors: list[RowError]

    def column(self, name: str) -> str:
        """The column a problem is reported in: the file's header, else the template's."""
        return self.columns.get(name) or (BY_FIELD[name].header if name in BY_FIELD else name)


def _percent(cell: Any) -> int:
    text = cell_text(cell).rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except ArithmeticError:
        number = Decimal(-1)
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise ValueError(_("'%s' is not a whole percent from 0 to 100") % cell_text(cell))
    return int(number)


def _parse(number: int, cells: dict[str, Any], read: ReadFile) -> Row:
    """Parse a row's cells; problems go to ``read.errors`` and leave the field empty."""
    row = Row(number)
    errors = read.errors

    def error(name: str, message: str) -> None:
        errors.append(RowError(number, read.column(name), message))

    def text(name: str) -> str:
        value = cell_text(cells.get(read.columns.get(name, "")))
        limit = MAX_LENGTH.get(name)
        if limit and len(value) > limit:
            error(name, _("at most %(n)d characters (this has %(len)d)")
                  % {"n": limit, "len": len(value)})
            return ""
        return value

    def raw(name: str) -> Any:
        return cells.get(read.columns.get(name, ""))

    for name in ("group_code", "group_title", "code", "title", "lead_unit",
                 "expected_output"):
        setattr(row, name, text(name))
    row.assigned_by = " ".join(text("assigned_by").split())
    row.support_units = split_list(raw("support_units"))
    row.indicators = split_list(raw("indicators"))
    row.dti_codes = split_list(raw("dti_codes"))
    for name in ("start_on", "due_on"):
        try:
            setattr(row, name, cell_date(raw(name)))
        except ValueError as exc:
            error(name, str(exc))
    try:
        row.weight = _weight(cell_text(raw("weight"))).quantize(CENT, ROUND_HALF_UP)
    except ValidationError as exc:
        error("weight", " ".join(exc.messages))
    flag = yes(cell_text(raw("is_illustrative")))
    if flag is None:
        error("is_illustrative", _("write 'x' for an illustrative row, or leave it empty"))
    row.is_illustrative = bool(flag)
    for name in ("group_code", "code"):
        if not getattr(row, name):
            error(name, _("this cell is empty"))
    if any(cell_text(raw(f)) for f in REPORT_FIELDS):
        row.report = _parse_report(number, read, text, raw, error)
    return row


def _parse_report(number: int, read: ReadFile, text: Callable[[str], str],
                  raw: Callable[[str], Any], error: Callable[[str, str], None]
                  ) -> ReportValues | None:
    ok = True
    percent: int | None = None
    completed: date | None = None
    if not cell_text(raw("percent")):
        error("percent", _("a progress report needs this cell"))
        ok = False
    else:
        try:
            percent = _percent(raw("percent"))
        except ValueError as exc:
            error("percent", str(exc))
            ok = False
    try:
        completed = cell_date(raw("completed_on"))
    except ValueError as exc:
        error("completed_on", str(exc))
        ok = False
    report = ReportValues(
        period=text("period").upper(), percent=percent, done_text=text("done_text"),
        obstacles=text("obstacles"), proposals=text("proposals"),
        regression_reason=text("regression_reason"), completed_on=completed,
        result_document=" ".join(text("result_document").split()))
    for name, value in (("period", report.period), ("done_text", report.done_text)):
        if not value:
            error(name, _("a progress report needs this cell"))
            ok = False
    return report if ok else None


def read_appendix(name: str, content: bytes, *, limits: Limits | None = None,
                  on_rows: Callable[[int], None] | None = None) -> ReadFile:
    """Read and parse every row of an appendix file (.xlsx or .csv). Raises ``ImportRejected``
    for a file that cannot be read at all; row problems are returned in ``errors``."""
    table = read_table(name, content, limits=limits or Limits(), is_header=is_header,
                       on_rows=on_rows)
    columns, errors = header_map(table.headers, table.header_row)
    read = ReadFile(columns, [], errors)
    if errors:
        table.close()
        return read
    for number, cells in table.rows:
        read.rows.append(_parse(number, cells, read))
    if not read.rows:
        read.errors.append(RowError(table.header_row + 1, _("file"),
                                    _("there is no task below the header")))
    return read
