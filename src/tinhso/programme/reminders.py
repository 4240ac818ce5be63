"""The programme's daily reminders: mark the tasks that turned overdue, remind lead units of the
tasks due soon and of the progress reports not yet sent, through the notification outbox the
dossiers use (``procedures.notifications.notify_staff``).

Once means once: every reminder is a ``TaskReminder`` row (task, kind, key: the due date, or
the reporting period's code) under a unique constraint, written before anything is told. A run
that finds the row already there (an earlier run, or a concurrent one that committed first: the
insert waits for it, then fails) tells nothing about it, so two runs, a restart or a crash in
between never remind twice; a task rescheduled to a later due date has a new key and is
reminded again when that date comes. Everything (rows, history, audit, messages) is one
transaction; the messages are ``Notification`` rows, sent after the commit by the worker.

What counts as overdue, due soon or open is asked of ``selectors.status_q`` (the one rule); the
period to report and its due date of ``schedule``. A "report not sent" reminder is made from
the day the report is due (``schedule.report_due``) while that period is still the one to
report: a unit that reports within its working days is not disturbed, one that has not yet
reported hears on the last day it can still do so on time (the job runs just after midnight),
and a day the job did not run is caught up by the next run.

Recipients: the active staff holding ``unit_reporter`` at the lead unit or at a unit above it
within the province (not the country: a national reporter is not the province's), who have an
e-mail address; kept on the ``TaskReminder``. One message per lead unit and kind per run lists
all its tasks (a busy department reads one e-mail, not twenty).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import SYSTEM, require
from tinhso.accounts.selectors import role_holder_emails
from tinhso.audit.services import audit_record
from tinhso.procedures.notifications import notify_staff
from tinhso.programme import audit_events, schedule
from tinhso.programme.models import (
    ProgressReport,
    ReminderKind,
    ReportKind,
    ReportStatus,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskReminder,
)
from tinhso.programme.selectors import Clock, clock, open_q, status_q
from tinhso.units.models import Unit


@dataclass
class RemindResult:
    """What one run did (only what it made: what earlier runs made is not counted again)."""

    today: date
    marked_overdue: int = 0
    due_soon: int = 0
    reports_missing: int = 0
    notifications: int = 0
    no_recipient: int = 0  # reminders made whose lead unit has no reporter with an e-mail
    report_period: str = ""
    report_due: date | None = None

    def __str__(self) -> str:
        text = _("%(today)s: %(overdue)d tasks marked overdue, %(soon)d reminded as due soon, "
                 "%(reports)d reminded of their %(period)s report (due %(due)s); "
                 "%(notifications)d notifications written.") % {
            "today": f"{self.today:%d/%m/%Y}", "overdue": self.marked_overdue,
            "soon": self.due_soon, "reports": self.reports_missing,
            "period": self.report_period,
            "due": f"{self.report_due:%d/%m/%Y}" if self.report_due else "-",
            "notifications": self.notifications}
        if self.no_recipient:
            text += " " + _("%(count)d reminders found no unit reporter with an e-mail "
                            "address.") % {"count": self.no_recipient}
        return text

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["report_due"] = self.report_due.isoformat() if self.report_due else None
        return data


@dataclass
class _Reminder:
    task: Task
    kind: str
    key: str
    recipients: list[str] = field(default_factory=list)


def task_path(task_pk: int) -> str:
    """The task's page, as the messages name it."""
    return f"/programme/tasks/{task_pk}/"


# --- what is due ---------------------------------------------------------------------------


def _not_yet(kind: str, tasks: QuerySet[Task], key_of: Any) -> list[_Reminder]:
    """The tasks of ``tasks`` (in id order) without a reminder of this kind and key yet."""
    made = set(TaskReminder.objects.filter(kind=kind, task__in=tasks.values("pk"))
               .values_list("task_id", "key"))
    found = []
    for item in tasks.select_related("lead_unit").order_by("pk"):
        key = key_of(item)
        if (item.pk, key) not in made:
            found.append(_Reminder(item, kind, key))
    return found


def _by_due_date(item: Task) -> str:
    return item.due_on.isoformat()


