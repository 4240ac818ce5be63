"""The Word report as LibreOffice reads it: converted to PDF, its text holds the motto block,
the number and symbol, the title, a table's figures and the signature block, in that order
(skipped, saying why, where LibreOffice is not installed)."""

from __future__ import annotations

import pytest

from tests.factories.reports import sample_report
from tests.reports.office import assert_in_order, docx_to_pdf_text, require_office
from tinhso.reports.word import render_docx
from tinhso.reports.word_templates import default_template

# A tuple: the cells of one row, read in either order.
STATE_ORDER: list[str | tuple[str, ...]] = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 05/BC-UBND", "Khánh Hòa, ngày 05 tháng 01 năm 2026"),
    "BÁO CÁO", "Tiến độ thực hiện Chương trình chuyển đổi số quý IV năm 2025",
    "I. KẾT QUẢ THỰC HIỆN", "Bảng 1. Chỉ tiêu chủ yếu so với mục tiêu",
    "Hồ sơ trực tuyến toàn trình", "12.345", "64,06 %", "27/11/2026",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    ("Nơi nhận:", "- Lưu: VT, KGVX.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
     "Trần Thị Mẫu"),
]
PARTY_ORDER: list[str | tuple[str, ...]] = [
    ("TỈNH ỦY", "*", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("Số 15-BC/TU", "Khánh Hòa, ngày 05 tháng 01 năm 2026"), "BÁO CÁO",
    "Kết quả thực hiện Nghị quyết về chuyển đổi số năm 2025", "12.345", "64,06 %",
    ("Nơi nhận:", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Mẫu"),
]


@pytest.mark.parametrize(("layout", "order"), [("state", STATE_ORDER), ("party", PARTY_ORDER)])
def test_libreoffice_reads_the_frame_the_table_and_the_signature_in_order(
        layout: str, order: list[str | tuple[str, ...]]) -> None:
    require_office()
    report = sample_report(layout, paragraphs=30)  # type: ignore[arg-type]
    text = docx_to_pdf_text(render_docx(report, default_template(layout)))  # type: ignore[arg-type]
    assert_in_order(text, order)
    assert "{{" not in text and "tinhso-body" not in text
    assert "\n2\n" in text  # the second page's number, alone on its line at the top
