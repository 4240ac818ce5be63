"""The pieces of WordprocessingML that python-docx has no call for: fonts named for every script
(``w:rFonts`` ascii, hAnsi, eastAsia and cs, so LibreOffice picks Times New Roman, or Liberation
Serif with its metrics, for Vietnamese too), borders (a table without any; a paragraph's bottom
border drawn as a rule), a row that does not split, a header row repeated on each page, a PAGE
field. Used by the template builder and by the renderer of the body. No Django.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

Xml = Any  # an lxml element of the document (python-docx types none of its own)
FONT = "Times New Roman"
FONT_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def child(parent: Xml, tag: str) -> Xml:
    """The first ``tag`` under ``parent``, added at the end when there is none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def set_fonts(rpr: Xml, name: str = FONT) -> None:
    """Name the font for every script of a run's (or a style's) properties."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in FONT_ATTRIBUTES:
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def set_size_cs(rpr: Xml, points: float) -> None:
    """The size of complex-script text too (``w:szCs``), as Word writes it."""
    child(rpr, "w:szCs").set(qn("w:val"), str(int(points * 2)))


def _border(tag: str, value: str, size: int = 6) -> Xml:
    edge = OxmlElement(tag)
    edge.set(qn("w:val"), value)
    if value != "nil":
        edge.set(qn("w:sz"), str(size))  # eighths of a point
        edge.set(qn("w:space"), "1")
        edge.set(qn("w:color"), "000000")
    return edge


TABLE_EDGES = ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV")


def table_borders(table: Table, visible: bool) -> None:
    """Every border of the table drawn (a data table) or none at all (the header, the
    signature block), whatever the table style says."""
    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for tag in TABLE_EDGES:
        borders.append(_border(tag, "single" if visible else "nil", 4))
    # tblBorders comes after tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing and tblInd in the schema's order.
    anchor = None
    for tag in ("w:tblInd", "w:tblCellSpacing", "w:jc", "w:tblW", "w:tblStyle"):
        anchor = tblpr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addnext(borders)
    else:
        tblpr.insert(0, borders)


def fixed_widths(table: Table, widths_mm: list[float]) -> None:
    """Column widths written in the grid and in every cell, with a fixed layout, so Word and
    LibreOffice draw the same columns."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)
    tblw = child(table._tbl.tblPr, "w:tblW")
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))


def row_cant_split(row: _Row) -> None:
    """The row stays on one page (the signature block with the recipients)."""
    child(row._tr.get_or_add_trPr(), "w:cantSplit").set(qn("w:val"), "true")


def row_repeats(row: _Row) -> None:
    """The row is repeated at the top of each page the table runs on (its header)."""
    child(row._tr.get_or_add_trPr(), "w:tblHeader").set(qn("w:val"), "true")


def paragraph_rule(paragraph: Paragraph, size: int = 6) -> None:
    """A line under the paragraph, as wide as the paragraph (narrowed by its indents)."""
    ppr = paragraph._p.get_or_add_pPr()
    old = ppr.find(qn("w:pBdr"))
    if old is not None:
        ppr.remove(old)
    borders = OxmlElement("w:pBdr")
    borders.append(_border("w:bottom", "single", size))
    # pBdr follows keepNext, keepLines, pageBreakBefore, framePr, widowControl, numPr,
    # suppressLineNumbers; before shd, tabs, spacing, ind, jc...
    after = None
    for tag in ("w:numPr", "w:widowControl", "w:pageBreakBefore", "w:keepLines", "w:keepNext",
                "w:pStyle"):
        after = ppr.find(qn(tag))
        if after is not None:
            break
    if after is not None:
        after.addnext(borders)
    else:
        ppr.insert(0, borders)


def rule_paragraph(paragraph: Paragraph, length_mm: float, room_mm: float) -> None:
    """Make an empty paragraph a centred horizontal rule ``length_mm`` long in a space
    ``room_mm`` wide: its bottom border, between indents, with a mark of 1 pt so the line sits
    right under the text above."""
    side = max((room_mm - length_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Mm(side), Mm(side), Mm(0)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph_rule(paragraph)
    mark = child(paragraph._p.get_or_add_pPr(), "w:rPr")
    child(mark, "w:sz").set(qn("w:val"), "2")
    child(mark, "w:szCs").set(qn("w:val"), "2")


def page_field(paragraph: Paragraph, points: float) -> None:
    """The page's number as a PAGE field (Word and LibreOffice fill it in)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(points * 2)))
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
