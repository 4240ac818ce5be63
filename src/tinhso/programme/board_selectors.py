"""Reads of the programme's boards: "my unit's tasks", the timeline, the overdue and at-risk
lists, the charts, and the tasks that serve a DTI main indicator.

Built on ``selectors``: every status comes from ``task_rows`` (``with_status``, the status as
SQL) or ``status_q``, lateness and risk from ``schedule``, every rolled-up figure from
``rollup.roll_up``. Each board reads its tasks in one query, whatever their number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from tinhso.accounts.permissions import scope_paths
from tinhso.programme import schedule
from tinhso.programme.models import (
    Document,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Task,
    TaskGroup,
)
from tinhso.programme.rollup import GroupFact, NodeFigures, TaskFact, roll_up
from tinhso.programme.selectors import (
    Clock,
    TaskRow,
    open_q,
    serving_dti,
    status_q,
    task_rows,
    visible_tasks,
)
from tinhso.units.selectors import units_matching

if TYPE_CHECKING:
    from tinhso.units.models import Unit

DONE = "done"  # the section of "my unit's tasks" holding both kinds of done
URGENCY = (schedule.OVERDUE, schedule.DUE_SOON, schedule.IN_PROGRESS, schedule.NOT_STARTED)
LEAD, SUPPORT = "lead", "support"
BEHIND = "behind"  # at risk: far behind an even pace


def _fact(row: TaskRow, group_id: int) -> TaskFact:
    t = row.task
    return TaskFact(t.id, group_id, t.weight, t.progress, row.status)


def _with_unit(tasks: QuerySet[Task], unit_ids: Iterable[int]) -> QuerySet[Task]:
    """Tasks that one of the units leads or supports."""
    ids = list(unit_ids)
    supported = Task.objects.filter(support_units__in=ids).values("pk")
    return tasks.filter(Q(lead_unit__in=ids) | Q(pk__in=supported))


# --- my unit's tasks ------------------------------------------------------------------------


def my_units(user: Any) -> list[Unit]:
    """The user's units: those where they hold a role that reads the programme, and the unit
    they belong to. "My unit's tasks" are the tasks these very units lead or support (a role
    held at the province does not make every department's task the user's own)."""
    paths = scope_paths(user, "programme.view") or []
    own = [user.unit_id] if user.unit_id is not None else []
    return list(units_matching(paths=paths, ids=own).order_by("depth", "code"))


@dataclass
class MineRow:
    row: TaskRow
    role: str  # LEAD or SUPPORT: what the user's units do on the task


@dataclass
class MineBoard:
    units: list[Unit]
    period: schedule.ReportPeriod
    report_due: date
    report_late: bool
    sections: list[tuple[str, list[MineRow]]]  # (status or DONE, rows); empty ones left out
    to_report: list[MineRow]



def mine_board(user: Any, clk: Clock) -> MineBoard:
    """The tasks the user's units lead or support, by status (overdue first, most late first),
    and the lead reports still owed for the period to report: a task owes one when it is open,
    started before the period ended, and has no submitted or accepted lead report for it."""
    units = my_units(user)
    unit_ids = {u.id for u in units}
    tasks = _with_unit(visible_tasks(user), unit_ids).order_by("due_on", "id")
    period = schedule.period_to_report(clk.today, clk.rule)
    due = schedule.report_due(period, clk.rule, clk.cal)
    rows = [MineRow(r, LEAD if r.task.lead_unit_id in unit_ids else SUPPORT)
            for r in task_rows(tasks, clk)]
    sent = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    reported = set(ProgressReport.objects.filter(
        task__in=tasks.values("pk"), period=period.code, kind=ReportKind.LEAD, status__in=sent,
    ).values_list("task_id", flat=True))
    by_key: dict[str, list[MineRow]] = {}
    for m in rows:
        key = DONE if m.row.status in (schedule.DONE_ON_TIME, schedule.DONE_LATE) \
            else m.row.status
        by_key.setdefault(key, []).append(m)
    by_key.get(schedule.OVERDUE, []).sort(key=lambda m: -m.row.late_days)
    by_key.get(DONE, []).sort(key=lambda m: m.row.task.done_on or date.min, reverse=True)
    order = (*URGENCY, DONE, schedule.CANCELLED)
    to_report = [m for m in rows if m.role == LEAD and m.row.status in schedule.OPEN_STATUSES
                 and m.row.task.start_on <= period.end and m.row.task.id not in reported]
    return MineBoard(units, period, due, clk.today > due,
                     [(k, by_key[k]) for k in order if by_key.get(k)], to_report)


# --- the timeline ---------------------------------------------------------------------------


@dataclass
class Bar:
    row: TaskRow
    left: float  # percent of the axis
    width: float
    due_at: float  # the end of the due day
    done_at: float | None = None  # a done task's bar ends there (the marker)
    late_width: float = 0.0  # an overdue task: from the due date to today


@dataclass
class Lane:
    group: TaskGroup  # a top group (an area of the programme)
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Timeline:
    today_at: float
    ticks: list[tuple[str, float, bool]]  # (label, percent, major)
    lanes: list[Lane]

    @property
    def count(self) -> int:
        return sum(len(lane.bars) for lane in self.lanes)


def _groups(document: Document | None) -> list[TaskGroup]:
    groups = TaskGroup.objects.select_related("document").order_by(
        "document__issued_on", "document_id", "position", "id")
    return list(groups if document is None else groups.filter(document=document))


def top_groups(groups: list[TaskGroup]) -> dict[int, TaskGroup]:
    """Each group's top group (the one without a parent above it), for groups of any depth."""
    by_id = {g.id: g for g in groups}
    tops: dict[int, TaskGroup] = {}
    for g in groups:
        chain, node = [], g
        while node.id not in tops and node.parent_id is not None:
            chain.append(node)
            node = by_id[node.parent_id]
        top = tops.get(node.id, node)
        for n in [*chain, node]:
            tops[n.id] = top
    return tops


