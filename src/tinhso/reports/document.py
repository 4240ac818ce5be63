"""A report as data: the administrative frame (who issues it, number and symbol, place and
date, type and summary, recipients, signature) and the body as a list of blocks (headings,
paragraphs, tables, figures). Every report type builds one of these from the same selectors the
pages use; each output format (Word, Excel, PDF) renders it. Pure: no Django.

The frame follows Decree 30/2020/NĐ-CP, Appendix I (``layout="state"``) or the Party's own
layout (``layout="party"``: "ĐẢNG CỘNG SẢN VIỆT NAM", notation ``-BC/TU``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Layout = Literal["state", "party"]
# What a column holds, so each format writes it as a number, a percentage or a date of its own
# kind (a real number in Excel with a Vietnamese format, "64,06 %" in Word and PDF).
ColumnKind = Literal["text", "int", "decimal", "percent", "date"]
Cell = str | int | float | date | None  # None: no figure ("not published" is never zero)


@dataclass(frozen=True)
class Signature:
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN" (on behalf of the collective), or ""
    deputy: str = ""  # "KT. CHỦ TỊCH" (signing for the head), or ""
    title: str = ""  # "PHÓ CHỦ TỊCH"
    name: str = ""  # the signer's full name; "" leaves the line for the hand


@dataclass(frozen=True)
class Frame:
    layout: Layout
    parent_body: str  # "ỦY BAN NHÂN DÂN" line above, in capitals ("" when there is none)
    issuing_body: str  # "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" / "TỈNH ỦY KHÁNH HÒA", in capitals
    number: int | None  # None: not yet numbered (a draft: "Số:      /BC-UBND")
    symbol: str  # "BC-UBND", "BC/TU"
    place: str  # "Khánh Hòa"
    day: date
    doc_type: str  # "BÁO CÁO"
    summary: str  # "Tiến độ thực hiện Chương trình chuyển đổi số quý IV năm 2026"
    recipients: tuple[str, ...] = ()  # "Bộ Khoa học và Công nghệ;" ... (without the "- ")
    archive: str = "Lưu: VT."  # the last recipient line
    signature: Signature = field(default_factory=Signature)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. ...", 2: "1. ...", 3: "a) ..."


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    digits: int = 0  # decimals shown for "decimal" and "percent"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""  # under the table: sources, "illustrative", what a blank means


@dataclass(frozen=True)
class Figure:
    png: bytes  # the chart, drawn on the server
    caption: str
    width_mm: float = 150


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Report:
    kind: str  # the report type's code: "programme", "indicators", "dti", "services"
    frame: Frame
    blocks: tuple[Block, ...]
    parameters: dict[str, str] = field(default_factory=dict)  # period, unit... as asked
    data_version: str = ""  # what the figures were read from (see reports.versions)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
