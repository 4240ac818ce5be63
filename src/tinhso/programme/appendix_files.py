"""Writing a task appendix: the export of a plan's tasks (exactly the columns the import
reads, so it imports back unchanged) and the empty template, each with an instructions sheet
("Hướng dẫn")."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tinhso.programme.appendix_check import UnitIndex, dti_codes
from tinhso.programme.appendix_columns import COLUMNS, Column
from tinhso.programme.models import Document, ProgressReport, ReportKind, Task, TaskGroup
from tinhso.programme.selectors import visible_tasks
from tinhso.units.selectors import units_valid_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit

SHEET = "Phụ lục"
INSTRUCTIONS = "Hướng dẫn"
UNITS_SHEET = "Đơn vị"
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _group_order(document: Document) -> dict[int, int]:
    """Each group's place in the tree read depth first (position, then id, at each level)."""
    groups = list(TaskGroup.objects.filter(document=document).order_by("position", "id"))
    children: dict[int | None, list[TaskGroup]] = defaultdict(list)
    for group in groups:
        children[group.parent_id].append(group)
    order: dict[int, int] = {}

    def visit(parent: int | None) -> None:
        for group in children.get(parent, []):
            order[group.pk] = len(order)
            visit(group.pk)

    visit(None)
    return order


def export_rows(document: Document, user: Any = None) -> Iterator[list[Any]]:
    """The plan's tasks (those ``user`` may read, when given) as appendix rows, in the tree's
    order, with each task's last report of its lead unit; a fixed number of queries."""
    tasks_q = Task.objects.filter(group__document=document)
    if user is not None:
        tasks_q = tasks_q.filter(pk__in=visible_tasks(user).values("pk"))
    order = _group_order(document)
    tasks = sorted(tasks_q.select_related("group", "assigned_by"),
                   key=lambda t: (order.get(t.group_id, 0), t.position, t.pk))
    support: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in Task.support_units.through.objects.filter(
            task__group__document=document).values_list("task_id", "unit_id"):
        support[task_id].append(unit_id)
    indicators: dict[int, list[str]] = defaultdict(list)
    for task_id, code in Task.indicators.through.objects.filter(
            task__group__document=document).values_list("task_id", "indicator__code"):
        indicators[task_id].append(code)
    reports: dict[int, ProgressReport] = {}
    for item in ProgressReport.objects.filter(task__group__document=document,
                                              kind=ReportKind.LEAD).order_by("submitted_at", "id"):
        reports[item.task_id] = item
    units = UnitIndex(document.unit, ids={t.lead_unit_id for t in tasks}
                      | {u for ids in support.values() for u in ids})
    for task in tasks:
        report = reports.get(task.pk)
        helpers = sorted((units.by_id[u] for u in support[task.pk]), key=lambda u: u.path)
        yield [
            task.group.code, task.group.title, task.code, task.title,
            units.label(units.by_id[task.lead_unit_id]),
            "; ".join(units.label(u) for u in helpers), task.start_on, task.due_on,
            task.expected_output, (task.assigned_by or document).number,
            "; ".join(sorted(indicators[task.pk])), "; ".join(task.dti_codes), task.weight,
            "x" if task.is_illustrative else "",
            *(_report_cells(report) if report else [""] * 6 + [None, ""]),
        ]


def _report_cells(report: ProgressReport) -> list[Any]:
    return [report.period, report.percent if report.percent is not None else "",
            report.done_text, report.obstacles, report.proposals, report.regression_reason,
            report.completed_on, report.result_document]


def _csv_cell(value: Any) -> Any:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return "" if value is None else value


def tasks_export(document: Document, fmt: str = "xlsx", *, user: Any = None) -> bytes:
    """The plan's tasks as an appendix: .xlsx (dates as date cells) or .csv (UTF-8 with a
    byte-order mark, dates dd/mm/yyyy, decimal comma)."""
    rows = export_rows(document, user)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.header for c in COLUMNS])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}: xlsx or csv")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    _widths(sheet)
    sheet.freeze_panes = "E2"
    sheet.append([_header_cell(sheet, c) for c in COLUMNS])
    dates = {i for i, c in enumerate(COLUMNS) if c.kind == "date"}
    for row in rows:
        sheet.append([_date_cell(sheet, v) if i in dates and v else v
                      for i, v in enumerate(row)])
    _instructions(workbook.create_sheet(INSTRUCTIONS))
    return _save(workbook)


