"""A report as PDF (WeasyPrint), laid out as Decree 30/2020 or the Party's layout: the text in
the reading order, the fonts embedded, Vietnamese intact, PDF 1.4 or later."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.factories.reports import sample_report
from tinhso.reports.document import Layout, Report
from tinhso.reports.output import render
from tinhso.reports.pdf import report_html


def sample(layout: Layout = "state", paragraphs: int = 2) -> Report:
    """The factories' sample report; the Party's dated 5 March (a month written without a
    leading zero)."""
    if layout == "party":
        return sample_report("party", paragraphs, day=date(2026, 3, 5))
    return sample_report(layout, paragraphs)


@pytest.fixture(scope="module")
def state_pdf() -> bytes:
    return render(sample(paragraphs=40), "pdf")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_is_version_1_4_or_later(state_pdf: bytes) -> None:
    assert state_pdf.startswith(b"%PDF-1.")
    assert int(state_pdf[7:8]) >= 4


def test_the_text_reads_in_the_decrees_order(state_pdf: bytes) -> None:
    text = text_of(state_pdf)
    order = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Số: 05/BC-UBND", "Khánh Hòa, ngày 05 tháng 01 năm 2026", "BÁO CÁO",
             "Tiến độ thực hiện Chương trình chuyển đổi số quý IV năm 2025",
             "I. KẾT QUẢ THỰC HIỆN",
             "Hồ sơ trực tuyến toàn trình",
             "12.345", "64,06\u00a0%", "27/11/2026", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
             "Trần Thị Mẫu"]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p < 0]
    # the motto block and the number sit side by side: the body starts after both
    assert positions[4:] == sorted(positions[4:])
    assert max(positions[:4]) < positions[4]


def test_a_missing_figure_is_a_dash_never_zero(state_pdf: bytes) -> None:
    line = next(line for line in text_of(state_pdf).splitlines() if "Chỉ tiêu chưa công bố" in line)
    assert "–" in line and "0" not in line


def test_fonts_are_embedded_and_serif(state_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(state_pdf))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in
                                                ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("Serif" in name or "Times" in name for name in fonts), fonts


def _top_line(page) -> str:  # type: ignore[no-untyped-def]
    """The text printed in the top margin (above the 20 mm margin) of a page."""
    height = float(page.mediabox.height)
    found: list[str] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        y = tm[5] * cm[3] + cm[5] if cm else tm[5]
        if text.strip() and y > height - 20 * 72 / 25.4:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


def test_page_numbers_are_centred_at_the_top_from_the_second_page(state_pdf: bytes) -> None:
    pages = PdfReader(io.BytesIO(state_pdf)).pages
    assert len(pages) >= 2
    assert _top_line(pages[0]) == ""
    assert _top_line(pages[1]) == "2"


def test_the_party_layout_has_its_own_header_and_notation() -> None:
    text = text_of(render(sample("party"), "pdf"))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Số 15-BC/TU" in text
    assert "Khánh Hòa, ngày 05 tháng 3 năm 2026" in text
    assert "CỘNG HÒA XÃ HỘI" not in text


def test_the_figure_is_an_inline_image_and_the_layout_is_a4() -> None:
    html = report_html(sample())
    assert 'src="data:image/png;base64,' in html
    assert 'style="' not in html
    pdf = PdfReader(io.BytesIO(render(sample(), "pdf")))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
