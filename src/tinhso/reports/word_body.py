"""The body of a Word report: headings, paragraphs, tables and figures written with python-docx
straight into the rendered template, where ``{{ body }}`` stood. No Django.

Tables are real Word tables: every border drawn, the header row bold, centred and repeated on
each page, numbers right-aligned and written the Vietnamese way (1.234; 64,06 %; 27/11/2026;
"–" where there is no figure, never 0), the caption above and the note below in italics.
"""

from __future__ import annotations

import io
from typing import Any

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph

from tinhso.reports.document import Block, Column, Figure, Heading, Paragraph, Table
from tinhso.reports.frame_text import cell_text
from tinhso.reports.numbering import numbered_headings
from tinhso.reports.word_styles import (
    CAPTION,
    FIGURE,
    HEADING,
    NOTE,
    TABLE_HEAD,
    TABLE_NUMBER,
    TABLE_TEXT,
)
from tinhso.reports.word_xml import child, fixed_widths, row_repeats, table_borders

NUMERIC = ("int", "decimal", "percent")


def column_widths(columns: tuple[Column, ...], room_mm: float) -> list[float]:
    """Text columns twice as wide as the figures', together ``room_mm``."""
    weights = [1.0 if column.kind in NUMERIC or column.kind == "date" else 2.0
               for column in columns]
    total = sum(weights) or 1.0
    return [room_mm * weight / total for weight in weights]


def _paragraph(document: Document, text: str, style: str) -> DocxParagraph:
    return document.add_paragraph(text, style=style)


def _cell(width_twips: int, text: str, style_id: str) -> Any:
    """A table cell as WordprocessingML: its width, one paragraph of the style, the text."""
    cell = OxmlElement("w:tc")
    props = child(cell, "w:tcPr")
    width = child(props, "w:tcW")
    width.set(qn("w:w"), str(width_twips))
    width.set(qn("w:type"), "dxa")
    paragraph = child(cell, "w:p")
    child(child(paragraph, "w:pPr"), "w:pStyle").set(qn("w:val"), style_id)
    run = child(paragraph, "w:r")
    piece = child(run, "w:t")
    piece.text = text
    piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return cell


def _rows(document: Document, table: Table, widths: list[float]) -> list[Any]:
    """The data rows, built as XML: python-docx's cell calls walk the whole table each time,
    which takes seconds for a table of a thousand rows; this is linear."""
    number_id = document.styles[TABLE_NUMBER].style_id
    text_id = document.styles[TABLE_TEXT].style_id
    twips = [int(Mm(width).twips) for width in widths]
    rows = []
    for values in table.rows:
        row = OxmlElement("w:tr")
        for column, value, width in zip(table.columns, values, twips, strict=False):
            numeric = column.kind in NUMERIC and not isinstance(value, str)
            row.append(_cell(width, cell_text(value, column), number_id if numeric else text_id))
        rows.append(row)
    return rows


def _table(document: Document, table: Table, room_mm: float) -> list[object]:
    """The caption, the table and its note; the elements made, in order."""
    made: list[object] = []
    if table.caption:
        made.append(_paragraph(document, table.caption, CAPTION)._p)
    grid = document.add_table(rows=1, cols=max(len(table.columns), 1))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    table_borders(grid, visible=True)
    widths = column_widths(table.columns, room_mm)
    fixed_widths(grid, widths)
    head = grid.rows[0]
    row_repeats(head)
    for cell, column in zip(head.cells, table.columns, strict=False):
        cell.paragraphs[0].text = column.title
        cell.paragraphs[0].style = document.styles[TABLE_HEAD]
    for row in _rows(document, table, widths):
        grid._tbl.append(row)
    made.append(grid._tbl)
    if table.note:
        made.append(_paragraph(document, table.note, NOTE)._p)
    return made


def _figure(document: Document, figure: Figure, room_mm: float) -> list[object]:
    picture = _paragraph(document, "", FIGURE)
    picture.add_run().add_picture(io.BytesIO(figure.png), width=Mm(min(figure.width_mm, room_mm)))
    made: list[object] = [picture._p]
    if figure.caption:
        caption = _paragraph(document, figure.caption, NOTE)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        made.append(caption._p)
    return made


def write_body(document: Document, blocks: tuple[Block, ...], marker: DocxParagraph,
               room_mm: float) -> None:
    """Write ``blocks`` where ``marker`` stands, then take the marker away. Each block is
    made at the end of the document and moved before the marker."""
    headings = numbered_headings(blocks)
    for index, block in enumerate(blocks):
        made: list[object]
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            made = [_paragraph(document, headings[index], HEADING[level - 1])._p]
        elif isinstance(block, Paragraph):
            made = [document.add_paragraph(block.text)._p]
        elif isinstance(block, Table):
            made = _table(document, block, room_mm)
        elif isinstance(block, Figure):
            made = _figure(document, block, room_mm)
        else:  # pragma: no cover - Block is a closed union
            raise TypeError(f"not a block: {block!r}")
        for element in made:
            marker._p.addprevious(element)
    marker._p.getparent().remove(marker._p)