def _reports_not_sent(clk: Clock, period: schedule.ReportPeriod) -> QuerySet[Task]:
    """Open tasks that had begun by the period's end and have no lead report for it that was
    sent (submitted) or accepted; a returned one, not yet sent again, does not count."""
    sent = ProgressReport.objects.filter(
        task=OuterRef("pk"), period=period.code, kind=ReportKind.LEAD,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    is_open = open_q()
    return Task.objects.filter(is_open, start_on__lte=period.end).exclude(Exists(sent))


def _within_province(path: str) -> list[str]:
    """The paths of a unit and of the units above it, the country (the root) left out."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(2, len(parts) + 1)]


def _recipients(units: Iterable[Unit]) -> dict[int, list[str]]:
    """Per lead unit: who is answerable for its reports (one query for all of them)."""
    units = list(units)
    emails = role_holder_emails(Role.UNIT_REPORTER,
                                {p for u in units for p in _within_province(u.path)})
    return {u.pk: sorted({e for p in _within_province(u.path) for e in emails.get(p, [])})
            for u in units}


def _claim(wanted: list[_Reminder], now: datetime) -> list[_Reminder]:
    """Write each reminder's row; the ones another run has written meanwhile fail the unique
    constraint (after waiting for that run's commit) and are left out."""
    made = []
    for reminder in wanted:
        try:
            with transaction.atomic():  # a savepoint: a conflict undoes this row only
                TaskReminder.objects.create(task=reminder.task, kind=reminder.kind,
                                            key=reminder.key, created_at=now,
                                            recipients=reminder.recipients)
        except IntegrityError:
            continue
        made.append(reminder)
    return made


# --- the run -------------------------------------------------------------------------------


@transaction.atomic
def programme_remind(*, actor: Any, today: date | None = None) -> RemindResult:
    """Mark the tasks that turned overdue and remind the lead units, once each (see the
    module's docstring). ``today`` counts as if it were that day (the tests, a catch-up)."""
    require(actor, "programme.manage", None)
    clk = clock(today)
    period = schedule.period_to_report(clk.today, clk.rule)
    report_due = schedule.report_due(period, clk.rule, clk.cal)
    result = RemindResult(clk.today, report_period=period.code, report_due=report_due)
    tasks = Task.objects.all()
    wanted = (_not_yet(ReminderKind.OVERDUE, tasks.filter(status_q(schedule.OVERDUE, clk)),
                       _by_due_date)
              + _not_yet(ReminderKind.DUE_SOON, tasks.filter(status_q(schedule.DUE_SOON, clk)),
                         _by_due_date))
    if clk.today >= report_due:
        wanted += _not_yet(ReminderKind.REPORT_MISSING, _reports_not_sent(clk, period),
                           lambda item: period.code)
    if not wanted:
        return result
    recipients = _recipients({r.task.lead_unit_id: r.task.lead_unit for r in wanted}.values())
    for reminder in wanted:
        reminder.recipients = recipients[reminder.task.lead_unit_id]
    now = timezone.now()
    made = _claim(wanted, now)
    if not made:
        return result
    _record(made, actor, clk, now, result)
    result.notifications = _tell(made, clk, period, report_due)
    audit_record(actor=actor, action=audit_events.PROGRAMME_REMINDED, details={
        "today": clk.today.isoformat(), "notifications": result.notifications,
        "overdue": [r.task.pk for r in made if r.kind == ReminderKind.OVERDUE],
        "due_soon": [r.task.pk for r in made if r.kind == ReminderKind.DUE_SOON],
        "report": {"period": period.code,
                   "tasks": [r.task.pk for r in made if r.kind == ReminderKind.REPORT_MISSING]},
        "no_recipient": [r.task.pk for r in made if not r.recipients]})
    return result


def _record(made: list[_Reminder], actor: Any, clk: Clock, now: datetime,
            result: RemindResult) -> None:
    """The tasks' history (one event each) and, for a task that turned overdue, its own audit
    event: turning overdue changes where the task stands, which the audit trail of that task
    must show; the reminders themselves are told by the run's one summary event."""
    user = actor if getattr(actor, "pk", None) else None
    label = str(getattr(actor, "username", actor or ""))
    events = []
    for reminder in made:
        item, recipients = reminder.task, reminder.recipients
        if reminder.kind == ReminderKind.OVERDUE:
            late = schedule.days_late(item.due_on, clk.today, clk.cal)
            details: dict[str, Any] = {"due_on": item.due_on.isoformat(), "days_late": late,
                                       "recipients": recipients}
            events.append(TaskEvent(task=item, kind=TaskEventKind.OVERDUE, at=now, actor=user,
                                    actor_label=label, details=details))
            audit_record(actor=actor, action=audit_events.TASK_OVERDUE, obj=item,
                         unit=item.lead_unit, details=details)
            result.marked_overdue += 1
        else:
            events.append(TaskEvent(task=item, kind=TaskEventKind.REMINDED, at=now, actor=user,
                                    actor_label=label,
                                    details={"reminder": reminder.kind, "key": reminder.key,
                                             "recipients": recipients}))
            if reminder.kind == ReminderKind.DUE_SOON:
                result.due_soon += 1
            else:
                result.reports_missing += 1
        if not recipients:
            result.no_recipient += 1
    TaskEvent.objects.bulk_create(events)


# --- the messages (Vietnamese, as the units read them) -------------------------------------


def _task_lines(reminder: _Reminder, clk: Clock) -> str:
    item = reminder.task
    facts = [f"hạn hoàn thành {item.due_on:%d/%m/%Y}"]
    late = schedule.days_late(item.due_on, clk.today, clk.cal)
    if late:
        facts.append(f"quá hạn {late} ngày làm việc")
    elif reminder.kind == ReminderKind.DUE_SOON:
        facts.append(f"còn {schedule.working_days_left(item.due_on, clk.today, clk.cal)} "
                     "ngày làm việc")
    facts.append(f"tiến độ {item.progress} %")
    return (f"- {item.code}. {item.title}\n  {'; '.join(facts)}\n"
            f"  Xem và báo cáo: {task_path(item.pk)}\n")


def _wording(kind: str, count: int, unit: Unit, clk: Clock, period: schedule.ReportPeriod,
             report_due: date) -> tuple[str, str]:
    """Subject and opening of a message of this kind."""
    tasks = f"{count} nhiệm vụ do {unit.name} chủ trì"
    if kind == ReminderKind.OVERDUE:
        return (f"[tỉnh số] Nhiệm vụ quá hạn: {tasks}",
                "Các nhiệm vụ sau đã quá hạn mà chưa hoàn thành:")
    if kind == ReminderKind.DUE_SOON:
        return (f"[tỉnh số] Nhiệm vụ sắp đến hạn: {tasks}",
                f"Các nhiệm vụ sau sắp đến hạn (trong {clk.due_soon_days} ngày làm việc):")
    return (f"[tỉnh số] Nhắc báo cáo tiến độ kỳ {period.code}: {tasks}",
            f"Đơn vị chưa gửi báo cáo tiến độ kỳ {period.code} (từ {period.start:%d/%m/%Y} "
            f"đến {period.end:%d/%m/%Y}), hạn gửi ngày {report_due:%d/%m/%Y}, "
            "cho các nhiệm vụ sau:")


def _tell(made: list[_Reminder], clk: Clock, period: schedule.ReportPeriod,
          report_due: date) -> int:
    """One message per lead unit and kind, to each of its reporters; returns how many."""
    groups: dict[tuple[str, int], list[_Reminder]] = {}
    for reminder in made:
        groups.setdefault((reminder.kind, reminder.task.lead_unit_id), []).append(reminder)
    written = 0
    for (kind, _unit_id), reminders in groups.items():
        unit = reminders[0].task.lead_unit
        if not reminders[0].recipients:
            continue
        subject, opening = _wording(kind, len(reminders), unit, clk, period, report_due)
        body = (f"Kính gửi {unit.name},\n\n{opening}\n\n"
                + "\n".join(_task_lines(r, clk) for r in reminders)
                + "\nVui lòng cập nhật tiến độ và gửi báo cáo trên hệ thống tỉnh số.\n\n"
                  "Thư được gửi tự động; mỗi nhiệm vụ chỉ được nhắc một lần cho mỗi hạn "
                  "hoàn thành và mỗi kỳ báo cáo.\n")
        for email in reminders[0].recipients:
            notify_staff(email=email, subject=subject, body=body,
                         topic=f"programme.{kind}:{unit.code}")
            written += 1
    return written


@task()
def remind_programme(today: str | None = None) -> dict[str, Any]:
    """The daily run, as a task for the worker (``tinhso programme remind --enqueue``; cron
    triggers it daily: django-tasks has no scheduler of its own)."""
    return programme_remind(actor=SYSTEM,
                            today=date.fromisoformat(today) if today else None).as_dict()
