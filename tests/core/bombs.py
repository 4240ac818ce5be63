"""Hostile spreadsheets built in memory, fast (raw XML and raw deflate, never openpyxl's
writer): a sheet of 200,000 rows, a gigabyte of spaces in 1 MB, a zip written by hand."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from functools import cache
from xml.sax.saxutils import escape

from openpyxl import Workbook

SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
              b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def deflated(head: bytes, chunk: bytes = b"", times: int = 0, tail: bytes = b""
             ) -> tuple[bytes, int, int]:
    """Raw deflate of head + chunk * times + tail without compressing chunk more than once:
    after a full flush the compressor starts afresh, so each chunk's output is the same.
    Returns (data, CRC, size unpacked)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) if times else b""
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * times + last, crc, len(head) + len(chunk) * times + len(tail)


def raw_zip(entries: list[tuple[str, tuple[bytes, int, int]]]) -> bytes:
    """A zip written by hand (deflated entries whose data is already compressed)."""
    out, central = io.BytesIO(), []
    for name, (data, crc, size) in entries:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data),
                              size, len(encoded), 0) + encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                                   crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
                       + encoded)
    directory, start = b"".join(central), out.tell()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(directory), start, 0))
    return out.getvalue()


@cache
def workbook_parts() -> dict[str, bytes]:
    """The parts of a plain one-sheet workbook, as openpyxl writes it."""
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    out = io.BytesIO()
    workbook.save(out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return {name: archive.read(name) for name in archive.namelist()}


def with_sheet(sheet: tuple[bytes, int, int]) -> bytes:
    """A workbook whose first sheet is ``sheet`` (already deflated, see ``deflated``)."""
    parts = [(name, deflated(data)) for name, data in workbook_parts().items() if name != SHEET]
    return raw_zip([*parts, (SHEET, sheet)])


def sheet(rows: bytes, head: bytes = SHEET_HEAD) -> bytes:
    """A workbook whose first sheet's <sheetData> holds ``rows`` (raw XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in workbook_parts().items():
            if name != SHEET:
                archive.writestr(name, data)
        archive.writestr(SHEET, head + b"<sheetData>" + rows + b"</sheetData></worksheet>")
    return out.getvalue()


def _cell(value: object) -> bytes:
    if isinstance(value, int | float):
        return b"<c><v>%s</v></c>" % str(value).encode()
    return b'<c t="inlineStr"><is><t>%s</t></is></c>' % escape(str(value)).encode()


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of a header and rows, its XML written directly (200,000 rows in a second)."""
    lines = (b"<row>" + b"".join(_cell(v) for v in cells) + b"</row>"
             for cells in [header, *rows])
    return sheet(b"".join(lines))


def spaces(megabytes: int) -> bytes:
    """A workbook of about 1 MB per GB whose sheet holds ``megabytes`` MB of spaces inside
    <sheetData>."""
    return with_sheet(deflated(SHEET_HEAD + b"<sheetData>", b" " * MB, megabytes,
                               b"</sheetData></worksheet>"))
