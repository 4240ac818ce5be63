"""Reads of the programme: the calendar and schedule it counts with, the status of tasks as a
query (tested against ``schedule.task_status``), who sees which task, and the tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Max,
    Min,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from tinhso.accounts.permissions import may, may_somewhere, scope_paths
from tinhso.core.calendar import cached_work_calendar_span
from tinhso.core.db import within_paths
from tinhso.core.workdays import WorkCalendar
from tinhso.programme import schedule
from tinhso.programme.models import (
    Document,
    Goal,
    ProgressReport,
    ReportingSchedule,
    ReportStatus,
    Task,
    TaskGroup,
)
from tinhso.programme.rollup import NodeFigures
from tinhso.units.models import Unit

FIRST_YEAR = 2019  # Resolution 52-NQ/TW; a programme's deadlines run to 2030 and beyond


def goals_for_unit(unit: Unit) -> QuerySet[Goal]:
    return Goal.objects.filter(unit=unit).select_related("document").order_by("year", "id")


def documents_for_unit(unit: Unit) -> QuerySet[Document]:
    return Document.objects.filter(unit=unit).order_by("issued_on")


# --- the clock -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """What every status is computed against: the day, the calendar and the schedule."""

    today: date
    cal: WorkCalendar
    rule: schedule.ReportingRule
    due_soon_days: int

    @property
    def overdue_cutoff(self) -> date:
        return schedule.overdue_cutoff(self.today, self.cal)

    @property
    def due_soon_limit(self) -> date:
        return schedule.due_soon_limit(self.today, self.cal, self.due_soon_days)


def reporting_schedule() -> ReportingSchedule:
    """The installation's schedule (unsaved defaults when none was set)."""
    return ReportingSchedule.objects.first() or ReportingSchedule()


def clock(today: date | None = None) -> Clock:
    today = today or timezone.localdate()
    row = reporting_schedule()
    cal = cached_work_calendar_span(FIRST_YEAR, max(today.year, 2030) + 2)
    return Clock(today, cal, row.rule(), row.due_soon_working_days)


def task_status(task: Task, clk: Clock) -> str:
    """The status of one task: the pure rule, with the task's facts."""
    return schedule.task_status(
        due_on=task.due_on, progress=task.progress, done_on=task.done_on,
        late=task.finished_late, cancelled=task.cancelled_on is not None, today=clk.today,
        cal=clk.cal, due_soon_days=clk.due_soon_days)


# --- status as a query ---------------------------------------------------------------------

def open_q(prefix: str = "") -> Q:
    """Neither done nor cancelled: the union of ``schedule.OPEN_STATUSES`` (tested)."""
    return Q(**{f"{prefix}cancelled_on__isnull": True, f"{prefix}done_on__isnull": True})


def status_q(status: str, clk: Clock, prefix: str = "") -> Q:
    """The tasks whose ``task_status`` is ``status`` today, as a query (``prefix`` for a
    related task, e.g. ``task__``). Tested against the pure rule over every day of a year."""
    p = prefix

    def q(**kwargs: Any) -> Q:
        return Q(**{f"{p}{k}": v for k, v in kwargs.items()})

    open_ = open_q(p)
    if status == schedule.CANCELLED:
        return q(cancelled_on__isnull=False)
    if status == schedule.DONE_ON_TIME:
        return q(cancelled_on__isnull=True, done_on__isnull=False, finished_late=False)
    if status == schedule.DONE_LATE:
        return q(cancelled_on__isnull=True, done_on__isnull=False, finished_late=True)
    if status == schedule.OVERDUE:
        return open_ & q(due_on__lte=clk.overdue_cutoff)
    if status == schedule.DUE_SOON:
        return open_ & q(due_on__gt=clk.overdue_cutoff, due_on__lte=clk.due_soon_limit)
    later = open_ & q(due_on__gt=clk.due_soon_limit)
    if status == schedule.NOT_STARTED:
        return later & q(progress=0)
    if status == schedule.IN_PROGRESS:
        return later & q(progress__gt=0)
    raise ValueError(f"unknown status {status!r}")


def with_status(tasks: QuerySet[Task], clk: Clock) -> QuerySet[Task]:
    """Annotate ``status`` (the same rule, in SQL), so lists filter and count by it."""
    return tasks.annotate(status=Case(
        *(When(status_q(s, clk), then=Value(s)) for s in schedule.STATUSES),
        default=Value(""), output_field=CharField()))


# --- who sees what -------------------------------------------------------------------------


