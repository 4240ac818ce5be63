"""The daily reminders: tasks that turned overdue are marked, lead units are reminded of tasks due
soon and of reports not sent, each once per task and due date (or period), through the
notification outbox; run twice, nothing is marked or sent twice."""

from __future__ import annotations

import threading
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from tests.factories import grant, programme_task, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.procedures.models import Notification
from tinhso.programme import reminders
from tinhso.programme.models import TaskEvent, TaskReminder
from tinhso.programme.reminders import RemindResult, programme_remind, task_path
from tinhso.programme.services import report_return, report_submit, task_cancel, task_update
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)  # a Tuesday; the third quarter's reports were due on 07/10/2026
STC_MAIL = "baocao@stc.khanhhoa.gov.vn"


@pytest.fixture
def tasks(people: dict[str, Any], task: Any, group: Any,
          reference_units: dict[str, Unit]) -> dict[str, Any]:
    """Finance leads ``task`` (due 30/11/2026, overdue on 01/12, no report for 2026Q3), a task
    due soon (begun after the quarter), one reported on for the quarter, one done and one
    cancelled; Health (whose reporter has no e-mail address) leads an overdue task."""
    stc, syt = reference_units["56.STC"], reference_units["56.SYT"]
    soon = programme_task(group, stc, "2.2", start_on=date(2026, 10, 1),
                          due_on=date(2026, 12, 10))
    reported = programme_task(group, stc, "2.3", due_on=date(2027, 6, 30))
    report_submit(actor=people["reporter"], task=reported, period="2026Q3", percent=40,
                  done_text="Đã triển khai", today=TODAY)
    done = programme_task(group, stc, "2.4", due_on=date(2026, 11, 16),
                          done_on=date(2026, 11, 13), progress=100)
    cancelled = programme_task(group, stc, "2.5", due_on=date(2026, 11, 20))
    task_cancel(actor=SYSTEM, task=cancelled, reason="Không còn phù hợp", on=date(2026, 10, 1))
    health = programme_task(group, syt, "2.6", due_on=date(2026, 11, 25))
    return {"overdue": task, "soon": soon, "reported": reported, "done": done,
            "cancelled": cancelled, "health": health}


def remind(captured: Any, today: date = TODAY) -> RemindResult:
    """Run the job and let its transaction's after-commit work run (the outbox's delivery,
    with the tests' immediate task backend)."""
    with captured(execute=True):
        return programme_remind(actor=SYSTEM, today=today)


def reminded(kind: str) -> set[str]:
    return set(TaskReminder.objects.filter(kind=kind).values_list("task__code", flat=True))


