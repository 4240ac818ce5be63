"""A report as PDF, laid out as Decree 30/2020/NĐ-CP, Appendix I (or the Party's layout): the
HTML template ``reports/pdf/report.html`` with the stylesheet ``reports/pdf/report.css``, set by
WeasyPrint (``core.pdf``: fonts embedded as subsets, Times New Roman, or Liberation Serif with
its metrics, or DejaVu Serif, each with the whole Vietnamese alphabet). Headings are numbered
as in Word (``numbering.py``). Written in the official language.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tinhso.core.pdf import html_to_pdf
from tinhso.reports.document import Figure, Heading, Paragraph, Report, Table
from tinhso.reports.frame_text import (
    MOTTO,
    NATIONAL_NAME,
    PARTY_NAME,
    RECIPIENTS_LABEL,
    cell_text,
    number_line,
    place_and_date,
    recipient_lines,
    signature_lines,
)
from tinhso.reports.numbering import numbered_headings
from tinhso.reports.output import register

STYLESHEET = Path(__file__).parent / "static" / "reports" / "pdf" / "report.css"
PX_PER_MM = 96 / 25.4
ALIGN = {"int": "number", "decimal": "number", "percent": "number", "date": "date",
         "text": "text"}


def _table(table: Table) -> dict[str, Any]:
    rows = []
    for row in table.rows:
        cells = []
        for value, column in zip(row, table.columns, strict=False):
            align = "blank" if value is None else ALIGN.get(column.kind, "text")
            if isinstance(value, str):
                align = "text"
            cells.append({"text": cell_text(value, column), "align": align})
        rows.append(cells)
    return {"kind": "table", "caption": table.caption, "columns": table.columns, "rows": rows,
            "note": table.note}


def _figure(figure: Figure) -> dict[str, Any]:
    data = base64.b64encode(figure.png).decode("ascii")
    return {"kind": "figure", "src": f"data:image/png;base64,{data}", "caption": figure.caption,
            "width_px": round(figure.width_mm * PX_PER_MM)}


def blocks_context(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    headings = numbered_headings(report.blocks)
    for index, block in enumerate(report.blocks):
        if isinstance(block, Heading):
            out.append({"kind": "heading", "text": headings[index],
                        "level": min(max(block.level, 1), 3)})
        elif isinstance(block, Paragraph):
            out.append({"kind": "paragraph", "text": block.text})
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Figure):
            out.append(_figure(block))
    return out


def report_html(report: Report) -> str:
    """The report as the HTML WeasyPrint sets (in the official language)."""
    frame = report.frame
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("reports/pdf/report.html", {
            "report": report, "blocks": blocks_context(report),
            "number_line": number_line(frame), "place_and_date": place_and_date(frame),
            "national_name": NATIONAL_NAME, "motto": MOTTO, "party_name": PARTY_NAME,
            "recipients_label": RECIPIENTS_LABEL, "recipients": recipient_lines(frame),
            "signature_lines": signature_lines(frame)})


@register("pdf", "application/pdf")
def render_pdf(report: Report) -> bytes:
    return html_to_pdf(report_html(report), [STYLESHEET])
