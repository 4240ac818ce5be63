"""A report as an .xlsx workbook: the frame on the first sheet, a sheet per table with the
columns' Vietnamese titles frozen, cells typed by their column, a missing figure blank."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from tinhso.reports.document import (
    Column,
    Figure,
    Frame,
    Heading,
    Paragraph,
    Report,
    Signature,
    Table,
)
from tinhso.reports.output import FORMATS, render

TABLE = Table(
    caption="Bảng 1. Chỉ tiêu chủ yếu so với mục tiêu",
    columns=(Column("Chỉ tiêu"), Column("Hồ sơ", "int"), Column("Tỷ lệ", "percent", 2),
             Column("Chỉ số", "decimal", 4), Column("Ngày cập nhật", "date")),
    rows=(("Hồ sơ trực tuyến toàn trình", 12345, 64.06, 0.7071, date(2026, 11, 27)),
          ("Chỉ tiêu chưa công bố", None, None, None, None),
          ("Xếp hạng DTI", "16/34", 0, 0.0, None)),
    note="Nguồn: Cổng Dịch vụ công quốc gia.")


def sample(png: bytes = b"") -> Report:
    frame = Frame(layout="state", parent_body="", issuing_body="ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
                  number=5, symbol="BC-UBND", place="Khánh Hòa", day=date(2026, 1, 5),
                  doc_type="BÁO CÁO", summary="Tiến độ chuyển đổi số quý IV năm 2025",
                  signature=Signature("TM. ỦY BAN NHÂN DÂN", "", "CHỦ TỊCH", "Trần Thị Mẫu"))
    blocks: list = [Heading("KẾT QUẢ"), Paragraph("Trong kỳ, tỉnh đã triển khai."), TABLE,
                    Table("Bảng 1. Chỉ tiêu chủ yếu so với mục tiêu", (Column("Đơn vị"),),
                          (("Sở Y tế",),))]
    if png:
        blocks.append(Figure(png, "Hình 1. Hồ sơ theo tháng", 100))
    return Report(kind="sample", frame=frame, blocks=tuple(blocks),
                  parameters={"Kỳ báo cáo": "Quý IV/2025"}, data_version="v-2026-01-05")


@pytest.fixture(scope="module")
def book() -> Workbook:
    return load_workbook(io.BytesIO(render(sample(), "xlsx")))


def test_xlsx_is_registered_with_its_content_type() -> None:
    assert FORMATS["xlsx"].content_type.endswith("spreadsheetml.sheet")


def test_the_first_sheet_holds_the_frame(book: Workbook) -> None:
    first = book.worksheets[0]
    values = [c for row in first.iter_rows(values_only=True) for c in row if c]
    for expected in ("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Số: 05/BC-UBND",
                     "Khánh Hòa, ngày 05 tháng 01 năm 2026", "BÁO CÁO",
                     "Tiến độ chuyển đổi số quý IV năm 2025", "Quý IV/2025", "v-2026-01-05"):
        assert expected in values


def test_each_table_has_its_sheet_with_a_unique_short_name(book: Workbook) -> None:
    names = book.sheetnames
    assert len(names) == 3
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == 3
    assert names[1].startswith("Bảng 1. Chỉ tiêu")


def _header_row(ws) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(1, 10) if ws.cell(r, 2).value == "Hồ sơ")


def test_the_header_is_vietnamese_bold_and_frozen(book: Workbook) -> None:
    ws = book.worksheets[1]
    assert ws["A1"].value == TABLE.caption
    header = _header_row(ws)
    assert [c.value for c in ws[header]] == ["Chỉ tiêu", "Hồ sơ", "Tỷ lệ", "Chỉ số",
                                             "Ngày cập nhật"]
    assert all(c.font.bold for c in ws[header])
    assert ws.freeze_panes == f"A{header + 1}"


def test_cells_are_typed_by_their_column(book: Workbook) -> None:
    ws = book.worksheets[1]
    row = ws[_header_row(ws) + 1]
    assert row[1].value == 12345 and row[1].number_format == "#,##0"
    assert row[2].value == pytest.approx(0.6406) and row[2].number_format == "0.00%"
    assert row[3].value == pytest.approx(0.7071) and row[3].number_format == "#,##0.0000"
    assert row[4].value == datetime(2026, 11, 27) and row[4].number_format == "dd/mm/yyyy"


def test_a_missing_figure_is_blank_with_a_note_and_zero_stays_zero(book: Workbook) -> None:
    ws = book.worksheets[1]
    header = _header_row(ws)
    missing, rank = ws[header + 2], ws[header + 3]
    assert [c.value for c in missing[1:]] == [None, None, None, None]
    assert rank[1].value == "16/34"  # a rank stays text
    assert rank[2].value == 0 and rank[3].value == 0  # a real zero is written
    notes = [ws.cell(r, 1).value or "" for r in range(header + 4, ws.max_row + 1)]
    assert any("Cổng Dịch vụ công" in n for n in notes)
    assert len([n for n in notes if n]) == 2  # the source and what a blank means


def test_columns_are_wide_enough_for_their_text(book: Workbook) -> None:
    ws = book.worksheets[1]
    assert ws.column_dimensions["A"].width >= len("Hồ sơ trực tuyến toàn trình")


def test_a_figure_is_embedded_as_an_image() -> None:
    pil = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    pil.new("RGB", (200, 100), "white").save(buffer, "PNG")
    book = load_workbook(io.BytesIO(render(sample(buffer.getvalue()), "xlsx")))
    chart = book.worksheets[-1]
    assert chart["A1"].value == "Hình 1. Hồ sơ theo tháng"
    assert len(chart._images) == 1


def test_a_chart_that_does_not_read_leaves_its_caption() -> None:
    book = load_workbook(io.BytesIO(render(sample(b"not a png"), "xlsx")))
    chart = book.worksheets[-1]
    assert chart["A1"].value == "Hình 1. Hồ sơ theo tháng" and chart["A3"].value
