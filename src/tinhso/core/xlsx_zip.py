"""What an uploaded spreadsheet may cost, and the checks of an .xlsx made before it is read.

An .xlsx file is a zip. Its directory is checked first (size as sent, size unpacked, compression
ratio of each part, number of parts, a worksheet present), then each XML part's head (no DTD),
then each worksheet is scanned as a stream of bytes, without parsing it, for the number of
rows it holds and the cells in each row: a small file that unpacks to gigabytes, or a sheet of
200,000 rows, is refused before openpyxl reads a single row. The sizes the directory declares
bound what Python's zipfile unpacks (a part that unpacks to more than it declares fails its
CRC check), so the scan reads at most ``max_uncompressed`` bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a file may cost. The defaults fit an appendix of some thousands of rows."""

    max_bytes: int = 20 * MB  # the file as sent
    max_uncompressed: int = 50 * MB  # every part of an .xlsx, unpacked
    max_shared_strings: int = 25 * MB  # the table of texts openpyxl loads whole
    max_ratio: int = 200  # unpacked / packed, for a part over RATIO_FLOOR
    max_parts: int = 500
    max_rows: int = 20_000  # rows with data, below the header
    max_sheet_rows: int = 100_000  # rows a worksheet holds, blank ones too (before reading)
    max_row_cells: int = 16_384  # cells in one row of a worksheet (Excel's own limit)
    seconds: float = 120.0  # reading the rows, from opening the file


def upload_limits(**changes: Any) -> Limits:
    """The limits of a file read while a web request waits: the time budget is
    ``TINHSO_UPLOAD_SECONDS``, below the web server's worker timeout."""
    return replace(Limits(seconds=settings.TINHSO_UPLOAD_SECONDS), **changes)


RATIO_FLOOR = 1 * MB  # small parts compress as they like
HEAD_BYTES = 4096  # how much of each XML part is looked at for a DTD
SCAN_BYTES = 32 * 1024  # a worksheet is scanned in pieces of this size: under 16,384 cells
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # an OLE file: the old .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
# A row's or a cell's opening tag, with or without a namespace prefix (<row ...>, <x:c .../>).
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
TAG_NAME_BYTES = 64  # enough of a tag's start to know its name


def file_error(message: str, row: int = 0) -> ImportRejected:
    return ImportRejected([RowError(row, _("file"), message)])


def megabytes(size: int) -> str:
    return f"{size / MB:.0f}"


def _damaged(exc: BaseException) -> ImportRejected:
    if isinstance(exc, NotImplementedError):  # a compression zipfile does not know
        return file_error(_("the workbook cannot be read: %s") % exc)
    return file_error(_("the workbook is damaged: %s") % exc)


DAMAGED = (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError)


