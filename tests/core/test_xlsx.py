"""Reading uploaded spreadsheets safely: zip bombs, huge sheets, CSV dialects, cells."""

from __future__ import annotations

import io
import itertools
import time
import tracemalloc
import types
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.core.bombs import SHEET_HEAD, deflated, sheet, spaces, with_sheet, workbook_parts
from tinhso.core import xlsx as xlsx_module
from tinhso.core.imports import ImportRejected
from tinhso.core.xlsx import (
    Limits,
    cell_date,
    cell_text,
    check_xlsx,
    fold,
    header_key,
    read_table,
    split_list,
)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rows(name: str, content: bytes, **kwargs: object) -> list[tuple[int, dict]]:
    return list(read_table(name, content, **kwargs).rows)  # type: ignore[arg-type]


def test_a_one_megabyte_workbook_unpacking_to_a_gigabyte_is_refused_at_once() -> None:
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 32000 + b"</t></is></c></row>"
    chunk = row * (1024 * 1024 // len(row))
    bomb = with_sheet(deflated(SHEET_HEAD + b"<sheetData>", chunk, 1000,
                               b"</sheetData></worksheet>"))
    assert len(bomb) < 1.5 * 1024 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 10**9
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as caught:
            read_table("bomb.xlsx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 20 * 1024 * 1024
    assert "unpacks to 978 MB, more than 50 MB" in caught.value.errors[0].message


def test_a_part_compressed_beyond_reason_is_refused_even_under_the_size_cap() -> None:
    chunk = b"<row><c><v>0</v></c></row>" * 40000  # 1 MB
    content = with_sheet(deflated(SHEET_HEAD + b"<sheetData>", chunk, 30,
                                  b"</sheetData></worksheet>"))
    with pytest.raises(ImportRejected) as caught:
        check_xlsx(content)
    assert "xl/worksheets/sheet1.xml is compressed" in caught.value.errors[0].message


def _tall_sheet(rows: int, dimension: bool = True) -> bytes:
    """A workbook of ``rows`` rows (a header and tasks), its sheet written as raw XML."""
    head = SHEET_HEAD + (b'<dimension ref="A1:B%d"/>' % rows if dimension else b"")
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Task %d</t></is></c>'
                    b'<c r="B%d"><v>%d</v></c></row>' % (r, r, r, r, r)
                    for r in range(2, rows + 1))
    return sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>task</t></is></c>'
                  b'<c r="B1" t="inlineStr"><is><t>n</t></is></c></row>' + body, head)


@pytest.fixture(scope="module")
def tall() -> bytes:
    return _tall_sheet(200_000)


def test_a_200000_row_workbook_is_refused_before_a_row_is_read(tall: bytes) -> None:
    assert len(tall) < 3 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ImportRejected):
        read_table("tall.xlsx", tall)
    assert time.perf_counter() - started < 3  # about 0.1 s; reading the rows took 30 s
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as caught:
            read_table("tall.xlsx", tall)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert caught.value.errors[0].message == (
        "xl/worksheets/sheet1.xml holds more than 100000 rows: split the file")


def test_rows_past_the_row_cap_are_not_read() -> None:
    content = _tall_sheet(20_000)
    seen = 0
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as caught:
            for _row in read_table("tall.xlsx", content, limits=Limits(max_rows=3000)).rows:
                seen += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 3000
    assert caught.value.errors[0].row == 3002  # the header is row 1
    assert "more than 3000 rows" in caught.value.errors[0].message
    assert peak < 40 * 1024 * 1024


def test_the_time_budget_stops_a_slow_read() -> None:
    content = _tall_sheet(1000)
    with pytest.raises(ImportRejected) as caught:
        _rows("slow.xlsx", content, limits=Limits(seconds=0))
    assert "took more than 0 seconds" in caught.value.errors[0].message
    assert caught.value.errors[0].row == 1


