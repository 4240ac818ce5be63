"""Reading an uploaded spreadsheet (.xlsx or .csv) safely, one row at a time.

An .xlsx file is a zip: before openpyxl opens it, ``core.xlsx_zip.check_xlsx`` checks its
directory (size unpacked, compression ratio of each part, number of parts, a worksheet present,
no DTD in any XML part) and counts the rows of its worksheets from their bytes, so a small file
that unpacks to gigabytes, or holds 200,000 rows, is refused at once. Rows are then streamed
with openpyxl's read-only reader: the reader stops with a clear error after a row cap or a time
budget (checked at every row read, blank ones too), never holding more than the rows already
handed out. A CSV file is UTF-8 (a byte-order mark is fine) with its delimiter (``,``, ``;`` or
tab) guessed from the header line, decoded as it is read.

Rows come as ``(row number, {header: cell})``, numbered as the spreadsheet shows them. Problems
are ``ImportRejected`` with ``RowError`` s naming the row and column (``core.imports``).
No domain import here: any app's file import can use it.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
import time
import unicodedata
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.xlsx_zip import MB, Limits, check_xlsx, file_error, megabytes, upload_limits

CSV_HEAD_BYTES = 64 * 1024  # where the header line is looked for, to guess the delimiter

__all__ = ["MB", "Limits", "Table", "cell_date", "cell_text", "check_xlsx", "file_error",
           "fold", "header_key", "read_table", "split_list", "upload_limits"]


# --- rows ---------------------------------------------------------------------------------


@dataclass
class Table:
    """A sheet's header (as written) and its rows, read as they are iterated (``close`` the
    table when not reading them to the end)."""

    headers: list[str]
    header_row: int
    rows: Generator[tuple[int, dict[str, Any]], None, None]
    cleanup: Callable[[], None]

    def close(self) -> None:
        self.rows.close()
        self.cleanup()


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_texts(cells: Sequence[Any]) -> list[str]:
    return [" ".join(str(c).split()) if not _blank(c) else "" for c in cells]


def _find_header(raw: Iterator[tuple[int, Sequence[Any]]],
                 is_header: Callable[[list[str]], bool] | None, header_search: int,
                 cleanup: Callable[[], None]
                 ) -> tuple[int, list[str], list[tuple[int, Sequence[Any]]]]:
    """The header's row number and texts (the first non-blank row that ``is_header`` accepts
    among the first ``header_search``, else the first non-blank one), and the rows read after
    it while looking."""
    seen: list[tuple[int, Sequence[Any]]] = []
    try:
        for number, cells in raw:
            if all(_blank(c) for c in cells):
                continue
            seen.append((number, cells))
            texts = _header_texts(cells)
            if is_header is None or is_header(texts):
                return number, texts, []
            if len(seen) >= header_search:
                break
    except ImportRejected:
        cleanup()
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        cleanup()
        raise file_error(_("the file cannot be read: %s") % exc) from exc
    if not seen:
        cleanup()
        raise file_error(_("the file has no rows"), row=1)
    return seen[0][0], _header_texts(seen[0][1]), seen[1:]


def _budgeted(raw: Iterator[tuple[int, Sequence[Any]]], limits: Limits, start: float
              ) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows as read, blank ones too, stopping once reading has taken longer than
    ``limits.seconds`` since ``start`` (a sheet of blank or very wide rows is bounded too)."""
    for number, cells in raw:
        if time.monotonic() - start > limits.seconds:
            raise file_error(_("reading the file took more than %(s)d seconds: "
                               "split it") % {"s": limits.seconds}, row=number)
        yield number, cells


def _stream_rows(rows: Iterator[tuple[int, Sequence[Any]]], columns: list[tuple[int, str]],
                 limits: Limits, on_rows: Callable[[int], None] | None,
                 cleanup: Callable[[], None]) -> Generator[tuple[int, dict[str, Any]], None, None]:
    """The non-blank rows as ``(number, {header: cell})``, stopping with an error past the row
    cap; ``cleanup`` once done."""
    count = 0
    try:
        for number, cells in rows:
            if all(_blank(c) for c in cells):
                continue
            count += 1
            if count > limits.max_rows:
                raise file_error(_("the file has more than %(max)d rows: split it")
                                 % {"max": limits.max_rows}, row=number)
            if count % 200 == 0 and on_rows is not None:
                on_rows(count)
            yield number, {h: cells[i] if i < len(cells) else None for i, h in columns}
        if on_rows is not None:
            on_rows(count)
    except ImportRejected:
        raise
    except Exception as exc:
        raise file_error(_("the file cannot be read: %s") % exc) from exc
    finally:
        cleanup()


