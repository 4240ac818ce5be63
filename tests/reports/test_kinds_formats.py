"""Each report type, made from the demo, in every format: the Word document converted by
LibreOffice headless reads as the decree orders it (the motto block, number and symbol, title,
a table, the signature block); the PDF and the workbook open and hold the same table."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.office import assert_in_order, docx_to_pdf_text
from tinhso.accounts.permissions import SYSTEM
from tinhso.reports.making import make
from tinhso.reports.validation import validate

pytestmark = pytest.mark.django_db
FIRST_CELL = {"programme": "Tổng cộng", "indicators": "16/34",
              "dti": "41/63", "services": "Hồ sơ tiếp nhận"}


def made(kind: str, fmt: str) -> bytes:
    return make(validate(actor=SYSTEM, kind=kind, period="2026", fmt=fmt, number=5)).content


@pytest.mark.parametrize("kind", list(FIRST_CELL))
def test_the_word_report_reads_in_the_decrees_order(demo, kind) -> None:
    text = docx_to_pdf_text(made(kind, "docx"))
    assert_in_order(text, [
        ("ỦY BAN NHÂN DÂN TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         "Độc lập - Tự do - Hạnh phúc"),
        "Số: 05/BC-UBND", "BÁO CÁO", FIRST_CELL[kind],
        ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), "PHÓ CHỦ TỊCH"])


@pytest.mark.parametrize("kind", list(FIRST_CELL))
def test_the_pdf_and_the_workbook_hold_the_table(demo, kind) -> None:
    pdf = PdfReader(io.BytesIO(made(kind, "pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Số: 05/BC-UBND" in text and FIRST_CELL[kind] in text
    workbook = load_workbook(io.BytesIO(made(kind, "xlsx")))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
             for c in row if c.value is not None}
    assert FIRST_CELL[kind] in cells
