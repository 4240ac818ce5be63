"""Every report type over the demo's data, written as Excel and PDF by the real renderers
(`tinhso reports make`): a workbook with a sheet per table and the header frozen, a PDF 1.4+
whose text holds the motto, the number line and the signature in order, Vietnamese intact."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year  # the demo's dossiers and reports are of the current year
KINDS = [("programme", f"{YEAR}-Q4"), ("indicators", f"{YEAR}"), ("dti", f"{YEAR}"),
         ("services", f"{YEAR}")]


@pytest.mark.parametrize(("kind", "period"), KINDS)
def test_each_report_type_as_excel(demo, tmp_path: Path, kind: str, period: str) -> None:
    out = tmp_path / "bao-cao.xlsx"
    call_command("reports", "make", kind, "--period", period, "--format", "xlsx",
                 "--out", str(out))
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert len(book.worksheets) >= 2  # the frame, then the tables
    assert any("Khánh Hòa" in str(c) for row in book.worksheets[0].iter_rows(values_only=True)
               for c in row if c)
    for ws in book.worksheets[1:]:
        if ws.freeze_panes is not None:
            header = int(ws.freeze_panes[1:]) - 1
            assert all(cell.font.bold for cell in ws[header] if cell.value)


@pytest.mark.parametrize(("kind", "period"), KINDS)
def test_each_report_type_as_pdf(demo, tmp_path: Path, kind: str, period: str) -> None:
    out = tmp_path / "bao-cao.pdf"
    call_command("reports", "make", kind, "--period", period, "--format", "pdf",
                 "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.") and int(data[7:8]) >= 4
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    order = ["Độc lập - Tự do - Hạnh phúc", "Số:", "Khánh Hòa, ngày", "BÁO CÁO", "Nơi nhận:"]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p < 0]
    assert positions[3] < positions[4]
