"""The Word report against Decree 30/2020/NĐ-CP, Appendix I (and the Party's layout): the
rendered .docx parsed back with python-docx, as a clerk checking the format would."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from docx import Document as open_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from tests.factories.reports import INDICATORS, sample_report
from tinhso.reports.output import format_of, render
from tinhso.reports.word import render_docx
from tinhso.reports.word_styles import TABLE_HEAD, TABLE_NUMBER
from tinhso.reports.word_templates import default_template

TIMES = "Times New Roman"


def parsed(layout: str = "state", **frame: Any) -> Document:
    report = sample_report(layout, **frame)  # type: ignore[arg-type]
    return open_document(io.BytesIO(render_docx(report, default_template(layout))))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def state() -> Document:
    return parsed("state")


@pytest.fixture(scope="module")
def party() -> Document:
    return parsed("party")


def mm(length: int | None) -> float:
    return round(Emu(length or 0).mm, 1)


def paragraph(document: Document | Any, text: str) -> Paragraph:
    """The paragraph whose text is ``text`` (in the body or in the tables' cells)."""
    found = [p for p in document.paragraphs if p.text == text]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [p for p in cell.paragraphs if p.text == text]
    assert found, f"no paragraph “{text}”"
    return found[0]


def run_format(p: Paragraph) -> tuple[float, bool, bool]:
    """(size in points, bold, italic) of the paragraph's text, direct or from its style."""
    run = p.runs[0]
    size = run.font.size or p.style.font.size
    bold = run.font.bold if run.font.bold is not None else bool(p.style.font.bold)
    italic = run.font.italic if run.font.italic is not None else bool(p.style.font.italic)
    return size.pt, bool(bold), bool(italic)


def borderless(table: Table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(
        edge.get(qn("w:val")) in ("nil", "none") for edge in borders)


def has_rule_after(p: Paragraph) -> bool:
    following = p._p.getnext()
    return following is not None and following.find(qn("w:pPr") + "/" + qn("w:pBdr")) is not None


def test_the_page_is_a4_portrait_with_the_decrees_margins(state: Document) -> None:
    section = state.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert mm(section.top_margin) == 20.0 and mm(section.bottom_margin) == 20.0
    assert mm(section.left_margin) == 30.0 and mm(section.right_margin) == 15.0


def test_times_new_roman_is_named_for_every_script(state: Document) -> None:
    defaults = state.styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert defaults.get(qn(script)) == TIMES
    for style in state.styles:
        if getattr(style, "font", None) is not None and style.font.name:
            assert style.font.name == TIMES, style.name
    runs = [run for p in state.paragraphs for run in p.runs if run.font.name]
    assert all(run.font.name == TIMES for run in runs)


def test_the_body_is_14pt_justified_with_an_indented_first_line(state: Document) -> None:
    body = paragraph(state, "Tiếp tục đẩy mạnh chuyển đổi số trong năm 2026.")
    fmt = body.style.paragraph_format
    assert body.style.font.size == Pt(14) and body.style.font.name == TIMES
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert mm(fmt.first_line_indent) == 10.0
    assert fmt.space_after == Pt(6) and (fmt.line_spacing or 1.0) >= 1.0


def test_the_header_is_a_borderless_table_with_the_national_name_and_motto(
        state: Document) -> None:
    header = state.tables[0]
    assert borderless(header)
    left, right = header.rows[0].cells
    issuing = paragraph(left, "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")
    assert run_format(issuing) == (13.0, True, False) and has_rule_after(issuing)
    national = paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert run_format(national) == (13.0, True, False)
    motto = paragraph(right, "Độc lập - Tự do - Hạnh phúc")
    assert run_format(motto)[:2] == (14.0, True) and has_rule_after(motto)
    number, place = header.rows[1].cells
    assert "Số: 05/BC-UBND" in number.text
    assert run_format(paragraph(place, "Khánh Hòa, ngày 05 tháng 01 năm 2026"))[2] is True


def test_the_type_and_summary_are_bold_14pt_centred(state: Document) -> None:
    for text in ("BÁO CÁO", "Tiến độ thực hiện Chương trình chuyển đổi số quý IV năm 2025"):
        p = paragraph(state, text)
        assert run_format(p)[:2] == (14.0, True)
        assert p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert has_rule_after(paragraph(state, "Tiến độ thực hiện Chương trình chuyển đổi số quý "
                                           "IV năm 2025"))


def test_the_page_number_is_centred_at_the_top_from_the_second_page(state: Document) -> None:
    section = state.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert 'w:instr=" PAGE "' in header
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in section.first_page_header._element.xml


def test_recipients_and_signature_are_one_borderless_row_kept_on_a_page(state: Document) -> None:
    block = state.tables[-1]
    assert borderless(block) and len(block.rows) == 1
    assert block.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    left, right = block.rows[0].cells
    assert run_format(paragraph(left, "Nơi nhận:")) == (12.0, True, True)
    entries = [p for p in left.paragraphs if p.text.startswith("- ")]
    assert [p.text for p in entries] == ["- Bộ Khoa học và Công nghệ;", "- Thường trực Tỉnh ủy;",
                                         "- Lưu: VT, KGVX."]
    assert all(run_format(p)[0] == 11.0 for p in entries)
    lines = [p.text for p in right.paragraphs if p.text]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Mẫu"]
    assert all(run_format(paragraph(right, text))[1] for text in lines)


def test_a_table_is_a_real_table_with_vietnamese_numbers(state: Document) -> None:
    table = state.tables[1]
    head = table.rows[0]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None
    assert head.cells[0].paragraphs[0].style.name == TABLE_HEAD
    assert [c.text for c in table.rows[1].cells] == [
        "Hồ sơ trực tuyến toàn trình", "12.345", "64,06\u00a0%", "0,7071", "27/11/2026"]
    assert table.rows[1].cells[1].paragraphs[0].style.name == TABLE_NUMBER
    assert state.styles[TABLE_NUMBER].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    missing = [c.text for c in table.rows[2].cells[1:]]
    assert missing == ["–"] * 4  # no figure is never 0
    caption = table._tbl.getprevious()
    assert "Bảng 1." in "".join(caption.itertext())
    note = paragraph(state, "Nguồn: Cổng Dịch vụ công quốc gia; “–”: chưa công bố.")
    assert run_format(note)[0] == 12.0 and run_format(note)[2] is True


def test_headings_are_numbered_and_the_figure_is_a_picture(state: Document) -> None:
    texts = [p.text for p in state.paragraphs]
    assert texts.index("I. KẾT QUẢ THỰC HIỆN") < texts.index("1. Chính quyền số") \
        < texts.index("a) Dịch vụ công trực tuyến") < texts.index("II. NHIỆM VỤ, GIẢI PHÁP")
    assert run_format(paragraph(state, "I. KẾT QUẢ THỰC HIỆN"))[1] is True
    assert len(state.inline_shapes) == 1
    assert "{{" not in "\n".join(texts)


def test_a_draft_has_room_for_the_number() -> None:
    header = parsed("state", number=None).tables[0]
    assert "Số: " + "\u00a0" * 6 + "/BC-UBND" in header.rows[1].cells[0].text


def test_the_party_layout(party: Document) -> None:
    header = party.tables[0]
    assert borderless(header)
    left, right = header.rows[0].cells
    name = paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert run_format(name)[1] and has_rule_after(name)
    texts = [p.text for p in left.paragraphs]
    assert texts[texts.index("TỈNH ỦY") + 1] == "*"
    assert run_format(paragraph(left, "TỈNH ỦY"))[1] is True
    assert "Số 15-BC/TU" in header.rows[1].cells[0].text
    assert run_format(paragraph(header.rows[1].cells[1],
                                "Khánh Hòa, ngày 05 tháng 01 năm 2026"))[2] is True
    assert "CỘNG HÒA XÃ HỘI" not in "\n".join(p.text for p in party.paragraphs)
    assert mm(party.sections[0].left_margin) == 30.0


def test_docx_is_a_registered_format(db: None) -> None:
    fmt = format_of("docx")
    assert fmt.content_type.endswith("wordprocessingml.document")
    content = render(sample_report(), "docx")
    assert content.startswith(b"PK") and open_document(io.BytesIO(content)).tables


def test_a_line_break_in_the_issuing_body_is_kept() -> None:
    header = parsed("state", issuing_body="ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA").tables[0]
    issuing = header.rows[0].cells[0].paragraphs[0]
    assert issuing.text == "ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA"
    assert issuing._p.xpath(".//w:br")


def test_a_table_of_two_thousand_rows_is_written_in_seconds() -> None:
    big = replace(INDICATORS, rows=tuple(
        (f"Hồ sơ {i}", i * 7, i / 3, i / 7, date(2026, 1, 1)) for i in range(2000)))
    report = sample_report()
    report = replace(report, blocks=(*report.blocks, big))
    started = time.perf_counter()
    content = render_docx(report, default_template("state"))
    elapsed = time.perf_counter() - started
    table = open_document(io.BytesIO(content)).tables[2]
    assert len(table.rows) == 2001
    assert [c.text for c in table.rows[-1].cells][:3] == ["Hồ sơ 1999", "13.993", "666,33\u00a0%"]
    assert elapsed < 8, f"{elapsed:.1f} s"
