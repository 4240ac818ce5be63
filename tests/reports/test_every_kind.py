"""Every report type, made from the demo's full year, in every format: the Word document read
through LibreOffice holds the motto block, the number and symbol, the title, a table and the
signature block in that order (skipped, saying why, without LibreOffice); the Excel workbook
and the PDF open and hold the same table's figures."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.office import assert_in_order, docx_to_pdf_text, require_office
from tinhso.reports.document import Report, Table
from tinhso.reports.frame_text import cell_text
from tinhso.reports.kinds import KINDS
from tinhso.reports.kinds.common import Asked, period_of
from tinhso.reports.output import render
from tinhso.units.selectors import unit_by_code

pytestmark = pytest.mark.django_db


def made(kind: str, layout: str = "state") -> Report:
    year = str(timezone.localdate().year)
    asked = Asked(kind, period_of(year), unit_by_code("56"), layout=layout,  # type: ignore[arg-type]
                  number=15)
    return KINDS[kind].build(asked)


def first_figure(table: Table) -> str:
    """The first row's first figure (after the row's name), as the documents write it."""
    for column, cell in zip(table.columns[1:], table.rows[0][1:], strict=False):
        if cell is not None:
            return cell_text(cell, column)
    raise AssertionError(f"{table.caption}: no figure in the first row")


def frame_order(report: Report) -> list[str | tuple[str, ...]]:
    frame = report.frame
    table = report.tables()[0]
    if frame.layout == "party":
        motto: tuple[str, ...] = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
        number = f"Số 15-{frame.symbol}"
    else:
        motto = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
        number = f"Số: 15/{frame.symbol}"
    signature = tuple(s for s in (frame.signature.authority, frame.signature.title) if s)
    return [motto, number, frame.doc_type, frame.summary, table.caption, first_figure(table),
            ("Nơi nhận:", *signature)]


@pytest.mark.parametrize(("kind", "layout"), [
    ("programme", "state"), ("programme", "party"), ("indicators", "state"),
    ("dti", "state"), ("services", "state")])
def test_word_through_libreoffice_in_the_decrees_order(demo, kind: str, layout: str) -> None:
    require_office()
    report = made(kind, layout)
    text = docx_to_pdf_text(render(report, "docx"))
    assert_in_order(text, frame_order(report))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_excel_and_pdf_hold_the_same_table(demo, kind: str) -> None:
    report = made(kind)
    table = report.tables()[0]
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    written = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert table.caption in written
    assert table.columns[0].title in written
    pdf = render(report, "pdf")
    assert pdf.startswith(b"%PDF-1.")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # the header is a table of two columns: pypdf may read the left column (the number under
    # the issuing body) before the right one (the motto)
    motto, number, *rest = frame_order(report)
    assert_in_order(text, [(*motto, number), *rest])
