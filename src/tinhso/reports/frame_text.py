"""The words of a report's frame and the text of its cells, as every format writes them (Word,
PDF, Excel's title sheet), so the formats never differ by a zero. Pure: no Django.

Decree 30/2020/NĐ-CP, Appendix I: a number below 10 takes a leading zero ("Số: 05/BC-UBND");
in the date, a day below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm
2026", "ngày 05 tháng 3 năm 2026", "ngày 27 tháng 11 năm 2026"). The Party's layout writes
"Số 15-BC/TU" (no colon, a hyphen before the symbol).

A "percent" cell holds the percentage itself (64.06 is written "64,06 %"), as
``core.numbers.format_percent`` takes it; Excel divides by 100 to store a real percentage.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tinhso.core.numbers import format_number, format_percent
from tinhso.reports.document import Cell, Column, Frame

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_LABEL = "Nơi nhận:"
NO_FIGURE = "–"  # a blank cell: no figure, never zero
DRAFT_NUMBER = "\u00a0" * 6  # room for the number the clerk writes when the report is issued


def document_number(number: int | None) -> str:
    """05 for 5, 15 for 15, blank room for a draft that has no number yet."""
    if number is None:
        return DRAFT_NUMBER
    return f"{number:02d}"


def number_line(frame: Frame) -> str:
    """"Số: 05/BC-UBND" (state) or "Số 15-BC/TU" (Party)."""
    number = document_number(frame.number)
    if frame.layout == "party":
        return f"Số {number}-{frame.symbol}"
    return f"Số: {number}/{frame.symbol}"


def date_words(day: date) -> str:
    """"ngày 05 tháng 01 năm 2026": leading zero on days 1-9 and on months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(frame: Frame) -> str:
    """"Khánh Hòa, ngày 05 tháng 01 năm 2026" (written in italics by the formats)."""
    return f"{frame.place}, {date_words(frame.day)}"


def recipient_lines(frame: Frame) -> list[str]:
    """The entries under "Nơi nhận:", each with its dash, the archive line last."""
    lines = [f"- {r}" for r in frame.recipients]
    if frame.archive:
        lines.append(f"- {frame.archive}")
    return lines


def signature_lines(frame: Frame) -> list[str]:
    """Authority, deputy and title, the lines above the signer's name (blank ones dropped)."""
    sig = frame.signature
    return [line for line in (sig.authority, sig.deputy, sig.title) if line]


def short_date(day: date) -> str:
    """27/11/2026."""
    return day.strftime("%d/%m/%Y")


def cell_text(value: Cell, column: Column, lang: str = "vi") -> str:
    """A cell as the page writes it: 1.234; 0,71; 64,06 %; 27/11/2026; "–" for no figure."""
    if value is None or value == "":
        return NO_FIGURE
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, str):
        return value
    if column.kind == "percent":
        return format_percent(Decimal(str(value)), column.digits, lang)
    if column.kind == "int":
        return format_number(value, 0, lang)
    if column.kind == "decimal":
        return format_number(value, column.digits, lang)
    return format_number(value, column.digits, lang) if isinstance(value, float) else str(value)