def test_the_time_budget_bounds_blank_rows_that_pass_every_check_of_the_zip(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Each row's one blank cell sits in column ZZZ: openpyxl hands out 18,278 empty cells a
    # row, and no row has data, so neither the row cap nor a check per row of data stops it.
    # The clock is the test's (a hundredth of a second a look), so the budget is checked at
    # every row read however fast this machine reads.
    wide = b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' + b"".join(
        b'<row r="%d"><c r="ZZZ%d"/></row>' % (r, r) for r in range(2, 1002))
    content = sheet(wide)
    check_xlsx(content)  # a small, plain workbook
    ticks = itertools.count()
    monkeypatch.setattr(xlsx_module, "time", types.SimpleNamespace(
        monotonic=lambda: next(ticks) / 100))
    with pytest.raises(ImportRejected) as caught:
        _rows("wide.xlsx", content, limits=Limits(seconds=1))
    assert "took more than 1 seconds" in caught.value.errors[0].message
    assert 90 < caught.value.errors[0].row < 110  # a hundred looks: one a row, blank ones too


def test_a_row_of_more_cells_than_excel_allows_is_refused_before_reading() -> None:
    row = b'<row r="1">' + b"<c><v>1</v></c>" * 20_000 + b"</row>"
    with pytest.raises(ImportRejected) as caught:
        read_table("wide.xlsx", sheet(row))
    assert caught.value.errors[0].message == (
        "xl/worksheets/sheet1.xml: a row has more than 16384 cells")


def test_rows_are_counted_with_a_namespace_prefix_and_across_pieces_of_the_scan() -> None:
    rows = b"".join(b'<x:row r="%d"><x:c r="A%d"><x:v>%d</x:v></x:c></x:row>' % (r, r, r)
                    for r in range(1, 60_001))  # 3 MB: the scan reads it in pieces
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in workbook_parts().items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD.replace(b"<worksheet xmlns=", (
            b"<x:worksheet xmlns:x=")) + b"<x:sheetData>" + rows + b"</x:sheetData></x:worksheet>")
    content = out.getvalue()
    check_xlsx(content, Limits(max_sheet_rows=60_000))
    with pytest.raises(ImportRejected) as caught:
        check_xlsx(content, Limits(max_sheet_rows=59_999))
    assert "holds more than 59999 rows" in caught.value.errors[0].message


def test_a_gigabyte_of_spaces_inside_sheetdata_is_refused_at_once() -> None:
    bomb = spaces(1024)
    assert len(bomb) < 1.5 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as caught:
            read_table("spaces.xlsx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2 and peak < 20 * 1024 * 1024
    assert "unpacks to 1024 MB, more than 50 MB" in caught.value.errors[0].message
    # Under the size cap, the same spaces are refused for their compression.
    with pytest.raises(ImportRejected) as caught:
        check_xlsx(with_sheet(deflated(SHEET_HEAD + b"<sheetData>", b" " * (1024 * 1024), 40,
                                         b"</sheetData></worksheet>")))
    assert "sheet1.xml is compressed" in caught.value.errors[0].message


def test_a_part_unpacking_to_more_than_its_directory_says_is_refused_as_damaged() -> None:
    data, crc, _size = deflated(SHEET_HEAD + b"<sheetData>", b" " * (1024 * 1024), 30,
                                 b"</sheetData></worksheet>")
    with pytest.raises(ImportRejected) as caught:
        read_table("liar.xlsx", with_sheet((data, crc, 100_000)))  # declares 100 kB
    assert "the workbook is damaged" in caught.value.errors[0].message


def test_a_sheet_without_declared_size_is_read_in_full() -> None:
    rows = _rows("plain.xlsx", _tall_sheet(50, dimension=False))
    assert len(rows) == 49 and rows[-1] == (50, {"task": "Task 50", "n": 50})


def test_files_that_are_not_workbooks_are_named_as_such() -> None:
    cases = {
        b"\xd0\xcf\x11\xe0" + b"\0" * 100: "old .xls",
        b"hello": "not an Excel workbook",
        b"PK\x03\x04broken": "damaged",
    }
    for content, words in cases.items():
        with pytest.raises(ImportRejected) as caught:
            read_table("x.xlsx", content)
        assert words in caught.value.errors[0].message
    with pytest.raises(ImportRejected) as caught:
        read_table("x.pdf", b"%PDF")
    assert ".xlsx" in caught.value.errors[0].message
    with pytest.raises(ImportRejected) as caught:
        read_table("big.csv", b"a" * 100, limits=Limits(max_bytes=50))
    assert "larger than" in caught.value.errors[0].message


def test_a_workbook_declaring_a_dtd_is_refused() -> None:
    parts = workbook_parts()
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'
                                     b"<sst/>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(ImportRejected) as caught:
        check_xlsx(out.getvalue())
    assert "declares a DTD" in caught.value.errors[0].message


def test_a_workbook_without_worksheet_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ImportRejected) as caught:
        check_xlsx(out.getvalue())
    assert "no worksheet" in caught.value.errors[0].message