def _axis_ticks(start: date, end: date, pct: Any) -> list[tuple[str, float, bool]]:
    """A year's start (major), and each quarter's when the axis spans four years or less."""
    months = (1, 4, 7, 10) if end.year - start.year <= 4 else (1,)
    return [(str(y) if m == 1 else f"Q{m // 3 + 1}", pct(date(y, m, 1)), m == 1)
            for y in range(start.year, end.year) for m in months]


def timeline(user: Any, clk: Clock, *, document: Document | None = None, area: str = "",
             unit: Unit | None = None) -> Timeline:
    """Bars from start to due date per task, by top group, against today. Two queries (the
    groups, the tasks) however many tasks."""
    group_list = _groups(document)
    tops = top_groups(group_list)
    tasks = visible_tasks(user).order_by("start_on", "due_on", "id")
    if document is not None:
        tasks = tasks.filter(group__document=document)
    if area:
        tasks = tasks.filter(group_id__in=[g.id for g in group_list if tops[g.id].area == area])
    if unit is not None:
        tasks = _with_unit(tasks, [unit.id])
    rows = task_rows(tasks, clk)
    first = min([r.task.start_on for r in rows] + [clk.today])
    last = max([max(r.task.due_on, r.task.done_on or r.task.due_on) for r in rows]
               + [clk.today])
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    total = (end - start).days

    def pct(day: date) -> float:
        return round(100.0 * (day - start).days / total, 3)

    one = timedelta(days=1)
    lanes = {g.id: Lane(g) for g in group_list if tops[g.id] is g}
    for r in rows:
        t = r.task
        left = pct(min(t.start_on, t.done_on or t.start_on))
        finish = t.done_on if t.done_on is not None else t.due_on
        bar = Bar(r, left, max(pct(finish + one) - left, 0.2), due_at=pct(t.due_on + one))
        if t.done_on is not None:
            bar.done_at = pct(t.done_on + one)
        if r.status == schedule.OVERDUE:
            bar.late_width = max(pct(clk.today) - bar.due_at, 0.0)
        lanes[tops[t.group_id].id].bars.append(bar)
    return Timeline(pct(clk.today), _axis_ticks(start, end, pct),
                    [lane for lane in lanes.values() if lane.bars])


# --- overdue and at risk --------------------------------------------------------------------


@dataclass
class Reason:
    """Why a task is at risk (``schedule.at_risk``): due soon, or far behind an even pace."""

    kind: str  # schedule.DUE_SOON or BEHIND
    days_left: int = 0
    expected: float = 0.0
    behind: float = 0.0


def risk_reasons(row: TaskRow, clk: Clock) -> list[Reason]:
    t = row.task
    reasons = []
    if row.status == schedule.DUE_SOON:
        reasons.append(Reason(schedule.DUE_SOON,
                              days_left=schedule.working_days_left(t.due_on, clk.today, clk.cal)))
    expected = schedule.expected_progress(t.start_on, t.due_on, clk.today)
    if expected - t.progress >= schedule.AT_RISK_BEHIND:
        reasons.append(Reason(BEHIND, expected=expected, behind=expected - t.progress))
    return reasons


@dataclass
class OverdueRow:
    row: TaskRow
    support: list[Unit]
    last_report: ProgressReport | None = None
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class UnitCounts:
    unit: Unit
    overdue: int = 0
    at_risk: int = 0
    open: int = 0


@dataclass
class OverdueBoard:
    overdue: list[OverdueRow]
    at_risk: list[OverdueRow]
    units: list[UnitCounts]


