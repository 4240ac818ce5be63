"""The frame's words as Decree 30/2020 writes them, shared by the Word, PDF and Excel formats."""

from __future__ import annotations

from datetime import date

import pytest

from tinhso.reports.document import Column, Frame, Signature
from tinhso.reports.frame_text import (
    cell_text,
    date_words,
    number_line,
    place_and_date,
    recipient_lines,
    signature_lines,
)


def frame(**changes: object) -> Frame:
    values: dict[str, object] = {
        "layout": "state", "parent_body": "", "issuing_body": "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "number": 5, "symbol": "BC-UBND", "place": "Khánh Hòa", "day": date(2026, 1, 5),
        "doc_type": "BÁO CÁO", "summary": "Tiến độ chuyển đổi số",
        "recipients": ("Bộ Khoa học và Công nghệ;", "Thường trực Tỉnh ủy;"),
        "signature": Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn A"),
    }
    values.update(changes)
    return Frame(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("day", "words"), [
    (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
    (date(2026, 11, 27), "ngày 27 tháng 11 năm 2026"),
    (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
    (date(2026, 2, 10), "ngày 10 tháng 02 năm 2026"),
    (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
])
def test_the_date_takes_the_decrees_leading_zeros(day: date, words: str) -> None:
    assert date_words(day) == words


def test_the_state_number_line_has_a_colon_and_a_leading_zero() -> None:
    assert number_line(frame()) == "Số: 05/BC-UBND"
    assert number_line(frame(number=15)) == "Số: 15/BC-UBND"
    assert place_and_date(frame()) == "Khánh Hòa, ngày 05 tháng 01 năm 2026"


def test_the_party_number_line_has_a_hyphen_before_the_symbol() -> None:
    assert number_line(frame(layout="party", number=15, symbol="BC/TU")) == "Số 15-BC/TU"


def test_a_draft_leaves_room_for_the_number() -> None:
    line = number_line(frame(number=None))
    assert line.startswith("Số: ") and line.endswith("/BC-UBND")
    assert not any(ch.isdigit() for ch in line)


def test_recipients_end_with_the_archive_and_signature_drops_blank_lines() -> None:
    assert recipient_lines(frame()) == [
        "- Bộ Khoa học và Công nghệ;", "- Thường trực Tỉnh ủy;", "- Lưu: VT."]
    assert signature_lines(frame(signature=Signature(title="CHỦ TỊCH"))) == ["CHỦ TỊCH"]


@pytest.mark.parametrize(("value", "column", "text"), [
    (1234, Column("n", "int"), "1.234"),
    (0.7071, Column("n", "decimal", 2), "0,71"),
    (64.06, Column("n", "percent", 2), "64,06\u00a0%"),
    (date(2026, 11, 27), Column("d", "date"), "27/11/2026"),
    (None, Column("n", "int"), "–"),
    (0, Column("n", "int"), "0"),
    ("16/34", Column("r"), "16/34"),
])
def test_cells_are_written_as_the_pages_write_them(value: object, column: Column,
                                                    text: str) -> None:
    assert cell_text(value, column) == text  # type: ignore[arg-type]


def test_english_cells_use_english_separators() -> None:
    assert cell_text(1234.5, Column("n", "decimal", 1), lang="en") == "1,234.5"