def _widths(sheet: Any) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _header_cell(sheet: Any, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=column.header)
    cell.font = Font(bold=True)
    cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _date_cell(sheet: Any, value: date) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instruction_rows() -> list[tuple[list[Any], bool]]:
    """The instructions sheet, row by row (with whether the row is a heading): how the file
    is read, then each column, then the DTI codes."""
    rows: list[tuple[list[Any], bool]] = [([_("How to fill in the task appendix")], True)]
    for note in (
        _("One row a task, in the first sheet ('%(sheet)s'). Keep the header row; the columns "
          "may be in any order, and other columns (STT, notes) are ignored.") % {"sheet": SHEET},
        _("A row whose group code and task code are in the plan updates that task; any other "
          "row creates a task. An import never deletes or moves a task."),
        _("The whole file is checked first: if any row has a problem, nothing is written and "
          "every problem is listed with its row and column."),
        _("Columns in orange are required. Dates: dd/mm/yyyy. Several units, indicators or "
          "codes in one cell: separate them with ';'."),
        _("An exported appendix imported again changes nothing. Rows marked 'x' in '%(col)s' "
          "are illustrative (the template's example row: delete it or keep it marked).")
        % {"col": "Minh họa"},
        _("The progress columns are optional: filled, they file the lead unit's progress "
          "report for the period, as the person importing (who must be allowed to report for "
          "that unit); a row equal to the last report changes nothing."),
    ):
        rows.append(([note], False))
    rows.append(([], False))
    rows.append(([_("Column"), _("English name"), _("Required"), _("What to write"),
                  _("Example")], True))
    for column in COLUMNS:
        rows.append(([column.header, column.english, _("yes") if column.required else "",
                      str(column.help), column.example], False))
    rows.append(([], False))
    rows.append(([_("DTI main indicator codes")], True))
    rows += [([code], False) for code in sorted(dti_codes())]
    return rows


INSTRUCTION_WIDTHS = {"A": 22, "B": 22, "C": 10, "D": 80, "E": 30}


def _instructions(sheet: Any) -> None:
    """The instructions sheet of a write-only workbook (the export)."""
    for letter, width in INSTRUCTION_WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    for values, heading in _instruction_rows():
        cells: list[Any] = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = Font(bold=heading)
            cells.append(cell)
        sheet.append(cells)


def appendix_template(*, unit: Unit | None = None) -> bytes:
    """The empty appendix: the header, one example row marked illustrative, the columns'
    formats and checks, the instructions sheet and (with ``unit``) the units within it
    valid today, with their codes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([c.header for c in COLUMNS])
    sheet.append([_example(c) for c in COLUMNS])
    last = 5000
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        style = {"date": DATE_FORMAT, "number": "General"}.get(column.kind, "@")
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = style
        sheet.cell(row=2, column=index).number_format = style
        if column.kind == "date":
            check = DataValidation(type="date", operator="greaterThan", formula1="1",
                                   allow_blank=True, showErrorMessage=True,
                                   error=_("Write a date: dd/mm/yyyy"))
            check.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(check)
    for field, kind, high in (("percent", "whole", 100), ("weight", "decimal", 999999)):
        letter = get_column_letter([c.field for c in COLUMNS].index(field) + 1)
        check = DataValidation(type=kind, operator="between", formula1="0",
                               formula2=str(high), allow_blank=True, showErrorMessage=True,
                               error=_("Write a number from 0 to %(high)d") % {"high": high})
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = "E2"
    sheet.row_dimensions[1].height = 32
    guide = workbook.create_sheet(INSTRUCTIONS)
    for letter, width in INSTRUCTION_WIDTHS.items():
        guide.column_dimensions[letter].width = width
    for values, heading in _instruction_rows():
        guide.append(values)
        if heading:
            for cell in guide[guide.max_row]:
                cell.font = Font(bold=True)
    if unit is not None:
        listing = workbook.create_sheet(UNITS_SHEET)
        listing.append([_("Code"), _("Name")])
        listing.column_dimensions["B"].width = 50
        for item in units_valid_within(unit, timezone.localdate()).order_by("path"):
            listing.append([item.code, item.name])
    return _save(workbook)


def _example(column: Column) -> Any:
    if column.kind == "date" and column.example:
        day, month, year = (int(p) for p in str(column.example).split("/"))
        return date(year, month, day)
    return column.example if column.example != "" else None
