"""The headings' numbers: I., 1., a), each level counted again under its parent; a heading that
brings its own number keeps it."""

from __future__ import annotations

from tinhso.reports.document import Heading, Paragraph
from tinhso.reports.numbering import numbered_headings, roman


def test_levels_count_again_under_their_parent() -> None:
    blocks = (Heading("Kết quả"), Heading("Chính quyền số", 2), Heading("Dịch vụ", 3),
              Paragraph("..."), Heading("Hạ tầng", 3), Heading("Kinh tế số", 2),
              Heading("Dữ liệu", 3), Heading("Nhiệm vụ"), Heading("Tổ chức", 2))
    assert list(numbered_headings(blocks).values()) == [
        "I. Kết quả", "1. Chính quyền số", "a) Dịch vụ", "b) Hạ tầng", "2. Kinh tế số",
        "a) Dữ liệu", "II. Nhiệm vụ", "1. Tổ chức"]
    assert 3 not in numbered_headings(blocks)  # a paragraph has no number


def test_a_heading_with_its_own_number_keeps_it_and_is_not_counted() -> None:
    blocks = (Heading("I. ĐÁNH GIÁ CHUNG"), Heading("2.1. Hạ tầng", 2), Heading("Giải pháp"))
    assert list(numbered_headings(blocks).values()) == [
        "I. ĐÁNH GIÁ CHUNG", "2.1. Hạ tầng", "I. Giải pháp"]


def test_roman_numbers() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