# --- reading -------------------------------------------------------------------------------


def test_xlsx_rows_come_with_the_sheets_row_numbers_below_a_title() -> None:
    content = _xlsx([["PHỤ LỤC NHIỆM VỤ"], [], ["Mã", "Ngày"], ["1", datetime(2026, 1, 5)],
                     [None, None], ["2", "05/02/2026"]])
    table = read_table("p.xlsx", content, is_header=lambda cells: "Mã" in cells)
    assert table.header_row == 3
    assert list(table.rows) == [(4, {"Mã": "1", "Ngày": datetime(2026, 1, 5)}),
                                (6, {"Mã": "2", "Ngày": "05/02/2026"})]


def test_without_the_header_the_first_row_is_taken() -> None:
    table = read_table("p.csv", b"a,b\n1,2\n", is_header=lambda cells: "x" in cells)
    assert table.headers == ["a", "b"] and list(table.rows) == [(2, {"a": "1", "b": "2"})]


def test_csv_with_byte_order_mark_and_each_delimiter() -> None:
    for delimiter in (",", ";", "\t"):
        text = delimiter.join(["Mã nhóm", "Nhiệm vụ", "Hạn"]) + "\r\n" + delimiter.join(
            ["1", '"Số hóa; hồ sơ, kết quả"', "31/12/2026"]) + "\r\n\r\n"
        rows = _rows("p.csv", ("\ufeff" + text).encode("utf-8"))
        assert rows == [(2, {"Mã nhóm": "1", "Nhiệm vụ": "Số hóa; hồ sơ, kết quả",
                             "Hạn": "31/12/2026"})], delimiter


def test_csv_not_in_utf8_is_refused_with_the_remedy() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table("p.csv", "Tên,Đơn\n".encode("cp1258"))  # Windows' Vietnamese
    assert "CSV UTF-8" in caught.value.errors[0].message
    content = b"a,b\n" + b"1,2\n" * 5000 + "Đơn,3\n".encode("cp1258")
    with pytest.raises(ImportRejected) as caught:
        _rows("p.csv", content)
    assert "CSV UTF-8" in caught.value.errors[0].message


def test_repeated_headers_are_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table("p.csv", b"a,b,a\n1,2,3\n")
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "a")]


def test_the_row_cap_counts_rows_with_data_only() -> None:
    content = b"a\n" + b"1\n\n\n" * 3
    assert len(_rows("p.csv", content, limits=Limits(max_rows=3))) == 3
    with pytest.raises(ImportRejected) as caught:
        _rows("p.csv", content + b"4\n", limits=Limits(max_rows=3))
    assert caught.value.errors[0].row == 11


# --- cells ---------------------------------------------------------------------------------


def test_dates_in_vietnamese_forms_and_cells() -> None:
    for raw in ("05/01/2026", "5/1/2026", "2026-01-05", "05-01-2026", "05.01.2026",
                datetime(2026, 1, 5), date(2026, 1, 5), 46027, 46027.0, "05/01/2026 00:00"):
        assert cell_date(raw) == date(2026, 1, 5), raw
    assert cell_date(None) is None and cell_date("  ") is None
    for raw in ("31/02/2026", "2026/01/05", "tháng 1", "1/5", 46027.5, "05/01/26"):
        with pytest.raises(ValueError):
            cell_date(raw)


def test_cells_as_text_lists_and_keys() -> None:
    assert cell_text(2.0) == "2" and cell_text(2.1) == "2.1" and cell_text(None) == ""
    assert cell_text(datetime(2026, 1, 5)) == "05/01/2026" and cell_text(" a ") == "a"
    assert cell_text(Decimal("1.50")) == "1.5"
    assert split_list("56.STC; Sở Y tế;\n56.STC;") == ["56.STC", "Sở Y tế"]
    assert header_key("Tiến độ (%)") == header_key("tien do") == "tiendo"
    assert fold("  Sở  TÀI Chính ") == "so tai chinh" and fold("Đà Nẵng") == "da nang"
