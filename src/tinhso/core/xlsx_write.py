"""Writing tables to an .xlsx workbook with openpyxl, the same way for every export (a page's
tables, a report's tables): title lines above, the header row(s) bold and frozen, typed cells
with their number formats, merged header cells, fitted column widths, notes under the table.
Pure: no Django.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tinhso.core.table_export import Span, Typed

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NAME = 31  # Excel's limit on a sheet's name
MIN_WIDTH, MAX_WIDTH = 6, 60
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


@dataclass
class Sheet:
    name: str  # wished; made valid and unique by unique_names
    header: list[list[str]]
    rows: list[list[Typed]]
    title_lines: list[str] = field(default_factory=list)  # above the header, the first bold
    spans: list[Span] = field(default_factory=list)  # counted from the first header row
    notes: list[str] = field(default_factory=list)  # under the table


def unique_names(wished: list[str], fallback: str = "Sheet") -> list[str]:
    """Valid sheet names (no []:*?/\\, at most 31 characters), unique whatever their case:
    a repeated name gets " (2)", " (3)"... within the limit."""
    taken: set[str] = set()
    out: list[str] = []
    for i, name in enumerate(wished, start=1):
        base = re.sub(r"\s+", " ", _FORBIDDEN.sub(" ", name)).strip(" '") or f"{fallback} {i}"
        candidate, n = base[:MAX_NAME].rstrip(), 1
        while candidate.casefold() in taken or candidate.casefold() == "history":
            n += 1
            suffix = f" ({n})"
            candidate = base[:MAX_NAME - len(suffix)].rstrip() + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _shown_length(cell: Typed | str) -> int:
    value = cell.value if isinstance(cell, Typed) else cell
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}") + 1
    if isinstance(value, int):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_widths(ws: Worksheet, sheet: Sheet) -> None:
    width = max([*(len(r) for r in sheet.header), *(len(r) for r in sheet.rows)], default=0)
    spanned = {(s.row, s.col) for s in sheet.spans if s.cols > 1}
    for col in range(width):
        lengths = [_shown_length(r[col]) for i, r in enumerate(sheet.header)
                   if col < len(r) and (i, col) not in spanned]
        lengths += [_shown_length(r[col]) for r in sheet.rows if col < len(r)]
        best = max(lengths, default=0) + 2
        ws.column_dimensions[get_column_letter(col + 1)].width = max(MIN_WIDTH,
                                                                    min(MAX_WIDTH, best))


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """A cell's value; a text starting with "=" stays text (never a formula Excel would run)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    """The sheet's title lines, header (bold, frozen), rows and notes on ``ws``."""
    row = 1
    for i, title in enumerate(sheet.title_lines):
        _put(ws, row, 1, title).font = Font(bold=i == 0, size=13 if i == 0 else 10,
                                            italic=i > 0)
        row += 1
    first_header = row
    for line in sheet.header:
        for col, text in enumerate(line, start=1):
            cell = _put(ws, row, col, text or None)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        row += 1
    for values in sheet.rows:
        for col, typed in enumerate(values, start=1):
            cell = _put(ws, row, col, typed.value)
            cell.number_format = typed.number_format
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(typed.value, str)
                                       and len(typed.value) > MAX_WIDTH)
        row += 1
    for span in sheet.spans:
        ws.merge_cells(start_row=first_header + span.row, start_column=span.col + 1,
                       end_row=first_header + span.row + span.rows - 1,
                       end_column=span.col + span.cols)
    row += 1
    for note in sheet.notes:
        _put(ws, row, 1, note).font = Font(italic=True, size=9)
        row += 1
    ws.freeze_panes = ws.cell(row=first_header + len(sheet.header), column=1)
    fit_widths(ws, sheet)


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def add_sheets(book: Workbook, sheets: list[Sheet]) -> list[Worksheet]:
    """The sheets, after those already in the book (their names stay unique)."""
    existing = list(book.sheetnames)
    names = unique_names([*existing, *(s.name for s in sheets)], fallback="Bảng")[len(existing):]
    out = []
    for sheet, name in zip(sheets, names, strict=True):
        ws = book.create_sheet(title=name)
        write_sheet(ws, sheet)
        out.append(ws)
    return out


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