def serving_dti(tasks: QuerySet[Task], codes: list[str]) -> QuerySet[Task]:
    """The tasks listing any of ``codes`` among their DTI main indicators. The JSON list is
    matched as text (``"code"``, the same on SQLite and PostgreSQL); codes are letters, digits
    and underscores, so a quoted code is one whole element of the list."""
    if not codes:
        return tasks.none()
    text = Q(dti_text__contains=f'"{codes[0]}"')
    for code in codes[1:]:
        text |= Q(dti_text__contains=f'"{code}"')
    return tasks.annotate(dti_text=Cast("dti_codes", TextField())).filter(text)


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The tasks a user may read: all of a programme whose document's unit is within their
    reading scope (the coordinator's and the leader's province), else the tasks their units
    lead or support."""
    tasks = Task.objects.all()
    paths = scope_paths(user, "programme.view") if user.is_authenticated else []
    if paths is None:
        return tasks
    if not may_read_programme(user):
        return tasks.none()
    condition = (within_paths("group__document__unit__path", paths)
                 | within_paths("lead_unit__path", paths))
    supported = Task.objects.filter(within_paths("support_units__path", paths)).values("pk")
    return tasks.filter(condition | Q(pk__in=supported))


def may_read_programme(user: Any) -> bool:
    return may_somewhere(user, "programme.view")


def may_view_task(user: Any, task: Task) -> bool:
    return visible_tasks(user).filter(pk=task.pk).exists()


def reporting_units(user: Any, task: Task) -> list[tuple[Unit, str]]:
    """The units a user may report for on a task, with the kind of report (lead/support)."""
    units: list[tuple[Unit, str]] = []
    if may(user, "programme.report", task.lead_unit):
        units.append((task.lead_unit, "lead"))
    for unit in task.support_units.all():
        if may(user, "programme.report", unit):
            units.append((unit, "support"))
    return units


# --- the tree ------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    status: str
    late_days: int = 0
    at_risk: bool = False


@dataclass
class TreeNode:
    group: TaskGroup
    figures: NodeFigures
    children: list[TreeNode] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    depth: int = 0


@dataclass
class ProgrammeTree:
    document: Document
    roots: list[TreeNode]
    figures: NodeFigures
    groups: dict[int, TaskGroup]


def task_rows(tasks: QuerySet[Task], clk: Clock) -> list[TaskRow]:
    """Tasks with their status (computed in SQL), lateness and risk; one query."""
    rows = []
    for task in with_status(tasks, clk).select_related("lead_unit"):
        status = task.status  # type: ignore[attr-defined]
        rows.append(TaskRow(
            task, status,
            late_days=schedule.days_late(task.due_on, clk.today, clk.cal)
            if status == schedule.OVERDUE else 0,
            at_risk=schedule.at_risk(status, start_on=task.start_on, due_on=task.due_on,
                                     progress=task.progress, today=clk.today)))
    return rows


def report_is_pending(task: Task) -> bool:
    return task.reports.filter(status=ReportStatus.SUBMITTED).exists()


def review_queue(user: Any) -> QuerySet[ProgressReport]:
    """The submitted reports waiting for this coordinator, oldest first (also the menu's
    count); never their own (four eyes: the query form of ``core.four_eyes.wrote_it`` on the
    report's submitter, which ``report_accept``/``report_return`` refuse)."""
    reports = (ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
               .exclude(submitted_by=user.pk)
               .select_related("task__group__document", "task__lead_unit", "unit",
                               "submitted_by")
               .annotate(evidence_count=Count("evidence")).order_by("submitted_at", "id"))
    if not may_somewhere(user, "programme.review"):
        return reports.none()
    paths = scope_paths(user, "programme.review")
    if paths is None:
        return reports
    return reports.filter(within_paths("task__group__document__unit__path", paths))


def tasks_changed_at() -> datetime | None:
    """When a task last changed (its progress, dates, status; None without tasks)."""
    return Task.objects.aggregate(at=Max("updated_at"))["at"]


# --- a unit's programme as a whole (the public portal's counts) ----------------------------


def unit_tasks(unit: Unit) -> QuerySet[Task]:
    """The tasks of the programme documents of ``unit`` (the province's), by id."""
    return Task.objects.filter(group__document__unit=unit).order_by("id")


def unit_groups(unit: Unit) -> list[TaskGroup]:
    """The task groups of the programme documents of ``unit`` (one query)."""
    return list(TaskGroup.objects.filter(document__unit=unit))


def unit_tasks_span(unit: Unit) -> tuple[datetime | None, datetime | None]:
    """When the unit's programme tasks were first recorded and last changed."""
    row = unit_tasks(unit).aggregate(first=Min("created_at"), last=Max("updated_at"))
    return row["first"], row["last"]


def assignable_groups(user: Any) -> list[TaskGroup]:
    """The task groups ``user`` may add a document's task to (``programme.assign``), by
    programme document, each with its document loaded."""
    paths = scope_paths(user, "programme.assign")
    groups = TaskGroup.objects.select_related("document").order_by(
        "document__unit__path", "document_id", "position", "id")
    if paths is not None:
        groups = groups.filter(within_paths("document__unit__path", paths))
    return list(groups)


def task_brief(task_id: int) -> Task | None:
    """A task with its group and lead unit (the document office shows its state)."""
    return Task.objects.select_related("group__document", "lead_unit").filter(
        pk=task_id).first()
