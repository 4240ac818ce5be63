"""A report as a Word document (.docx), registered as the format ``docx``.

Two steps. The frame (header table, number and symbol, place and date, type and summary,
recipients, signature) is a .docx TEMPLATE rendered by docxtpl: an administrator can replace it
in Word (``reports.templates``), and the renderer uses the active replacement of the layout
when there is one. Where the template has ``{{ body }}`` alone in a paragraph, docxtpl writes a
marker; python-docx then opens the rendered document and writes the body's blocks (headings,
paragraphs, real tables, pictures) before the marker, in the same document, so pictures, styles
and tables belong to it with nothing to merge, and takes the marker away.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as open_document
from docx.document import Document
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from tinhso.reports.document import Frame, Report
from tinhso.reports.frame_text import number_line, place_and_date, recipient_lines
from tinhso.reports.output import register
from tinhso.reports.word_body import write_body
from tinhso.reports.word_store import current_template
from tinhso.reports.word_styles import ensure_styles

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_MARKER = "\u27e6tinhso-body\u27e7"  # what docxtpl writes for {{ body }}


class TemplateBroken(ValueError):
    """The template cannot make a report: the message says why (shown to the administrator
    who uploads it; never raised for the committed defaults)."""


def frame_context(frame: Frame) -> dict[str, Any]:
    """The values of a template's tags."""
    signature = frame.signature
    return {
        "layout": frame.layout,
        "parent_body": frame.parent_body,
        "issuing_body": frame.issuing_body,
        "number_line": number_line(frame),
        "place_date": place_and_date(frame),
        "doc_type": frame.doc_type,
        "summary": frame.summary,
        "recipients": recipient_lines(frame),
        "authority": signature.authority,
        "deputy": signature.deputy,
        "title": signature.title,
        "name": signature.name,
        "body": BODY_MARKER,
    }


def _fill_frame(template: bytes, frame: Frame) -> bytes:
    try:
        document = DocxTemplate(io.BytesIO(template))
        # Sandboxed: an uploaded template's Jinja reaches nothing but the values given; strict:
        # a misspelt tag is an error, not a blank.
        environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
        document.render(frame_context(frame), jinja_env=environment, autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = (_(" (line %d)") % line) if line else ""
        raise TemplateBroken(_("a Jinja tag of the template is wrong%(where)s: %(error)s")
                             % {"where": where, "error": exc}) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TemplateBroken(_("the template is not a Word document (.docx): %s") % exc) from exc
    return out.getvalue()


def body_marker(document: Document) -> DocxParagraph:
    """The paragraph where the body goes: the only one in the document's body (not in a table)
    whose whole text is the marker."""
    found = [p for p in document.paragraphs if p.text.strip() == BODY_MARKER]
    if len(found) != 1:
        raw = sum(p.text.count(BODY_MARKER) for p in document.paragraphs)
        nested = sum(cell.text.count(BODY_MARKER) for table in document.tables
                     for row in table.rows for cell in row.cells)
        if not found and not raw and not nested:
            raise TemplateBroken(_("the template has no {{ body }} tag: put it alone in a "
                                   "paragraph where the report's body goes (written {{ body }}, "
                                   "not {{p body }})"))
        if nested and not found:
            raise TemplateBroken(_("the {{ body }} tag is in a table: put it alone in a "
                                 "paragraph of the document's body"))
        if len(found) > 1 or raw > 1:
            raise TemplateBroken(_("the template has {{ body }} more than once"))
        raise TemplateBroken(_("the {{ body }} tag must be alone in its paragraph"))
    return found[0]


def text_width_mm(document: Document) -> float:
    section = document.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return max(width / 36000, 50.0)  # EMU per mm


def render_with(report: Report, template: bytes) -> bytes:
    """``report`` written with the template ``template`` (.docx bytes)."""
    filled = _fill_frame(template, report.frame)
    document = open_document(io.BytesIO(filled))
    ensure_styles(document)
    marker = body_marker(document)
    write_body(document, report.blocks, marker, text_width_mm(document))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@register("docx", CONTENT_TYPE)
def render_docx(report: Report, template: bytes | None = None) -> bytes:
    """The report as .docx bytes, with ``template`` or else the layout's current template (an
    administrator's replacement, or the default)."""
    if template is None:
        template = current_template(report.frame.layout)
    return render_with(report, template)
