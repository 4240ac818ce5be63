"""The two default Word templates of a report, built here and committed as
``data/templates/state.docx`` and ``party.docx`` (``tinhso reports build-templates`` writes them
again after a change here).

A template is a .docx with Jinja tags (docxtpl) for the frame, and ``{{ body }}`` alone in a
paragraph where the body's headings, paragraphs, tables and figures go. The tags a template may
use: ``parent_body``, ``issuing_body``, ``number_line`` ("Số: 05/BC-UBND"), ``place_date``
("Khánh Hòa, ngày 05 tháng 01 năm 2026"), ``doc_type``, ``summary``, ``recipients`` (the lines
under "Nơi nhận:", with their dashes, "- Lưu: VT." last), ``authority``, ``deputy``, ``title``,
``name`` (the signature), ``body``. A new line in a value ("ỦY BAN NHÂN DÂN", new line, "TỈNH KHÁNH
HÒA") is a line break in the document.

``state``: Decree 30/2020/NĐ-CP, Appendix I (the administrative document of a state body).
``party``: Guidance 36-HD/VPTW of 2018 (a Party document: "ĐẢNG CỘNG SẢN VIỆT NAM" at the right
with a rule, the committee at the left with a "*" under it, "Số 15-BC/TU"). No Django.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from tinhso.reports.document import Layout
from tinhso.reports.frame_text import MOTTO, NATIONAL_NAME, PARTY_NAME, RECIPIENTS_LABEL
from tinhso.reports.word_styles import document_defaults, ensure_styles
from tinhso.reports.word_xml import (
    fixed_widths,
    page_field,
    row_cant_split,
    rule_paragraph,
    set_fonts,
    table_borders,
)

TEMPLATES_DIR = Path(__file__).parent / "data" / "templates"
LAYOUTS: tuple[Layout, ...] = ("state", "party")
BODY_TAG = "{{ body }}"
TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the left and right margins
# The header's columns: the issuing body's and the national name's (the Party's name is
# shorter, the committee's names longer).
HEADER_COLUMNS_MM = {"state": (65.0, 100.0), "party": (72.0, 93.0)}
CELL_MARGINS_MM = 2 * 1.9  # Word's default cell margins, left and right
# The motto and the Party's name measured in Liberation Serif Bold (Times New Roman's metrics):
# their rules are as long as the text.
MOTTO_14PT_MM = 65.5
PARTY_NAME_14PT_MM = 67.9


@dataclass(frozen=True)
class Line:
    """A paragraph of the frame: text (with Jinja tags) and how it is written."""

    text: str
    size: float = 13
    bold: bool = False
    italic: bool = False
    underline: bool = False
    rule_mm: float = 0  # a centred rule this long under the line (0: none)
    keep: bool = True  # keep with the next paragraph
    left: bool = False  # aligned left (the recipients), else centred


def _write(paragraph_owner: _Cell | Document, line: Line, room_mm: float) -> None:
    paragraph = paragraph_owner.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT if line.left else WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Mm(0), Pt(0), Pt(0)
    fmt.line_spacing = 1.0
    fmt.keep_with_next = line.keep
    if line.text:
        run = paragraph.add_run(line.text)
        run.font.size, run.font.bold, run.font.italic = Pt(line.size), line.bold, line.italic
        run.font.underline = line.underline or None
        set_fonts(run._r.get_or_add_rPr())
    if line.rule_mm:
        rule = paragraph_owner.add_paragraph()
        rule_paragraph(rule, line.rule_mm, room_mm)
        rule.paragraph_format.keep_with_next = line.keep


def _fill(cell: _Cell, lines: list[Line], room_mm: float) -> None:
    """Write ``lines`` into a cell (a new cell has one empty paragraph: it is used first)."""
    first = cell.paragraphs[0]
    for line in lines:
        _write(cell, line, room_mm)
    first._p.getparent().remove(first._p)


def _if(tag: str, line: Line) -> list[Line]:
    """The line only when the tag has a value (docxtpl drops the ``{%p %}`` paragraphs)."""
    return [Line(f"{{%p if {tag} %}}"), line, Line("{%p endif %}")]


def _two_columns(document: Document, rows: list[tuple[list[Line], list[Line]]],
                 widths: tuple[float, float]) -> None:
    table = document.add_table(rows=len(rows), cols=2)
    table_borders(table, visible=False)
    fixed_widths(table, list(widths))
    for row, (left, right) in zip(table.rows, rows, strict=True):
        _fill(row.cells[0], left, widths[0] - CELL_MARGINS_MM)
        _fill(row.cells[1], right, widths[1] - CELL_MARGINS_MM)


def _header_rows(layout: Layout) -> list[tuple[list[Line], list[Line]]]:
    if layout == "party":
        return [
            ([*_if("parent_body", Line("{{ parent_body }}", 14)),
              Line("{{ issuing_body }}", 14, bold=True), Line("*", 14)],
             [Line(PARTY_NAME, 14, bold=True, rule_mm=PARTY_NAME_14PT_MM)]),
            ([Line("{{ number_line }}", 14)],
             [Line(""), Line("{{ place_date }}", 14, italic=True)]),
        ]
    return [
        ([*_if("parent_body", Line("{{ parent_body }}", 13)),
          Line("{{ issuing_body }}", 13, bold=True, rule_mm=25)],
         [Line(NATIONAL_NAME, 13, bold=True), Line(MOTTO, 14, bold=True, rule_mm=MOTTO_14PT_MM)]),
        ([Line(""), Line("{{ number_line }}", 13)],
         [Line(""), Line("{{ place_date }}", 14, italic=True)]),
    ]


def _signature_rows(layout: Layout) -> list[tuple[list[Line], list[Line]]]:
    if layout == "party":
        label = Line(RECIPIENTS_LABEL, 14, underline=True, left=True)
        entry = Line("{{ line }}", 12, left=True)
    else:
        label = Line(RECIPIENTS_LABEL, 12, bold=True, italic=True, left=True)
        entry = Line("{{ line }}", 11, left=True)
    left = [Line(""), label, Line("{%p for line in recipients %}"), entry,
            Line("{%p endfor %}", keep=False)]
    right = (_if("authority", Line("{{ authority }}", 14, bold=True))
             + _if("deputy", Line("{{ deputy }}", 14, bold=True))
             + [Line("{{ title }}", 14, bold=True), Line(""), Line(""), Line(""), Line(""),
                Line("{{ name }}", 14, bold=True, keep=False)])
    return [(left, right)]


def _page(document: Document) -> None:
    """A4 portrait, margins 20/20/30/15 mm; the page's number centred at the top from page 2."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.first_line_indent = Mm(0)
    header.paragraph_format.space_after = Pt(0)
    page_field(header, 13)
    first = section.first_page_header.paragraphs[0]
    first.paragraph_format.first_line_indent = Mm(0)