def check_xlsx(content: bytes, limits: Limits = Limits()) -> None:
    """Refuse an .xlsx that is not a plain workbook of a reasonable size: from the zip's
    directory, the heads of its XML parts, and a scan of its worksheets' rows."""
    if len(content) > limits.max_bytes:
        raise file_error(_("the file is larger than %(max)s MB")
                         % {"max": megabytes(limits.max_bytes)})
    if content.startswith(XLS_MAGIC):
        raise file_error(_("this is an old .xls file or a password-protected workbook: "
                           "save it as an Excel workbook (.xlsx) without a password"))
    if not content.startswith(ZIP_MAGIC):
        raise file_error(_("this is not an Excel workbook (.xlsx)"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise file_error(_("the workbook is damaged: %s") % exc) from exc
    with archive:
        parts = archive.infolist()
        _check_directory(parts, limits)
        try:
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    _check_head(archive, part)
            for part in parts:
                if _is_worksheet(part.filename):
                    with archive.open(part) as stream:
                        _scan_sheet(stream, part.filename, limits)
        except DAMAGED as exc:
            raise _damaged(exc) from exc


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_directory(parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Sizes, ratios and names as the zip's directory declares them."""
    if len(parts) > limits.max_parts:
        raise file_error(_("the workbook has %(n)d parts, more than %(max)d")
                         % {"n": len(parts), "max": limits.max_parts})
    total = sum(p.file_size for p in parts)
    if total > limits.max_uncompressed:
        raise file_error(_("the workbook unpacks to %(size)s MB, more than %(max)s MB")
                         % {"size": megabytes(total), "max": megabytes(limits.max_uncompressed)})
    for part in parts:
        if part.flag_bits & 0x1:
            raise file_error(_("the workbook is encrypted"))
        if (part.file_size > RATIO_FLOOR
                and part.file_size > limits.max_ratio * max(part.compress_size, 1)):
            raise file_error(_("%(part)s is compressed %(ratio)d times: this is not a "
                               "spreadsheet a person made")
                             % {"part": part.filename,
                                "ratio": part.file_size // max(part.compress_size, 1)})
        if part.filename.lower().endswith("sharedstrings.xml") \
                and part.file_size > limits.max_shared_strings:
            raise file_error(_("the workbook's texts take %(size)s MB, more than %(max)s MB")
                             % {"size": megabytes(part.file_size),
                                "max": megabytes(limits.max_shared_strings)})
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names or not any(_is_worksheet(n) for n in names):
        raise file_error(_("the workbook has no worksheet"))


def _check_head(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    with archive.open(part) as stream:
        head = stream.read(HEAD_BYTES).upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise file_error(_("%(part)s declares a DTD, which a workbook never does")
                         % {"part": part.filename})


ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s/>]")


def _tag_counter(prefix: bytes) -> Callable[[bytes, bytes], int]:
    """Counts the opening tags whose name starts with ``name`` (with the sheet's namespace
    ``prefix``) in a piece of XML: an upper bound (``<c`` counts ``<cols>`` too, ``<row``
    ``<rowBreaks>``), found without a regular expression, allocating nothing."""
    def count(text: bytes, name: bytes) -> int:
        return text.count(b"<" + prefix + name)
    return count


def _scan_sheet(stream: IO[bytes], name: str, limits: Limits) -> None:
    """Count a worksheet's rows and each row's cells from its bytes, piece by piece (a tag cut
    between two pieces is carried over), refusing past ``max_sheet_rows`` or
    ``max_row_cells``. In a sheet written by a program, a tag's name always follows '<' with
    the root element's namespace prefix, if any; text holds no '<'."""
    rows = cells = 0  # rows so far; cells in the current row
    carry, prefix = b"", None
    count = _tag_counter(b"")
    while piece := stream.read(SCAN_BYTES):
        data = carry + piece
        if prefix is None:
            root = ROOT_TAG.search(data)
            prefix = (root.group(1) or b"") if root else b""
            count = _tag_counter(prefix)
        cut = data.rfind(b"<")
        body, carry = (data, b"") if cut < 0 else (data[:cut], data[cut:cut + TAG_NAME_BYTES])
        new_rows, new_cells = count(body, b"row"), count(body, b"c")
        if cells + new_cells <= limits.max_row_cells:  # no row here can pass the cap
            last = body.rfind(b"<" + prefix + b"row")
            cells = count(body[last:], b"c") if new_rows and last >= 0 else cells + new_cells
            rows += new_rows
        else:
            rows, cells = _count_each_row(body, rows, cells, name, limits)
        if rows > limits.max_sheet_rows:
            raise _too_many_rows(name, limits)
    if carry and count(carry, b"row"):
        rows += 1
    if rows > limits.max_sheet_rows:
        raise _too_many_rows(name, limits)


def _count_each_row(body: bytes, rows: int, cells: int, name: str, limits: Limits
                    ) -> tuple[int, int]:
    """The rows and the current row's cells after ``body``, counted row by row."""
    for index, text in enumerate(ROW_TAG.split(body)):
        if index:
            rows, cells = rows + 1, 0
        cells += len(CELL_TAG.findall(text))
        if cells > limits.max_row_cells:
            raise file_error(_("%(part)s: a row has more than %(max)d cells")
                             % {"part": name, "max": limits.max_row_cells}, row=rows)
    return rows, cells


def _too_many_rows(name: str, limits: Limits) -> ImportRejected:
    return file_error(_("%(part)s holds more than %(max)d rows: split the file")
                      % {"part": name, "max": limits.max_sheet_rows})