def test_run_twice_marks_overdue_once_and_sends_each_reminder_once(
        tasks: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    mail.outbox.clear()
    first = remind(django_capture_on_commit_callbacks)
    assert (first.marked_overdue, first.due_soon, first.reports_missing) == (2, 1, 2)
    assert first.notifications == 3 and first.no_recipient == 2  # Health: nobody to write to
    assert reminded("overdue") == {"2.1", "2.6"}
    assert reminded("due_soon") == {"2.2"}
    assert reminded("report") == {"2.1", "2.6"}  # not 2.3 (reported), 2.2 (begun after)
    # one message per unit and kind, in the outbox, delivered after the commit
    assert Notification.objects.filter(topic__startswith="programme.").count() == 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert sorted(m.subject for m in mail.outbox) == [
        "[tỉnh số] Nhiệm vụ quá hạn: 1 nhiệm vụ do Sở Tài chính chủ trì",
        "[tỉnh số] Nhiệm vụ sắp đến hạn: 1 nhiệm vụ do Sở Tài chính chủ trì",
        "[tỉnh số] Nhắc báo cáo tiến độ kỳ 2026Q3: 1 nhiệm vụ do Sở Tài chính chủ trì"]
    assert all(m.to == [STC_MAIL] for m in mail.outbox)
    overdue = next(m for m in mail.outbox if "quá hạn:" in m.subject)
    assert "2.1. Số hóa hồ sơ" in overdue.body
    assert "hạn hoàn thành 30/11/2026; quá hạn 1 ngày làm việc" in overdue.body
    assert task_path(tasks["overdue"].pk) in overdue.body
    report = next(m for m in mail.outbox if "báo cáo" in m.subject)
    assert "hạn gửi ngày 07/10/2026" in report.body

    second = remind(django_capture_on_commit_callbacks)
    assert (second.marked_overdue, second.due_soon, second.reports_missing,
            second.notifications) == (0, 0, 0, 0)
    assert len(mail.outbox) == 3 and Notification.objects.count() == 3
    assert TaskEvent.objects.filter(kind="overdue").count() == 2
    assert TaskEvent.objects.filter(kind="reminded").count() == 3
    assert AuditEvent.objects.filter(action="task.overdue").count() == 2
    assert AuditEvent.objects.filter(action="programme.reminded").count() == 1


def test_done_and_cancelled_tasks_are_not_reminded(tasks: dict[str, Any],
                                                   django_capture_on_commit_callbacks: Any
                                                   ) -> None:
    remind(django_capture_on_commit_callbacks)
    quiet = {tasks["done"].pk, tasks["cancelled"].pk}
    assert not TaskReminder.objects.filter(task__in=quiet).exists()
    assert not TaskEvent.objects.filter(task__in=quiet, kind__in=["overdue", "reminded"]).exists()


def test_a_report_sent_for_the_period_means_no_report_reminder_and_a_returned_one_does_not(
        people: dict[str, Any], task: Any, group: Any, reference_units: dict[str, Unit],
        django_capture_on_commit_callbacks: Any) -> None:
    returned_task = programme_task(group, reference_units["56.STC"], "2.7",
                                   due_on=date(2027, 6, 30))
    report_submit(actor=people["reporter"], task=task, period="2026Q3", percent=50,
                  done_text="Đã số hóa một nửa", today=TODAY)
    report = report_submit(actor=people["reporter"], task=returned_task, period="2026Q3",
                           percent=10, done_text="Đang khảo sát", today=TODAY)
    report_return(actor=people["coordinator"], report=report, comment="Thiếu số liệu")
    result = remind(django_capture_on_commit_callbacks)
    assert result.reports_missing == 1 and reminded("report") == {"2.7"}


def test_reports_are_reminded_from_their_due_day(
        people: dict[str, Any], task: Any, django_capture_on_commit_callbacks: Any) -> None:
    before = remind(django_capture_on_commit_callbacks, date(2026, 10, 6))
    assert before.report_period == "2026Q3" and before.report_due == date(2026, 10, 7)
    assert before.reports_missing == 0
    on_the_day = remind(django_capture_on_commit_callbacks, date(2026, 10, 7))
    assert on_the_day.reports_missing == 1
    assert TaskReminder.objects.get(kind="report").recipients == [STC_MAIL]


def test_a_rescheduled_task_is_reminded_again_for_its_new_due_date(
        people: dict[str, Any], task: Any, django_capture_on_commit_callbacks: Any) -> None:
    mail.outbox.clear()
    assert remind(django_capture_on_commit_callbacks).marked_overdue == 1
    task_update(actor=SYSTEM, task=task, due_on=date(2026, 12, 31))
    assert remind(django_capture_on_commit_callbacks).marked_overdue == 0  # no longer late
    soon = remind(django_capture_on_commit_callbacks, date(2026, 12, 21))
    assert soon.due_soon == 1
    late = remind(django_capture_on_commit_callbacks, date(2027, 1, 4))
    assert late.marked_overdue == 1
    assert set(TaskReminder.objects.filter(task=task, kind="overdue")
               .values_list("key", flat=True)) == {"2026-11-30", "2026-12-31"}
    assert sum("quá hạn:" in m.subject for m in mail.outbox) == 2


def test_recipients_are_the_unit_reporters_at_the_lead_unit_or_above_within_the_province(
        people: dict[str, Any], task: Any, reference_units: dict[str, Unit],
        django_capture_on_commit_callbacks: Any) -> None:
    u = reference_units
    province = staff_user(unit=u["56"], username="tonghop", email="tonghop@khanhhoa.gov.vn")
    grant(province, "unit_reporter", u["56"])
    national = staff_user(unit=u["VN"], username="quocgia", email="quocgia@mic.gov.vn")
    grant(national, "unit_reporter", u["VN"])
    gone = staff_user(unit=u["56.STC"], username="danghi", email="danghi@stc.khanhhoa.gov.vn",
                      is_active=False)
    grant(gone, "unit_reporter", u["56.STC"])
    approver = staff_user(unit=u["56.STC"], username="lanhdao", email="ld@stc.khanhhoa.gov.vn")
    grant(approver, "approver", u["56.STC"])
    mail.outbox.clear()
    remind(django_capture_on_commit_callbacks)
    expected = [STC_MAIL, "tonghop@khanhhoa.gov.vn"]
    assert TaskReminder.objects.get(kind="overdue").recipients == expected
    assert sorted(m.to[0] for m in mail.outbox if "quá hạn:" in m.subject) == expected


def test_a_reminder_made_meanwhile_by_another_run_is_not_told_again(
        task: Any, people: dict[str, Any]) -> None:
    other_run = TaskReminder.objects.create(task=task, kind="overdue", key="2026-11-30")
    wanted = [reminders._Reminder(task, "overdue", "2026-11-30"),
              reminders._Reminder(task, "report", "2026Q3")]
    made = reminders._claim(wanted, other_run.created_at)
    assert [(r.kind, r.key) for r in made] == [("report", "2026Q3")]


def test_only_the_system_or_an_administrator_runs_the_job(people: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        programme_remind(actor=people["coordinator"], today=TODAY)


def test_the_command_prints_the_counts_and_can_queue_the_run(
        tasks: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("programme", "remind", "--today", "01/12/2026", stdout=out)
    assert out.getvalue().strip() == (
        "01/12/2026: 2 tasks marked overdue, 1 reminded as due soon, 2 reminded of their "
        "2026Q3 report (due 07/10/2026); 3 notifications written. 2 reminders found no unit "
        "reporter with an e-mail address.")
    out = StringIO()
    call_command("programme", "remind", "--today", "01/12/2026", stdout=out)
    assert out.getvalue().startswith("01/12/2026: 0 tasks marked overdue, 0 reminded")

    TaskReminder.objects.all().delete()
    out = StringIO()  # the worker's task (run at once by the tests' immediate backend)
    call_command("programme", "remind", "--today", "01/12/2026", "--enqueue", stdout=out)
    assert "queued for the task worker" in out.getvalue()
    assert TaskReminder.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_remind_once(tasks: dict[str, Any],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite takes them one at a time)")
    both_have_read = threading.Barrier(2, timeout=30)
    claim = reminders._claim

    def claim_together(*args: Any) -> Any:
        both_have_read.wait()  # each run has found the same reminders due, none written yet
        return claim(*args)

    monkeypatch.setattr(reminders, "_claim", claim_together)
    results: list[RemindResult] = []

    def run() -> None:
        try:
            results.append(programme_remind(actor=SYSTEM, today=TODAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert sum(r.marked_overdue for r in results) == 2
    assert sum(r.due_soon + r.reports_missing for r in results) == 3
    assert sum(r.notifications for r in results) == 3
    assert Notification.objects.filter(topic__startswith="programme.").count() == 3
    assert TaskEvent.objects.filter(kind__in=["overdue", "reminded"]).count() == 5
