"""A report as an .xlsx workbook: a first sheet with the frame (issuing body, number and symbol,
place and date, type and summary, the parameters asked, the data version), then one sheet per
table (its caption as the title line, the columns' Vietnamese titles as the frozen header,
cells typed by ``Column.kind``: whole numbers "#,##0", decimals and percentages with their
digits, dates dd/mm/yyyy; a missing figure is a blank cell, explained in a note, never 0), then
one sheet per figure with the chart's image. Written in the official language.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font

from tinhso.core.table_export import DATE_FORMAT, INT_FORMAT, TEXT_FORMAT, Typed
from tinhso.core.xlsx_write import (
    XLSX_CONTENT_TYPE,
    Sheet,
    add_sheets,
    new_workbook,
    unique_names,
    workbook_bytes,
)
from tinhso.reports.document import Cell, Column, Figure, Report, Table
from tinhso.reports.frame_text import number_line, place_and_date
from tinhso.reports.output import register

PX_PER_MM = 96 / 25.4


def _digits_format(digits: int, percent: bool = False) -> str:
    fraction = "." + "0" * digits if digits > 0 else ""
    return f"0{fraction}%" if percent else f"#,##0{fraction}"


def typed_cell(value: Cell, column: Column) -> Typed:
    """A cell as Excel keeps it: a real number or date with a format; a blank for no figure."""
    if value is None or value == "":
        return Typed(None)
    if isinstance(value, str):
        return Typed(value, TEXT_FORMAT)
    if isinstance(value, datetime):
        return Typed(value.replace(tzinfo=None), "dd/mm/yyyy hh:mm")
    if isinstance(value, date):
        return Typed(value, DATE_FORMAT)
    if column.kind == "percent":
        return Typed(float(value) / 100, _digits_format(column.digits, percent=True))
    if column.kind == "int":
        return Typed(round(value), INT_FORMAT)
    if column.kind == "decimal" or isinstance(value, float):
        return Typed(float(value), _digits_format(column.digits))
    return Typed(value, INT_FORMAT)


def _frame_sheet(report: Report) -> Sheet:
    frame = report.frame
    rows = [
        (_("Issuing body"), " – ".join(b for b in (frame.parent_body, frame.issuing_body) if b)),
        (_("Number and symbol"), number_line(frame).replace("\u00a0", " ")),
        (_("Place and date"), place_and_date(frame)),
        (_("Type of document"), frame.doc_type),
        (_("Summary"), frame.summary),
        *((key, value) for key, value in report.parameters.items()),
        (_("Data version"), report.data_version or "–"),
    ]
    return Sheet(name=_("Report information"), header=[[_("Report item"), _("Report content")]],
                 rows=[[Typed(k), Typed(v)] for k, v in rows],
                 title_lines=[f"{frame.doc_type} {frame.summary}".strip()])


def _table_sheet(table: Table) -> Sheet:
    rows = [[typed_cell(value, column) for value, column in zip(row, table.columns, strict=False)]
            for row in table.rows]
    notes = [table.note] if table.note else []
    if any(cell.value is None for row in rows for cell in row):
        notes.append(_("A blank cell has no figure (not published or not reported); "
                       "it is not zero."))
    return Sheet(name=table.caption, header=[[c.title for c in table.columns]], rows=rows,
                 title_lines=[table.caption], notes=notes)


def _add_figures(book: Workbook, figures: list[Figure]) -> None:
    existing = list(book.sheetnames)
    names = unique_names([*existing, *(f.caption or _("Chart") for f in figures)],
                         fallback=_("Chart"))[len(existing):]
    for figure, name in zip(figures, names, strict=True):
        ws = book.create_sheet(title=name)
        ws["A1"] = figure.caption
        ws["A1"].font = Font(bold=True, size=13)
        try:
            image = Image(io.BytesIO(figure.png))
        except (OSError, ValueError):  # a chart that does not read leaves its caption only
            ws["A3"] = _("The chart could not be read.")
            continue
        if image.width:
            scale = figure.width_mm * PX_PER_MM / image.width
            image.width, image.height = image.width * scale, image.height * scale
        ws.add_image(image, "A3")


@register("xlsx", XLSX_CONTENT_TYPE)
def render_xlsx(report: Report) -> bytes:
    """The report's frame, tables and figures as a workbook, in the official language."""
    with translation.override(settings.LANGUAGE_CODE):
        book = new_workbook()
        add_sheets(book, [_frame_sheet(report)] + [_table_sheet(t) for t in report.tables()])
        _add_figures(book, [b for b in report.blocks if isinstance(b, Figure)])
        book.properties.title = f"{report.frame.doc_type} {report.frame.summary}".strip()
        book.properties.creator = report.frame.issuing_body
        return workbook_bytes(book)
