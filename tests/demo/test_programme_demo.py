"""The programme in the demonstration: the seed's documents and groups (published), the
illustrative tasks and progress reports (demo only), made through the programme's services."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Max

from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.demo.loader import load_accounts, published_load
from tinhso.demo.programme import DATA_DIR, load_illustrative_tasks
from tinhso.indicators.models import Target
from tinhso.programme import schedule
from tinhso.programme.models import (
    Document,
    Goal,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Task,
    TaskEvent,
    TaskGroup,
)
from tinhso.programme.selectors import clock, with_status
from tinhso.programme.services import reporting_schedule_set
from tinhso.scoring.engine import load_framework
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", "--quiet-accounts", verbosity=0)


def statuses(on: date | None = None) -> set[str]:
    return set(with_status(Task.objects.all(), clock(on)).values_list("status", flat=True))


def test_published_load_holds_the_chain_the_goals_and_the_four_groups_without_tasks() -> None:
    call_command("published", verbosity=0)
    assert dict(Document.objects.values_list("number", "implements__number")) == {
        "52-NQ/TW": None, "749/QĐ-TTg": "52-NQ/TW", "10633/KH-UBND": "749/QĐ-TTg",
        "6502/KH-UBND": "749/QĐ-TTg", "16-NQ/TU": "52-NQ/TW", "4636/KH-UBND": None}
    assert not Document.objects.filter(is_illustrative=True).exists()
    for goal in Goal.objects.filter(document__number="16-NQ/TU"):
        # The goal is measured by the DTI rank, whose target that year is the goal's rank, set
        # among the 63 provinces of 2021 (Plan 4636/KH-UBND sets its own among 34).
        assert goal.indicator.code == "dti_rank"
        target = Target.objects.get(indicator=goal.indicator, unit=goal.unit, year=goal.year,
                                    rank_of=63)
        assert int(target.value) == goal.target_rank and not target.is_illustrative
        assert goal.superseded_by.document.number == "4636/KH-UBND"  # kept as history
        assert goal.superseded_by.target.rank_of == 34
    plan = Goal.objects.filter(document__number="4636/KH-UBND")
    assert sorted((g.year, g.target.kind) for g in plan) == [
        (2025, "rank_band"), (2025, "rank_count"), (2025, "score"), (2030, "climb"),
        (2030, "rank_band")]
    assert all(g.target.framework == "dti-province-405" and g.target.quote for g in plan)
    tops = TaskGroup.objects.filter(document__number="16-NQ/TU", parent=None)
    assert [(g.code, g.area) for g in tops] == [
        ("1", "foundations"), ("2", "digital_government"), ("3", "digital_economy"),
        ("4", "digital_society")]
    assert [g.children.count() for g in tops] == [6, 4, 4, 4]
    items = TaskGroup.objects.filter(parent__code="1").values_list("title", flat=True)
    assert "Phát triển dữ liệu" in items and "Đảm bảo an toàn, an ninh mạng" in items
    assert not TaskGroup.objects.filter(is_illustrative=True).exists()
    assert not TaskGroup.objects.filter(title_en="").exists()
    # Illustrative tasks and reports are the demo's, not a production start.
    assert not Task.objects.exists() and not ProgressReport.objects.exists()


def test_demo_tasks_show_every_status_on_the_day_it_is_loaded_and_later(demo: None) -> None:
    assert 30 <= Task.objects.count() <= 45
    # Whatever the day: closed tasks, overdue ones, and one task due soon (it falls due a few
    # working days after the day of loading).
    assert statuses() >= {schedule.DONE_ON_TIME, schedule.DONE_LATE, schedule.CANCELLED,
                          schedule.OVERDUE, schedule.DUE_SOON}
    # Until mid-2027 (fixed due dates), every status but "due soon" on any day.
    for day in (date(2026, 12, 1), date(2027, 1, 15), date(2027, 6, 1)):
        assert statuses(day) >= set(schedule.STATUSES) - {schedule.DUE_SOON}, day
    cancelled = Task.objects.get(cancelled_on__isnull=False)
    assert "PC-Covid" in cancelled.cancel_reason
    done = Task.objects.filter(done_on__isnull=False)
    assert done.filter(finished_late=True).exists() and done.filter(finished_late=False).exists()
    assert not done.filter(result_document="").exists()  # closed only with its output
    assert not done.exclude(progress=100).exists()


def test_demo_tasks_are_marked_illustrative_and_are_led_by_current_units(demo: None) -> None:
    # (the task an assigned document made, "VB-...", is tested in test_documents_demo)
    tasks = Task.objects.exclude(code__startswith="VB-").select_related("lead_unit", "group")
    assert not tasks.filter(is_illustrative=False).exists()
    assert not tasks.exclude(source__startswith="Minh họa").exists()
    assert not ProgressReport.objects.filter(is_illustrative=False).exists()
    dti = {node.code for node in load_framework("dti-province-922").indicators}
    for task in tasks.prefetch_related("support_units"):
        assert task.group.parent is not None  # under an item of a group, not the group itself
        assert set(task.dti_codes) <= dti and task.dti_codes, task.code
        for unit in [task.lead_unit, *task.support_units.all()]:
            assert unit.valid_to is None, (task.code, unit.code)  # today's units
            assert unit.valid_from is None or unit.valid_from <= task.start_on, task.code
        assert date(2021, 1, 1) <= task.start_on <= task.due_on <= date(2027, 12, 31)
    assert set(tasks.values_list("lead_unit__level", flat=True)) == {"department", "commune"}
    assert tasks.filter(weight=2).exists() and tasks.filter(weight=1).count() > 30
    assert tasks.filter(assigned_by__number="6502/KH-UBND").exists()
    linked = set(tasks.values_list("indicators__code", flat=True))
    assert {"online_services_rate", "online_dossiers_rate", "e_procurement_rate"} <= linked


def test_demo_reports_were_made_by_the_demo_accounts_and_decided_by_the_coordinator(
        demo: None) -> None:
    task = Task.objects.get(code="2.1.2")
    returned = task.reports.get(status=ReportStatus.RETURNED)
    assert returned.decision_comment and returned.decided_by.username == "dieuphoi"
    resubmitted = returned.resubmission
    assert resubmitted.status == ReportStatus.SUBMITTED  # waiting for the coordinator
    assert resubmitted.submitted_by.username == "baocao.stc"
    assert list(task.events.values_list("kind", "actor_label")) == [
        ("created", "dieuphoi"), ("reported", "baocao.stc"), ("accepted", "dieuphoi"),
        ("reported", "baocao.stc"), ("returned", "dieuphoi"), ("reported", "baocao.stc")]
    pending = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
    assert pending.filter(kind=ReportKind.LEAD, previous=None).exists()
    assert pending.filter(kind=ReportKind.SUPPORT).exists()
    accepted_support = ProgressReport.objects.filter(kind=ReportKind.SUPPORT,
                                                     status=ReportStatus.ACCEPTED)
    assert accepted_support.count() >= 3
    decided = ProgressReport.objects.exclude(status=ReportStatus.SUBMITTED)
    assert set(decided.values_list("decided_by__username", flat=True)) == {"dieuphoi"}
    assert AuditEvent.objects.filter(action="progress.accepted",
                                     actor__username="dieuphoi").count() == \
        ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).count()
    # A task's progress is its last accepted lead report's percent.
    for open_task in Task.objects.filter(done_on=None, cancelled_on=None):
        last = open_task.reports.filter(kind=ReportKind.LEAD, status=ReportStatus.ACCEPTED) \
            .order_by("-id").first()
        assert open_task.progress == (last.percent if last else 0), open_task.code
    # Periods are reporting periods that had begun.
    today = clock().today
    for report in ProgressReport.objects.all():
        assert schedule.reporting_period(report.period, clock().rule).start <= today


def counts() -> dict[str, int]:
    return {"tasks": Task.objects.count(), "groups": TaskGroup.objects.count(),
            "reports": ProgressReport.objects.count(), "events": TaskEvent.objects.count(),
            "audit": AuditEvent.objects.count(),
            "support": Task.support_units.through.objects.count(),
            "last_event": TaskEvent.objects.aggregate(m=Max("id"))["m"]}


def test_a_second_demo_load_adds_no_rows(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    before = counts()
    assert before["tasks"] and before["reports"]
    call_command("demo", "--quiet-accounts")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert counts() == before


def test_a_task_deleted_comes_back_alone_on_the_next_load(demo: None) -> None:
    Task.objects.filter(code="3.3.2").delete()
    before = Task.objects.count()
    call_command("demo", "--quiet-accounts", verbosity=0)
    assert Task.objects.count() == before + 1
    assert Task.objects.get(code="3.3.2").reports.count() == 2


def test_the_demo_follows_the_installations_reporting_schedule() -> None:
    published_load(actor=SYSTEM)
    reporting_schedule_set(actor=SYSTEM, period_type="month")
    call_command("demo", "--quiet-accounts", verbosity=0)
    periods = set(ProgressReport.objects.values_list("period", flat=True))
    assert "202609" in periods and not any("Q" in p for p in periods)


def test_a_demo_loaded_earlier_leaves_out_the_reports_it_could_not_yet_have() -> None:
    published_load(actor=SYSTEM)
    load_accounts({u.code: u for u in Unit.objects.all()})
    today = date(2026, 7, 15)
    load_illustrative_tasks(SYSTEM, today=today)
    assert not ProgressReport.objects.filter(completed_on__gt=today).exists()
    assert not ProgressReport.objects.filter(period="2026Q4").exists()
    assert ProgressReport.objects.filter(period="2026Q3").exists()  # begun on 1 July
    assert Task.objects.get(code="3.1.2").done_on is None  # completed in October
    assert Task.objects.get(code="2.1.3").due_on > today


def test_every_task_of_the_file_is_loaded_once(demo: None) -> None:
    data = json.loads((DATA_DIR / "programme_tasks.json").read_text(encoding="utf-8"))
    codes = {(row["group"], row["code"]) for row in data["tasks"]}
    assert set(Task.objects.exclude(code__startswith="VB-").values_list(
        "group__code", "code")) == codes
    assert len(codes) == len(data["tasks"])