def _title(document: Document) -> None:
    _write(document, Line(""), TEXT_WIDTH_MM)
    _write(document, Line("{{ doc_type }}", 14, bold=True), TEXT_WIDTH_MM)
    _write(document, Line("{{ summary }}", 14, bold=True, rule_mm=40), TEXT_WIDTH_MM)
    _write(document, Line("", keep=False), TEXT_WIDTH_MM)


def build_template(layout: Layout) -> bytes:
    """The default template of ``layout`` as .docx bytes."""
    document = new_document()
    document_defaults(document)
    ensure_styles(document)
    _page(document)
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _two_columns(document, _header_rows(layout), HEADER_COLUMNS_MM[layout])
    _title(document)
    document.add_paragraph(BODY_TAG)
    half = TEXT_WIDTH_MM / 2
    _two_columns(document, _signature_rows(layout), (half - 10, half + 10))
    row_cant_split(document.tables[-1].rows[0])
    document.core_properties.title = "tinhso: " + layout
    document.core_properties.author = "tinhso"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def default_template(layout: Layout) -> bytes:
    """The committed default template of ``layout``."""
    return (TEMPLATES_DIR / f"{layout}.docx").read_bytes()


def write_templates(directory: Path = TEMPLATES_DIR) -> list[Path]:
    """Build both default templates into ``directory``; the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for layout in LAYOUTS:
        path = directory / f"{layout}.docx"
        path.write_bytes(build_template(layout))
        written.append(path)
    return written