def _table(raw: Iterator[tuple[int, Sequence[Any]]], limits: Limits, start: float,
           is_header: Callable[[list[str]], bool] | None, header_search: int,
           on_rows: Callable[[int], None] | None, cleanup: Callable[[], None]) -> Table:
    """Find the header among the first non-blank rows (the first that ``is_header`` accepts,
    else the first non-blank one), then stream the rows below it under the limits (the time
    budget counted from ``start``)."""
    raw = _budgeted(raw, limits, start)
    header_row, headers, pending = _find_header(raw, is_header, header_search, cleanup)
    repeated = sorted({h for h in headers if h and headers.count(h) > 1})
    if repeated:
        cleanup()
        raise ImportRejected([RowError(header_row, h, _("this column appears twice"))
                              for h in repeated])
    columns = [(i, h) for i, h in enumerate(headers) if h]
    rows = _stream_rows(itertools.chain(pending, raw), columns, limits, on_rows, cleanup)
    return Table(headers, header_row, rows, cleanup)


def _xlsx_rows(content: bytes, sheet: str | None) -> tuple[Iterator[tuple[int, Sequence[Any]]],
                                                           Callable[[], None]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise file_error(_("the file cannot be read: %s") % exc) from exc
    if sheet is not None and sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
    else:
        worksheet = next((w for w in workbook.worksheets if hasattr(w, "iter_rows")), None)
    if worksheet is None:
        workbook.close()
        raise file_error(_("the workbook has no worksheet"))
    # The declared size may be wrong (some programs write 'A1'); read what is there.
    worksheet.reset_dimensions()
    cells = worksheet.iter_rows(values_only=True)
    return ((n, row) for n, row in enumerate(cells, start=1)), workbook.close


def _csv_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, Sequence[Any]]]:
    """The records of a UTF-8 CSV file, decoded as they are read (not the whole file at once)."""
    if len(content) > limits.max_bytes:
        raise file_error(_("the file is larger than %(max)s MB")
                         % {"max": megabytes(limits.max_bytes)})
    head = content[:CSV_HEAD_BYTES].decode("utf-8-sig", errors="ignore")
    first = next((line for line in head.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    number = 0
    try:
        for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, record
    except UnicodeDecodeError as exc:
        raise file_error(_("the file is not UTF-8 text: save it as 'CSV UTF-8'"),
                         row=number + 1) from exc


def read_table(name: str, content: bytes, *, limits: Limits | None = None,
               is_header: Callable[[list[str]], bool] | None = None, header_search: int = 20,
               sheet: str | None = None, on_rows: Callable[[int], None] | None = None
               ) -> Table:
    """Open an .xlsx (its first worksheet, or ``sheet``) or a .csv file and return its header
    and an iterator over its rows. ``is_header`` picks the header row among the first
    ``header_search`` non-blank rows (a title above the table is skipped); ``on_rows`` is
    told how many rows were read, every 200 rows and at the end."""
    start = time.monotonic()
    limits = limits or Limits()
    lower = name.lower()
    if lower.endswith(".xlsx"):
        check_xlsx(content, limits)
        raw, cleanup = _xlsx_rows(content, sheet)
    elif lower.endswith(".csv"):
        raw, cleanup = _csv_rows(content, limits), (lambda: None)
    else:
        raise file_error(_("send an Excel workbook (.xlsx) or a CSV file (.csv)"))
    return _table(iter(raw), limits, start, is_header, header_search, on_rows, cleanup)


# --- cells ---------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header reduced to its letters and digits, without case or diacritics, so that
    'Tiến độ (%)', 'tien do' and 'TIẾN ĐỘ' compare equal."""
    return "".join(c for c in fold(text) if c.isalnum())


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Text without case, diacritics (đ is d) or repeated spaces: for matching names."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def cell_text(cell: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as dd/mm/yyyy, spaces trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "x" if cell else ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return f"{cell:%d/%m/%Y}" if cell.time() == datetime.min.time() \
            else f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f")
    return str(cell).strip()


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1900, 2200


def cell_date(cell: Any) -> date | None:
    """A date from a date cell, an Excel day number or the text dd/mm/yyyy, d/m/yyyy,
    dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd; None when blank. ValueError says what was wrong."""
    if _blank(cell):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 1 <= cell < 200_000 and float(cell).is_integer():
            return EXCEL_EPOCH + timedelta(days=int(cell))
        raise ValueError(_("'%s' is not a date: write it as dd/mm/yyyy") % cell_text(cell))
    text = str(cell).strip()
    text = text.split(" ")[0] if re.match(r"^\S+ 00:00(:00)?$", text) else text
    match = _DMY.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif (match := _YMD.match(text)):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    if parts is not None and FIRST_YEAR <= parts[0] <= LAST_YEAR:
        try:
            return date(*parts)
        except ValueError:
            pass
        raise ValueError(_("'%s' is not a day of the calendar") % text)
    raise ValueError(_("'%s' is not a date: write it as dd/mm/yyyy") % text)


def split_list(cell: Any) -> list[str]:
    """A cell listing several items separated by ';' (or new lines), without blanks or
    repeats, in the order written."""
    items: list[str] = []
    for item in re.split(r"[;\n]", cell_text(cell)):
        item = " ".join(item.split())
        if item and item not in items:
            items.append(item)
    return items
