"""The columns of a plan's task appendix (phụ lục nhiệm vụ): one row a task.

The headers are Vietnamese, as the province's appendices write them; the English names (and
a few other Vietnamese spellings) are accepted too, compared without case, diacritics,
spaces or punctuation. Other columns (STT, Ghi chú...) are ignored. The template, the export
and the import all use this one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tinhso.core.imports import RowError
from tinhso.core.xlsx import header_key


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # what the template and the export write
    english: str
    required: bool
    help: Promise | str
    example: Any = ""
    width: int = 14
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text, date, number: how the template formats the column

    def header_keys(self) -> set[str]:
        return {header_key(h) for h in (self.header, self.english, self.field, *self.aliases)}


TASK_COLUMNS = (
    Column("group_code", "Mã nhóm", "Group code", True,
           _("Code of the task group (1, 2, 2.1...). A new code creates the group: give its "
             "title; 2.1 is placed within 2 when there is a group 2."), "1", 9),
    Column("group_title", "Tên nhóm", "Group title", False,
           _("Title of the group. Needed for a group the plan does not have yet; a different "
             "title renames the group."), "Hoàn thiện thể chế số (ví dụ)", 30,
           ("Nhóm", "Nhóm nhiệm vụ", "Group")),
    Column("code", "Mã nhiệm vụ", "Task code", True,
           _("Code of the task, unique within its group. A row whose group and task codes "
             "exist updates that task; otherwise it creates one."), "1.1", 11,
           ("Số hiệu nhiệm vụ",)),
    Column("title", "Nhiệm vụ", "Task", True, _("What is to be done."),
           "Rà soát, ban hành quy chế quản lý dữ liệu dùng chung của tỉnh (ví dụ minh họa)", 50,
           ("Tên nhiệm vụ", "Nội dung nhiệm vụ", "Nội dung", "Title")),
    Column("lead_unit", "Cơ quan chủ trì", "Lead unit", True,
           _("One unit within the plan's unit, by code (56.STC) or by name (Sở Tài chính; "
             "case and accents do not matter)."), "Sở Tài chính", 24,
           ("Đơn vị chủ trì", "Cơ quan, đơn vị chủ trì", "Chủ trì")),
    Column("support_units", "Cơ quan phối hợp", "Supporting units", False,
           _("Units that support, by code or name, separated by ';'."),
           "Sở Nội vụ; Sở Tư pháp", 28,
           ("Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp", "Phối hợp", "Support units")),
    Column("start_on", "Ngày bắt đầu", "Start", True,
           _("dd/mm/yyyy (also d/m/yyyy or yyyy-mm-dd, or a date cell)."), "01/01/2026", 13,
           ("Thời gian bắt đầu", "Start date", "Bắt đầu"), "date"),
    Column("due_on", "Hạn hoàn thành", "Due", True,
           _("dd/mm/yyyy; not before the start."), "31/12/2026", 13,
           ("Thời hạn hoàn thành", "Thời gian hoàn thành", "Thời hạn", "Due date", "Deadline"),
           "date"),
    Column("expected_output", "Sản phẩm", "Expected output", False,
           _("What the task delivers."), "Quyết định ban hành quy chế", 28,
           ("Sản phẩm đầu ra", "Kết quả, sản phẩm", "Output")),
    Column("assigned_by", "Văn bản giao", "Assigned by", False,
           _("Number and symbol of the document that assigned the task, recorded on the "
             "platform (e.g. 10633/KH-UBND); empty: this plan."), "", 16,
           ("Văn bản giao nhiệm vụ",)),
    Column("indicators", "Chỉ tiêu", "Indicators", False,
           _("Codes of the platform's indicators the task serves, separated by ';'."), "", 18),
    Column("dti_codes", "Chỉ số DTI", "DTI main indicators", False,
           _("Codes of the DTI main indicators the task serves, separated by ';'."),
           "the_che_so", 18, ("DTI",)),
    Column("weight", "Trọng số", "Weight", False,
           _("The task's weight in its group's progress (a number from 0; empty: 1)."),
           1, 9, (), "number"),
    Column("is_illustrative", "Minh họa", "Illustrative", False,
           _("'x' when the row is illustrative, not the province's own data (shown with the "
             "'illustrative' badge)."), "x", 9),
)

REPORT_COLUMNS = (
    Column("period", "Kỳ báo cáo", "Period", False,
           _("Progress report (optional): the reporting period, e.g. 2026Q4 (quarter), "
             "202611 (month), 2026S2 (half-year), 2026 (year). Filled, it files the lead "
             "unit's report for that period, as the person importing."), "", 11,
           ("Reporting period",)),
    Column("percent", "Tiến độ (%)", "Progress (%)", False,
           _("Percent complete, a whole number from 0 to 100."), "", 10,
           ("Tiến độ", "Percent", "Progress"), "number"),
    Column("done_text", "Kết quả thực hiện", "What was done", False,
           _("What was done in the period (needed with a period)."), "", 36,
           ("Kết quả", "Done")),
    Column("obstacles", "Khó khăn, vướng mắc", "Obstacles", False,
           _("Obstacles met, if any."), "", 24),
    Column("proposals", "Đề xuất, kiến nghị", "Proposals", False,
           _("Proposals, if any."), "", 24, ("Kiến nghị, đề xuất", "Kiến nghị")),
    Column("regression_reason", "Lý do giảm tiến độ", "Why progress went back", False,
           _("Needed when the percent is below the task's accepted progress."), "", 20),
    Column("completed_on", "Ngày hoàn thành", "Completed on", False,
           _("At 100 %: the day the work was completed (dd/mm/yyyy)."), "", 13, (), "date"),
    Column("result_document", "Văn bản kết quả", "Result document", False,
           _("At 100 %: number and symbol of the document the task produced."), "", 16),
)

COLUMNS = TASK_COLUMNS + REPORT_COLUMNS
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED = tuple(c.field for c in COLUMNS if c.required)
REPORT_FIELDS = tuple(c.field for c in REPORT_COLUMNS)

_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _key in _column.header_keys():
        _KEYS[_key] = _column.field


def field_of(header: str) -> str | None:
    return _KEYS.get(header_key(header))


def is_header(cells: list[str]) -> bool:
    """The header row is the first one naming three of the columns (a title above it names
    none), so that a missing column is reported on the header row."""
    return len({field_of(c) for c in cells if c} - {None}) >= 3


def header_map(headers: list[str], header_row: int) -> tuple[dict[str, str], list[RowError]]:
    """{field: the header as written in the file}; errors for a missing required column or
    two headers meaning the same column."""
    found: dict[str, str] = {}
    errors: list[RowError] = []
    for header in headers:
        field = field_of(header) if header else None
        if field is None:
            continue
        if field in found:
            errors.append(RowError(header_row, header, str(
                _("the same column as '%(other)s'") % {"other": found[field]})))
        else:
            found[field] = header
    for field in REQUIRED:
        if field not in found:
            errors.append(RowError(header_row, BY_FIELD[field].header,
                                   str(_("this column is missing"))))
    return found, errors


def yes(text: str) -> bool | None:
    """'x', 'có', 'yes'... True; blank, 'không', 'no'... False; None when it is neither."""
    key = header_key(text)
    if key in {"", "khong", "no", "false", "0", "n"}:
        return False
    if key in {"x", "co", "yes", "true", "1", "y", "v"} or text.strip() in {"✓", "✔"}:
        return True
    return None
