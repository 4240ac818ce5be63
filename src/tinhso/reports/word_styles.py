"""The paragraph styles of a report, by name, so an administrator who replaces a template can
restyle the body in Word (Home > Styles) without touching the code. The default templates carry
them; a replaced template that lacks one gets it added here with the defaults of Decree
30/2020/NĐ-CP (Times New Roman; body 14 pt, justified, first line indented 1 cm, 6 pt after,
single line spacing). No Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle

from tinhso.reports.word_xml import FONT, child, set_fonts, set_size_cs

BODY_PT = 14


@dataclass(frozen=True)
class StyleSpec:
    name: str
    size: float = BODY_PT
    bold: bool = False
    italic: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent_mm: float = 10  # the first line's
    before: float = 0
    after: float = 6
    keep_next: bool = False


HEADING = ("Report Heading 1", "Report Heading 2", "Report Heading 3")
TABLE_TEXT = "Report Table Text"
TABLE_HEAD = "Report Table Header"
TABLE_NUMBER = "Report Table Number"
CAPTION = "Report Caption"
NOTE = "Report Note"
FIGURE = "Report Figure"

SPECS = (
    StyleSpec(HEADING[0], bold=True, before=6, keep_next=True),
    StyleSpec(HEADING[1], bold=True, before=3, keep_next=True),
    StyleSpec(HEADING[2], bold=True, italic=False, keep_next=True),
    StyleSpec(TABLE_TEXT, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, indent_mm=0, before=2,
              after=2),
    StyleSpec(TABLE_HEAD, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent_mm=0,
              before=2, after=2),
    StyleSpec(TABLE_NUMBER, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_mm=0, before=2,
              after=2),
    StyleSpec(CAPTION, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent_mm=0,
              before=6, after=3, keep_next=True),
    StyleSpec(NOTE, size=12, italic=True, indent_mm=0, before=3, after=6),
    StyleSpec(FIGURE, align=WD_ALIGN_PARAGRAPH.CENTER, indent_mm=0, before=6, after=0,
              keep_next=True),
)


def _font(style: ParagraphStyle, size: float, bold: bool, italic: bool) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr)
    set_size_cs(rpr, size)


def document_defaults(document: Document) -> None:
    """Times New Roman for every script in the document's defaults and its Normal style, which
    is the body's: 14 pt, justified, first line 1 cm, 6 pt after, single spacing."""
    styles = document.styles.element
    defaults = child(styles, "w:docDefaults")
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr)
    child(rpr, "w:sz").set(qn("w:val"), str(BODY_PT * 2))
    set_size_cs(rpr, BODY_PT)
    child(rpr, "w:lang").set(qn("w:val"), "vi-VN")
    for style in styles.findall(qn("w:style")):  # the built-in styles that name a font
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            set_fonts(rpr)
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _font(normal, BODY_PT, False, False)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(10)
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.0
    fmt.widow_control = True


def add_style(document: Document, spec: StyleSpec) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _font(style, spec.size, spec.bold, spec.italic)
    fmt = style.paragraph_format
    fmt.alignment = spec.align
    fmt.first_line_indent = Mm(spec.indent_mm)
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    fmt.line_spacing = 1.0
    fmt.keep_with_next = spec.keep_next


def ensure_styles(document: Document) -> None:
    """Add the report's paragraph styles the document lacks (a replaced template keeps its own)."""
    names = {style.name for style in document.styles}
    for spec in SPECS:
        if spec.name not in names:
            add_style(document, spec)