def overdue_board(user: Any, clk: Clock) -> OverdueBoard:
    """Overdue tasks, most late first (working days), with who leads, who supports and the last
    report; at-risk tasks with their reasons; per lead unit the overdue, at-risk and open
    counts. Four queries however many tasks."""
    last = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-submitted_at", "-id")
    tasks = (visible_tasks(user).filter(open_q())
             .annotate(last_report_id=Subquery(last.values("pk")[:1]))
             .prefetch_related("support_units").order_by("due_on", "id"))
    rows = task_rows(tasks, clk)
    overdue = [r for r in rows if r.status == schedule.OVERDUE]
    reports = ProgressReport.objects.select_related("unit").in_bulk(
        [r.task.last_report_id for r in overdue  # type: ignore[attr-defined]
         if r.task.last_report_id is not None])  # type: ignore[attr-defined]
    counts: dict[int, UnitCounts] = {}
    for r in rows:
        c = counts.setdefault(r.task.lead_unit_id, UnitCounts(r.task.lead_unit))
        c.open += 1
        c.overdue += r.status == schedule.OVERDUE
        c.at_risk += r.at_risk
    late = [OverdueRow(r, list(r.task.support_units.all()),
                       reports.get(r.task.last_report_id))  # type: ignore[attr-defined]
            for r in overdue]
    late.sort(key=lambda o: (-o.row.late_days, o.row.task.id))
    risky = [OverdueRow(r, list(r.task.support_units.all()), reasons=risk_reasons(r, clk))
             for r in rows if r.at_risk]
    return OverdueBoard(late, risky, sorted(counts.values(),
                                            key=lambda c: (-c.overdue, -c.at_risk, c.unit.name)))


# --- charts ---------------------------------------------------------------------------------


def unit_figures(rows: Iterable[TaskRow]) -> NodeFigures:
    """A unit's weighted progress (and its counts by status): its tasks as the children of one
    group, rolled up by the one rule (``roll_up``): the tasks' weights, a done task counts 100,
    a cancelled one and a task of weight 0 are left out."""
    figures, _whole = roll_up([GroupFact(0, None, Decimal(1))], [_fact(r, 0) for r in rows])
    return figures[0]


@dataclass
class DocumentFigures:
    document: Document
    groups: list[tuple[TaskGroup, NodeFigures]]  # the top groups
    whole: NodeFigures


@dataclass
class UnitFigures:
    unit: Unit
    figures: NodeFigures

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(s, self.figures.counts[s]) for s in schedule.STATUSES]


@dataclass
class Charts:
    documents: list[DocumentFigures]
    units: list[UnitFigures]


def charts(user: Any, clk: Clock, *, document: Document | None = None) -> Charts:
    """Per document, its top groups' rolled-up progress; per lead unit, its tasks by status and
    its weighted progress. Two queries (groups, tasks)."""
    group_list = _groups(document)
    tasks = visible_tasks(user).order_by("id")
    if document is not None:
        tasks = tasks.filter(group__document=document)
    rows = task_rows(tasks, clk)
    by_document: dict[int, list[TaskGroup]] = {}
    for g in group_list:
        by_document.setdefault(g.document_id, []).append(g)
    doc_of = {g.id: g.document_id for g in group_list}
    documents = []
    for doc_groups in by_document.values():
        doc_rows = [r for r in rows if doc_of.get(r.task.group_id) == doc_groups[0].document_id]
        if not doc_rows:
            continue
        figures, whole = roll_up([GroupFact(g.id, g.parent_id, g.weight) for g in doc_groups],
                                 [_fact(r, r.task.group_id) for r in doc_rows])
        documents.append(DocumentFigures(
            doc_groups[0].document,
            [(g, figures[g.id]) for g in doc_groups if g.parent_id is None], whole))
    by_unit: dict[int, list[TaskRow]] = {}
    for r in rows:
        by_unit.setdefault(r.task.lead_unit_id, []).append(r)
    units = sorted((UnitFigures(unit_rows[0].task.lead_unit, unit_figures(unit_rows))
                    for unit_rows in by_unit.values()), key=lambda u: u.unit.name)
    return Charts(documents, units)


# --- the tasks that serve a DTI main indicator ----------------------------------------------

CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_CODES = 20


def parse_codes(raw: str) -> list[str]:
    """``chinh_quyen_so,kinh_te_so`` → the codes, in order, once each; ValueError names a code
    that cannot be one, or too many."""
    codes = list(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))
    for code in codes:
        if not CODE.match(code):
            raise ValueError(code)
    if len(codes) > MAX_CODES:
        raise ValueError(codes[MAX_CODES])
    return codes


@dataclass
class Serving:
    code: str
    rows: list[TaskRow]

    @property
    def overdue(self) -> int:
        return sum(r.status == schedule.OVERDUE for r in self.rows)


_ORDER = {s: i for i, s in enumerate((*URGENCY, schedule.DONE_LATE, schedule.DONE_ON_TIME))}


def serving_tasks(user: Any, codes: list[str], clk: Clock) -> list[Serving]:
    """For each code, the tasks the user may read that list it among their DTI main indicators
    (cancelled ones left out), most late first. One query (``selectors.serving_dti``), then
    each code's list."""
    if not codes:
        return []
    tasks = serving_dti(visible_tasks(user).exclude(status_q(schedule.CANCELLED, clk)), codes)
    rows = sorted(task_rows(tasks, clk),
                  key=lambda r: (_ORDER.get(r.status, 9), -r.late_days, r.task.due_on, r.task.id))
    return [Serving(code, [r for r in rows if code in (r.task.dti_codes or [])])
            for code in codes]
