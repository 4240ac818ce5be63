"""The task appendix: import (all rows or none), export that re-imports unchanged, the
template, and progress reports filed through the same file."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from tests.factories import IndicatorFactory, UnitFactory, grant, programme_document, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.core.imports import ImportRejected
from tinhso.programme import audit_events
from tinhso.programme.appendix import appendix_template, tasks_export, tasks_import
from tinhso.programme.appendix_columns import COLUMNS
from tinhso.programme.models import (
    ProgressReport,
    ReportStatus,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskGroup,
)
from tinhso.programme.services import report_accept
from tinhso.units.models import Unit

HEADERS = [c.header for c in COLUMNS]
TODAY = date(2026, 11, 20)


def xlsx(rows: list[dict[str, Any]], headers: list[str] = HEADERS,
         above: list[list[Any]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in above or []:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(**cells: Any) -> dict[str, Any]:
    """A good row; keyword arguments are Vietnamese headers without accents (see ALIAS)."""
    base = {"Mã nhóm": "2", "Tên nhóm": "Phát triển chính quyền số", "Mã nhiệm vụ": "2.9",
            "Nhiệm vụ": "Xây dựng kho dữ liệu dùng chung", "Cơ quan chủ trì": "56.STC",
            "Ngày bắt đầu": "01/02/2026", "Hạn hoàn thành": "30/11/2026"}
    base.update({ALIAS.get(k, k): v for k, v in cells.items()})
    return base


ALIAS = {"group": "Mã nhóm", "group_title": "Tên nhóm", "code": "Mã nhiệm vụ",
         "title": "Nhiệm vụ", "lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
         "start": "Ngày bắt đầu", "due": "Hạn hoàn thành", "output": "Sản phẩm",
         "assigned": "Văn bản giao", "indicators": "Chỉ tiêu", "dti": "Chỉ số DTI",
         "weight": "Trọng số", "illustrative": "Minh họa", "period": "Kỳ báo cáo",
         "percent": "Tiến độ (%)", "done": "Kết quả thực hiện", "completed": "Ngày hoàn thành",
         "result": "Văn bản kết quả"}


def run(content: bytes, plan: Any, actor: Any = SYSTEM, name: str = "phu-luc.xlsx",
        **kwargs: Any) -> Any:
    return tasks_import(actor=actor, document=plan, name=name, content=content, today=TODAY,
                        **kwargs)


def problems(content: bytes, plan: Any, actor: Any = SYSTEM, name: str = "phu-luc.xlsx"
             ) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        run(content, plan, actor, name)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


@pytest.fixture
def related(plan: Any, reference_units: dict[str, Unit]) -> dict[str, Any]:
    resolution = programme_document(reference_units["56"], "16-NQ/TU", kind="resolution",
                                    issued_on=date(2020, 9, 1))
    return {"resolution": resolution, "online": IndicatorFactory(code="online_services_rate"),
            "dossiers": IndicatorFactory(code="online_dossiers_rate")}


def test_a_good_file_creates_groups_and_tasks_with_units_indicators_and_dates(
        group: Any, related: dict[str, Any], reference_units: dict[str, Unit]) -> None:
    plan = group.document
    content = xlsx([
        row(code="2.1.1", title="Số hóa hồ sơ", group="2.1", group_title="Dịch vụ công",
            lead="sở tài chính", support="56.SYT; Sở Nội vụ", start=datetime(2026, 1, 5),
            due="31/12/2026", output="Báo cáo", assigned="16-NQ/TU",
            indicators="online_services_rate; online_dossiers_rate",
            dti="chinh_quyen_so; the_che_so", weight="1,5"),
        row(code="2.9", lead="Sở Y tế", start="1/2/2026", due="2026-11-30"),
    ], above=[["PHỤ LỤC", None, "Nhiệm vụ chuyển đổi số"], []])
    result = run(content, plan)
    assert (result.created, result.updated, result.unchanged, result.groups_created) \
        == (2, 0, 0, 1)
    nested = TaskGroup.objects.get(document=plan, code="2.1")
    assert nested.parent == group and nested.title == "Dịch vụ công"
    task = Task.objects.get(group=nested, code="2.1.1")
    assert task.lead_unit.code == "56.STC" and task.title == "Số hóa hồ sơ"
    assert sorted(u.code for u in task.support_units.all()) == ["56.SNV", "56.SYT"]
    assert sorted(i.code for i in task.indicators.all()) == ["online_dossiers_rate",
                                                            "online_services_rate"]
    assert task.dti_codes == ["chinh_quyen_so", "the_che_so"]
    assert (task.start_on, task.due_on) == (date(2026, 1, 5), date(2026, 12, 31))
    assert task.assigned_by == related["resolution"] and task.weight == Decimal("1.5")
    other = Task.objects.get(group=group, code="2.9")
    assert (other.start_on, other.due_on) == (date(2026, 2, 1), date(2026, 11, 30))
    assert other.assigned_by == plan and other.lead_unit.code == "56.SYT"
    assert TaskEvent.objects.filter(kind=TaskEventKind.CREATED).count() == 2
    event = AuditEvent.objects.get(action=audit_events.TASKS_IMPORTED)
    assert event.details["created"] == 2 and event.details["file"] == "phu-luc.xlsx"
    assert event.object_id == str(plan.pk)


def test_every_bad_row_is_named_and_nothing_is_written(
        group: Any, related: dict[str, Any], reference_units: dict[str, Unit]) -> None:
    plan = group.document
    before = (Task.objects.count(), TaskGroup.objects.count(), AuditEvent.objects.count())
    content = xlsx([
        row(code="1", lead="Sở Không Có"),                                  # 2
        row(code="2", start="30/11/2026", due="01/02/2026"),                # 3
        row(code="3", indicators="online_services_rate; no_such_thing"),    # 4
        row(code="4", assigned="99/KH-UBND"),                               # 5
        row(code="1", title="Trùng mã"),                                    # 6
        row(code="5", start="31/02/2026"),                                  # 7
        row(code="6", weight="nặng"),                                       # 8
        row(code="7", lead="01"),                                           # 9
        row(code="8", group="9", group_title=None),                         # 10
        row(code="9", dti="chinh_quyen_so; khong_co"),                      # 11
        row(code="10", support="56.SYT; Sở Ma"),                            # 12
        row(code="11", illustrative="có lẽ"),                               # 13
        row(code=None, title="Không mã"),                                   # 14
    ])
    found = problems(content, plan)
    cells = {(r, c) for r, c, _m in found}
    assert cells == {
        (2, "Cơ quan chủ trì"), (3, "Hạn hoàn thành"), (4, "Chỉ tiêu"), (5, "Văn bản giao"),
        (6, "Mã nhiệm vụ"), (7, "Ngày bắt đầu"), (8, "Trọng số"), (9, "Cơ quan chủ trì"),
        (10, "Tên nhóm"), (11, "Chỉ số DTI"), (12, "Cơ quan phối hợp"), (13, "Minh họa"),
        (14, "Mã nhiệm vụ")}
    messages = dict(((r, c), m) for r, c, m in found)
    assert "Sở Không Có" in messages[(2, "Cơ quan chủ trì")]
    assert "before it starts" in messages[(3, "Hạn hoàn thành")]
    assert "no_such_thing" in messages[(4, "Chỉ tiêu")]
    assert "99/KH-UBND" in messages[(5, "Văn bản giao")]
    assert "row 2" in messages[(6, "Mã nhiệm vụ")]
    assert "not within Khánh Hòa" in messages[(9, "Cơ quan chủ trì")]
    assert "no group 9" in messages[(10, "Tên nhóm")]
    assert [r for r, _c, _m in found] == sorted(r for r, _c, _m in found)
    assert (Task.objects.count(), TaskGroup.objects.count(),
            AuditEvent.objects.count()) == before


def test_a_name_shared_by_two_units_must_be_written_as_a_code(plan: Any, group: Any,
                                                              khanh_hoa: Unit) -> None:
    for code in ("56.BQL1", "56.BQL2"):
        UnitFactory(code=code, name="Ban Quản lý dự án", parent=khanh_hoa, level="department")
    found = problems(xlsx([row(lead="ban quan ly du an")]), plan)
    assert found[0][:2] == (2, "Cơ quan chủ trì") and "56.BQL1, 56.BQL2" in found[0][2]
    assert run(xlsx([row(lead="56.BQL2")]), plan).created == 1


def test_missing_columns_are_named(plan: Any) -> None:
    content = xlsx([{"Mã nhóm": "1"}], headers=["STT", "Mã nhóm", "Nhiệm vụ", "Sản phẩm"],
                   above=[["PHỤ LỤC: NHIỆM VỤ"], ["Kèm theo Kế hoạch số 10633/KH-UBND"]])
    found = problems(content, plan)
    assert {c for _r, c, _m in found} == {"Mã nhiệm vụ", "Cơ quan chủ trì", "Ngày bắt đầu",
                                         "Hạn hoàn thành"}
    assert all(r == 3 and m == "this column is missing" for r, _c, m in found)


def test_english_headers_and_a_csv_with_semicolons(plan: Any, group: Any) -> None:
    text = ("\ufeffNo;Group code;Task code;Task;Lead unit;Supporting units;Start;Due;Weight\n"
            "1;2;2.5;Phổ cập kỹ năng số;Sở Y tế;56.STC;05/01/2026;31/10/2026;2\n")
    result = run(text.encode("utf-8"), plan, name="appendix.csv")
    assert result.created == 1
    task = Task.objects.get(code="2.5")
    assert task.weight == 2 and [u.code for u in task.support_units.all()] == ["56.STC"]


def _changed(plan: Any) -> tuple[int, int, int]:
    return (TaskEvent.objects.count(), AuditEvent.objects.count(),
            ProgressReport.objects.count())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged(fmt: str, task: Any, related: dict[str, Any],
                                          people: dict[str, Any]) -> None:
    plan = task.group.document
    run(xlsx([row(code="2.2", support="56.SYT; 56.SNV", indicators="online_services_rate",
                  dti="xa_hoi_so", weight="0,25", illustrative="x", output="Kho dữ liệu",
                  assigned="16-NQ/TU"),
              row(code="3.1", group="3", group_title="Kinh tế số", start="2026-03-01")]),
        plan)
    report = ProgressReport.objects.create(task=task, period="2026Q3", unit=task.lead_unit,
                                           percent=40, done_text="Đã số hóa 40 %",
                                           submitted_by=people["reporter"])
    report_accept(actor=people["coordinator"], report=report, today=TODAY)
    before = _changed(plan)
    exported = tasks_export(plan, fmt)
    result = run(exported, plan, name=f"export.{fmt}")
    assert (result.created, result.updated, result.unchanged, result.reports,
            result.reports_unchanged) == (0, 0, 3, 0, 1)
    assert not result.changed and _changed(plan) == before


def test_the_export_has_exactly_the_import_columns_dates_and_names(task: Any) -> None:
    plan = task.group.document
    sheet = load_workbook(io.BytesIO(tasks_export(plan))).worksheets[0]
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert list(header) == HEADERS
    values = dict(zip(HEADERS, first, strict=True))
    assert values["Ngày bắt đầu"] == datetime(2026, 1, 5)
    assert values["Cơ quan chủ trì"] == "Sở Tài chính" and values["Cơ quan phối hợp"] == "Sở Y tế"
    assert values["Văn bản giao"] == "10633/KH-UBND" and values["Chỉ số DTI"] == "chinh_quyen_so"
    lines = list(csv.reader(io.StringIO(tasks_export(plan, "csv").decode("utf-8-sig"))))
    assert lines[0] == HEADERS and lines[1][6:8] == ["05/01/2026", "30/11/2026"]


def test_changed_rows_update_their_task_and_say_what_changed(task: Any) -> None:
    plan = task.group.document
    workbook = load_workbook(io.BytesIO(tasks_export(plan)))
    sheet = workbook.worksheets[0]
    sheet["B2"] = "Chính quyền số"
    sheet["D2"] = "Số hóa toàn bộ hồ sơ"
    sheet["F2"] = "56.SYT; 56.SNV"
    out = io.BytesIO()
    workbook.save(out)
    result = run(out.getvalue(), plan)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert result.groups_renamed == 1 and TaskGroup.objects.get().title == "Chính quyền số"
    task.refresh_from_db()
    assert task.title == "Số hóa toàn bộ hồ sơ"
    assert sorted(u.code for u in task.support_units.all()) == ["56.SNV", "56.SYT"]
    event = TaskEvent.objects.get(task=task, kind=TaskEventKind.UPDATED)
    assert event.details["changes"]["support_units"] == [["56.SYT"], ["56.SNV", "56.SYT"]]
    assert set(event.details["changes"]) == {"title", "support_units"}


def test_a_closed_task_keeps_its_dates(task: Any) -> None:
    Task.objects.filter(pk=task.pk).update(done_on=date(2026, 6, 1))
    found = problems(xlsx([row(code="2.1", title=task.title, lead="56.STC", support="56.SYT",
                               start="05/01/2026", due="31/12/2026")]), task.group.document)
    assert found == [(2, "Hạn hoàn thành", "The task is closed: its dates stay as they were.")]


def test_progress_rows_file_reports_as_the_actor(task: Any, people: dict[str, Any],
                                                 reference_units: dict[str, Unit]) -> None:
    plan = task.group.document
    both = staff_user(unit=reference_units["56.SKHCN"], username="dieuphoi.stc")
    grant(both, "coordinator", reference_units["56"])
    grant(both, "unit_reporter", reference_units["56.STC"])
    cells = {"code": "2.1", "title": task.title, "support": "56.SYT", "start": "05/01/2026",
             "output": task.expected_output, "dti": "chinh_quyen_so", "period": "2026Q3",
             "percent": 60, "done": "Đã số hóa 60 % hồ sơ"}
    content = xlsx([row(**cells)])
    assert problems(content, plan, people["coordinator"]) == [
        (2, "Cơ quan chủ trì",
         "You may not report for Sở Tài chính: it is outside your units.")]
    result = run(content, plan, both)
    assert (result.updated, result.unchanged, result.reports) == (0, 1, 1)
    report = ProgressReport.objects.get(task=task)
    assert (report.percent, report.period, report.status, report.submitted_by) == (
        60, "2026Q3", ReportStatus.SUBMITTED, both)
    again = run(content, plan, both)
    assert (again.reports, again.reports_unchanged, again.changed) == (0, 1, False)
    fresh = run(xlsx([row(code="2.3", period="2026Q4", percent=10, done="Khởi động")]), plan,
                both)
    assert (fresh.created, fresh.reports) == (1, 1)
    assert ProgressReport.objects.get(task__code="2.3").percent == 10
    late = problems(xlsx([row(**{**cells, "period": "2027Q1", "done": "x"})]), plan, both)
    assert late[0][:2] == (2, "Kỳ báo cáo") and "has not begun" in late[0][2]
    waiting = problems(xlsx([row(**{**cells, "percent": 70})]), plan, both)
    assert waiting[0][:2] == (2, "Kỳ báo cáo") and "waiting for the coordinator" in waiting[0][2]


def test_a_report_row_needs_its_period_text_and_percent(task: Any) -> None:
    found = problems(xlsx([row(code="2.7", percent="120"), row(code="2.8", period="2026Q1")]),
                     task.group.document)
    assert {(r, c) for r, c, _m in found} == {(2, "Tiến độ (%)"), (2, "Kỳ báo cáo"),
                                             (2, "Kết quả thực hiện"), (3, "Tiến độ (%)"),
                                             (3, "Kết quả thực hiện")}


def test_the_template_re_imports_cleanly_as_an_illustrative_task(plan: Any) -> None:
    content = appendix_template()
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Phụ lục", "Hướng dẫn"]
    guide = [r[0] for r in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert all(c.header in guide for c in COLUMNS)
    result = run(content, plan, name="mau.xlsx")
    assert (result.created, result.groups_created) == (1, 1)
    task = Task.objects.get()
    assert task.is_illustrative and task.group.is_illustrative
    assert task.lead_unit.code == "56.STC"


def test_only_the_coordinator_imports(plan: Any, people: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        run(xlsx([row()]), plan, people["reporter"])


def test_check_only_writes_nothing(plan: Any, group: Any) -> None:
    result = run(xlsx([row()]), plan, dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not Task.objects.exists() and not AuditEvent.objects.filter(
        action=audit_events.TASKS_IMPORTED).exists()


def test_queries_per_file_not_per_row(plan: Any, group: Any,
                                      related: dict[str, Any]) -> None:
    def rows(n: int, first: int) -> bytes:
        return xlsx([row(code=f"2.{first + i}", support="56.SYT; Sở Nội vụ",
                         indicators="online_services_rate", dti="chinh_quyen_so")
                     for i in range(n)])

    run(rows(1, 1), plan)  # the working-day calendar is read once per process
    counts = []
    for n, first in ((3, 100), (40, 200)):
        with CaptureQueriesContext(connection) as queries:
            run(rows(n, first), plan)
        counts.append(len(queries))
    assert counts[0] == counts[1]
