"""A page's tables read from its HTML and typed for a spreadsheet (pure: no Django), and the
workbook written from them: numbers as numbers in the page's language, percentages as real
fractions, dates as dates, ranks and "–" as text, never a zero for a missing figure."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tinhso.core.table_export import Typed, page_tables, page_title, type_data_value, type_text
from tinhso.core.xlsx_write import Sheet, add_sheets, new_workbook, unique_names, workbook_bytes


@pytest.mark.parametrize(("text", "value", "number_format"), [
    ("1.234", 1234, "#,##0"),
    ("1.234.567", 1234567, "#,##0"),
    ("12", 12, "0"),
    ("2026", 2026, "0"),  # a year, shown without a separator, stays so
    ("-3", -3, "0"),
    ("0,71", 0.71, "#,##0.00"),
    ("1.234,5", 1234.5, "#,##0.0"),
    ("64,06 %", 0.6406, "0.00%"),
    ("64,06\u00a0%", 0.6406, "0.00%"),
    ("100 %", 1.0, "0%"),
    ("27/11/2026", date(2026, 11, 27), "dd/mm/yyyy"),
    ("5/1/2026", date(2026, 1, 5), "dd/mm/yyyy"),
    ("14:30 27/11/2026", datetime(2026, 11, 27, 14, 30), "dd/mm/yyyy hh:mm"),
    ("2026-11-27", date(2026, 11, 27), "dd/mm/yyyy"),
    ("11/2026", date(2026, 11, 1), "mm/yyyy"),
])
def test_vietnamese_figures_become_typed_values(text: str, value: object,
                                                number_format: str) -> None:
    typed = type_text(text, "vi")
    assert typed.value == pytest.approx(value) if isinstance(value, float) else \
        typed.value == value
    assert type(typed.value) is type(value)
    assert typed.number_format == number_format


@pytest.mark.parametrize(("text", "value", "number_format"), [
    ("1,234", 1234, "#,##0"),
    ("0.71", 0.71, "#,##0.00"),
    ("64.06 %", 0.6406, "0.00%"),
    ("27/11/2026", date(2026, 11, 27), "dd/mm/yyyy"),
    ("2026-11-27 14:30", datetime(2026, 11, 27, 14, 30), "dd/mm/yyyy hh:mm"),
])
def test_english_figures_become_typed_values(text: str, value: object,
                                             number_format: str) -> None:
    typed = type_text(text, "en")
    assert typed.value == (pytest.approx(value) if isinstance(value, float) else value)
    assert typed.number_format == number_format


def test_the_separators_follow_the_language() -> None:
    assert type_text("1,234", "vi").value == pytest.approx(1.234)
    assert type_text("1.234", "en").value == pytest.approx(1.234)


@pytest.mark.parametrize("text", [
    "16/34", "41/63", "–", "—", "-", "chưa công bố", "not published", "056", "0912345678",
    "16-NQ/TU", "2.000815", "0.707", "1.2.3", "31/02/2026", "13/2026", "1,2,3", "64,06 % (ước)",
    "=HYPERLINK(\"http://x\")",
])
def test_ranks_codes_dashes_and_words_stay_text(text: str) -> None:
    typed = type_text(text, "vi")
    assert typed == Typed(text)


@pytest.mark.parametrize("text", ["", "  ", "\u00a0"])
def test_a_blank_cell_stays_blank_never_zero(text: str) -> None:
    assert type_text(text).value is None


def test_data_value_wins_over_the_text() -> None:
    assert type_data_value("2026-11-27", "27 Nov 2026") == Typed(date(2026, 11, 27),
                                                                 "dd/mm/yyyy")
    assert type_data_value("64.0612", "64,06 %") == Typed(pytest.approx(0.640612), "0.00%")
    assert type_data_value("1234", "1.234") == Typed(1234, "#,##0")
    assert type_data_value("0.70712", "0,7071") == Typed(pytest.approx(0.70712), "#,##0.0000")
    assert type_data_value("", "–") == Typed(None)
    assert type_data_value("abc", "x") is None  # unreadable: the text is typed instead


PAGE = """<!DOCTYPE html><html lang="vi"><head><title>Thống kê · tỉnh số</title></head><body>
<main><h1>Thống kê dịch vụ công</h1>
<h2>Theo đơn vị</h2>
<table><thead><tr><th rowspan="2">Đơn vị</th><th colspan="2">Hồ sơ</th></tr>
<tr><th>Tiếp nhận</th><th>Trực tuyến</th></tr></thead>
<tbody><tr><th scope="row">Sở Y tế</th><td>1.234</td><td>64,06 %</td></tr>
<tr><th scope="row">Sở Tài chính <button>Sửa</button></th><td>–</td><td></td></tr>
<tr><td>Hạng</td><td data-value="16">16/34</td><td data-value="2026-11-27">27/11/2026</td></tr>
</tbody></table>
<figure><figcaption><strong>Hồ sơ theo tháng</strong></figcaption>
<details><table><tr><th>Tháng</th><th>Số</th></tr><tr><td>01/2026</td><td>51</td></tr>
</table></details></figure>
<table data-export="no"><tr><td>bố cục</td></tr></table>
<table><caption>Bảng lồng</caption><tr><td><table><tr><td>bên trong</td></tr></table></td></tr>
</table>
</main></body></html>"""


def test_tables_are_read_with_their_names_headers_and_spans() -> None:
    tables = page_tables(PAGE, "vi")
    assert [t.name for t in tables] == ["Theo đơn vị", "Hồ sơ theo tháng", "Bảng lồng"]
    first = tables[0]
    assert first.header == [["Đơn vị", "Hồ sơ", ""], ["", "Tiếp nhận", "Trực tuyến"]]
    assert [(s.row, s.col, s.rows, s.cols) for s in first.spans] == [(0, 0, 2, 1), (0, 1, 1, 2)]
    assert first.rows[0] == [Typed("Sở Y tế"), Typed(1234, "#,##0"),
                             Typed(pytest.approx(0.6406), "0.00%")]
    assert first.rows[1] == [Typed("Sở Tài chính"), Typed("–"), Typed(None)]  # no button text
    assert first.rows[2][1] == Typed(16, "#,##0")  # data-value wins
    assert first.rows[2][2] == Typed(date(2026, 11, 27), "dd/mm/yyyy")
    assert tables[1].header == [["Tháng", "Số"]]
    assert tables[1].rows == [[Typed(date(2026, 1, 1), "mm/yyyy"), Typed(51, "0")]]


def test_a_page_without_tables_has_none_and_the_title_is_read() -> None:
    assert page_tables("<html><body><p>1.234</p></body></html>") == []
    assert page_tables("") == []
    assert page_title(PAGE) == "Thống kê · tỉnh số"


def test_sheet_names_are_valid_short_and_unique() -> None:
    names = unique_names(["Hồ sơ: theo tháng [2026]", "A" * 40, "A" * 40, "a" * 40, "",
                          "History", "x/y?z*"])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[0] == "Hồ sơ  theo tháng  2026".replace("  ", " ")
    assert names[2].endswith("(2)") and names[3].endswith("(3)")
    assert names[4] and names[5] != "History"
    assert not any(c in n for n in names for c in "[]:*?/\\")


def test_the_workbook_has_a_frozen_bold_header_typed_cells_and_merged_spans() -> None:
    table = page_tables(PAGE, "vi")[0]
    book = new_workbook()
    add_sheets(book, [Sheet(table.name, table.header, table.rows, ["Theo đơn vị", "nguồn"],
                            table.spans)])
    ws = load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert ws.freeze_panes == "A5"  # two title lines, two header rows
    assert ws["A3"].value == "Đơn vị" and ws["A3"].font.bold
    assert {str(r) for r in ws.merged_cells.ranges} == {"A3:A4", "B3:C3"}
    assert ws["B5"].value == 1234 and ws["B5"].number_format == "#,##0"
    assert ws["C5"].number_format == "0.00%"
    assert ws["B6"].value == "–" and ws["C6"].value is None


def test_a_text_that_looks_like_a_formula_stays_text() -> None:
    book = new_workbook()
    add_sheets(book, [Sheet("x", [["A"]], [[type_text("=1+1")]])])
    ws = load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
