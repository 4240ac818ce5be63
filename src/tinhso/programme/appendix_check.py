"""Checking an appendix's rows against the database before anything is written.

Every look-up is one query per file, whatever the number of rows: the units within the plan's
unit, the indicators and documents named, the plan's groups and tasks with their links, the
last lead reports. Every problem is collected with its row and column; the task rules are
``services.check_task_fields`` (the one the forms use), the period rule is the services' too.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.xlsx import fold
from tinhso.indicators.selectors import indicators_matching
from tinhso.programme.appendix_read import ReadFile, ReportValues, Row
from tinhso.programme.models import Document, ProgressReport, ReportKind, Task, TaskGroup
from tinhso.programme.selectors import clock
from tinhso.programme.services import check_period as _check_period
from tinhso.programme.services import check_task_fields
from tinhso.scoring.engine import available_frameworks
from tinhso.units.selectors import units_matching, units_within

if TYPE_CHECKING:
    from tinhso.indicators.models import Indicator
    from tinhso.units.models import Unit

Progress = Callable[[str, int, int], None]


@functools.cache
def dti_codes() -> frozenset[str]:
    """The main indicator codes of the DTI frameworks the platform knows."""
    return frozenset(i.code for f in available_frameworks() if f.code.startswith("dti")
                     for i in f.indicators)


class UnitIndex:
    """Units by code (anywhere) or by name (within the plan's unit, without case or accents;
    when a name was shared over time, the unit valid today wins)."""

    FIELDS = ("id", "code", "name", "path", "valid_from", "valid_to")

    def __init__(self, scope: Unit, tokens: Iterable[str] = (), ids: Iterable[int] = ()):
        within = list(units_within(scope).only(*self.FIELDS))
        self.by_code = {u.code: u for u in within}
        self.by_id = {u.pk: u for u in within}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in within:
            self.by_name[fold(unit.name)].append(unit)
        codes = {c for t in tokens for c in (t, t.upper())} - set(self.by_code)
        extra = set(ids) - set(self.by_id)
        if codes or extra:
            for unit in units_matching(codes=codes, ids=extra).only(*self.FIELDS):
                self.by_code[unit.code] = self.by_id[unit.pk] = unit
        self.scope = scope
        self.today = timezone.localdate()

    def resolve(self, token: str) -> tuple[Unit | None, str]:
        unit = self.by_code.get(token) or self.by_code.get(token.upper())
        if unit is not None:
            return unit, ""
        found = self.by_name.get(fold(token), [])
        if len(found) > 1:
            found = [u for u in found if u.is_valid_on(self.today)] or found
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("'%(name)s' names several units (%(codes)s): write the code") % {
                "name": token, "codes": ", ".join(sorted(u.code for u in found))}
        return None, _("no unit of code or name '%(name)s' within %(scope)s") % {
            "name": token, "scope": self.scope.name}

    def label(self, unit: Unit) -> str:
        """How the export names a unit: its name when that finds it back, else its code."""
        found, _problem = self.resolve(unit.name)
        return unit.name if found is not None and found.pk == unit.pk else unit.code


@dataclass
class TaskValues:
    title: str
    lead_unit: Unit
    support_units: list[Unit]
    start_on: date
    due_on: date
    expected_output: str
    assigned_by: Document
    indicators: list[Indicator]
    dti_codes: list[str]
    weight: Decimal
    is_illustrative: bool

    def snapshot(self) -> dict[str, Any]:
        """What is compared and recorded, as ``services`` records a task (codes, ISO dates)."""
        return {"title": self.title, "lead_unit": self.lead_unit.code,
                "support_units": sorted(u.code for u in self.support_units),
                "start_on": self.start_on.isoformat(), "due_on": self.due_on.isoformat(),
                "expected_output": self.expected_output,
                "assigned_by": self.assigned_by.number,
                "indicators": sorted(i.code for i in self.indicators),
                "dti_codes": list(self.dti_codes),
                "weight": format(self.weight.normalize(), "f"),
                "is_illustrative": self.is_illustrative}


@dataclass
class PlannedTask:
    row: int
    group_code: str
    code: str
    values: TaskValues
    task: Task | None = None  # the task the row updates
    changes: dict[str, list[Any]] = field(default_factory=dict)
    report: ReportValues | None = None  # the report to file
    report_unchanged: bool = False


@dataclass
class PlannedGroup:
    code: str
    row: int
    title: str = ""
    title_row: int = 0
    group: TaskGroup | None = None


@dataclass
class Checked:
    groups: dict[str, PlannedGroup]
    tasks: list[PlannedTask]
    existing_groups: dict[str, TaskGroup]
    support_links: dict[int, dict[int, int]]  # task: {unit: link row}
    indicator_links: dict[int, dict[int, int]]  # task: {indicator: link row}
    positions: dict[int, int]  # group: the last task position used


class _Context:
    """What the rows are checked against, read in a fixed number of queries."""

    def __init__(self, document: Document, rows: list[Row], today: date | None):
        self.document = document
        self.groups = {g.code: g for g in TaskGroup.objects.filter(document=document)}
        group_code = {g.pk: code for code, g in self.groups.items()}
        self.tasks: dict[tuple[str, str], Task] = {}
        self.positions: dict[int, int] = defaultdict(int)
        for task in Task.objects.filter(group__document=document).select_related(
                "assigned_by").select_for_update(of=("self",)):
            self.tasks[(group_code[task.group_id], task.code)] = task
            self.positions[task.group_id] = max(self.positions[task.group_id], task.position)
        self.support_links = self._links(Task.support_units.through, "unit_id")
        self.indicator_links = self._links(Task.indicators.through, "indicator_id")
        unit_ids = {u for links in self.support_links.values() for u in links}
        unit_ids |= {t.lead_unit_id for t in self.tasks.values()}
        self.units = UnitIndex(document.unit, {t for r in rows for t in (
            r.lead_unit, *r.support_units) if t}, unit_ids)
        indicator_ids = {i for links in self.indicator_links.values() for i in links}
        indicators = list(indicators_matching(
            codes={c for r in rows for c in r.indicators}, ids=indicator_ids).only("id", "code"))
        self.indicators = {i.code: i for i in indicators}
        self.indicator_by_id = {i.pk: i for i in indicators}
        numbers = {r.assigned_by for r in rows if r.assigned_by}
        self.documents = {d.number: d for d in Document.objects.filter(number__in=numbers)}
        self.reports: dict[tuple[int, str], ReportValues] = {}
        for r in ProgressReport.objects.filter(task__group__document=document,
                                               kind=ReportKind.LEAD).order_by("submitted_at",
                                                                              "id"):
            self.reports[(r.task_id, r.period)] = ReportValues(
                r.period, r.percent, r.done_text, r.obstacles, r.proposals,
                r.regression_reason, r.completed_on, r.result_document)
        self.clock = clock(today)

    def _links(self, through: Any, column: str) -> dict[int, dict[int, int]]:
        links: dict[int, dict[int, int]] = defaultdict(dict)
        for pk, task_id, other in through.objects.filter(
                task__group__document=self.document).values_list("id", "task_id", column):
            links[task_id][other] = pk
        return links

    def stored(self, task: Task) -> TaskValues:
        return TaskValues(
            task.title, self.units.by_id[task.lead_unit_id],
            [self.units.by_id[u] for u in self.support_links.get(task.pk, {})],
            task.start_on, task.due_on, task.expected_output,
            task.assigned_by or self.document,
            [self.indicator_by_id[i] for i in self.indicator_links.get(task.pk, {})],
            list(task.dti_codes), task.weight, task.is_illustrative)


def _check_row(row: Row, ctx: _Context, actor: Any, error: Callable[[str, str], None]
               ) -> PlannedTask | None:
    units, document = ctx.units, ctx.document
    lead: Unit | None = None
    if row.lead_unit:
        lead, problem = units.resolve(row.lead_unit)
        if problem:
            error("lead_unit", problem)
    support: list[Unit] = []
    for token in row.support_units:
        unit, problem = units.resolve(token)
        if problem:
            error("support_units", problem)
        elif unit is not None and unit not in support:
            support.append(unit)
    assigned = document
    if row.assigned_by:
        found = ctx.documents.get(row.assigned_by)
        if found is None:
            error("assigned_by", _("no document %(number)s is recorded on the platform")
                  % {"number": row.assigned_by})
        else:
            assigned = found
    unknown = [c for c in row.indicators if c not in ctx.indicators]
    if unknown:
        error("indicators", _("not an indicator code: %s") % ", ".join(unknown))
    bad = [c for c in row.dti_codes if c not in dti_codes()]
    if bad:
        error("dti_codes", _("not a DTI main indicator: %(codes)s (known: %(known)s)")
              % {"codes": ", ".join(bad), "known": ", ".join(sorted(dti_codes()))})
    for name, messages in check_task_fields(
            document=document, title=row.title, lead_unit=lead, start_on=row.start_on,
            due_on=row.due_on, support_units=support).items():
        for message in messages:
            error(name, message)
    if lead is None or row.start_on is None or row.due_on is None or row.weight is None:
        return None
    values = TaskValues(row.title, lead, support, row.start_on, row.due_on,
                        row.expected_output, assigned, [ctx.indicators[c] for c in
                                                        row.indicators if c not in unknown],
                        row.dti_codes, row.weight, row.is_illustrative)
    planned = PlannedTask(row.number, row.group_code, row.code, values)
    task = ctx.tasks.get((row.group_code, row.code))
    if task is not None:
        planned.task = task
        before, after = ctx.stored(task).snapshot(), values.snapshot()
        planned.changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if task.is_closed and {"start_on", "due_on"} & set(planned.changes):
            error("due_on", _("The task is closed: its dates stay as they were."))
    if row.report is not None:
        _check_report(row.report, planned, ctx, actor, error)
    return planned


def _check_report(report: ReportValues, planned: PlannedTask, ctx: _Context, actor: Any,
                  error: Callable[[str, str], None]) -> None:
    task = planned.task
    if task is not None and (last := ctx.reports.get((task.pk, report.period))) is not None \
            and report.same_as(last):
        planned.report_unchanged = True
        return
    if task is not None and task.is_closed:
        error("period", _("The task was cancelled: it takes no more reports.")
              if task.cancelled_on else _("The task is done: it takes no more reports."))
    lead = planned.values.lead_unit
    if not may(actor, "programme.report", lead):
        error("lead_unit", _("You may not report for %(unit)s: it is outside your units.")
              % {"unit": lead.name})
    try:
        _check_period(report.period, ctx.clock)
    except ValidationError as exc:
        for message in exc.messages:
            error("period", message)
    planned.report = report


def check_appendix(*, actor: Any, document: Document, read: ReadFile,
                   today: date | None = None, progress: Progress | None = None) -> Checked:
    """Check every row; ``ImportRejected`` lists every problem (row, column, message)."""
    ctx = _Context(document, read.rows, today)
    errors = list(read.errors)
    marked = {(e.row, e.column) for e in errors}
    groups: dict[str, PlannedGroup] = {}
    seen: dict[tuple[str, str], int] = {}
    planned: list[PlannedTask] = []
    for index, row in enumerate(read.rows, start=1):
        def error(name: str, message: str, number: int = row.number) -> None:
            column = read.column(name)
            if (number, column) not in marked:  # one problem a cell: the first found
                marked.add((number, column))
                errors.append(RowError(number, column, message))

        key = (row.group_code, row.code)
        if row.group_code and row.code:
            if key in seen:
                error("code", _("task %(code)s of group %(group)s is also in row %(row)d")
                      % {"code": row.code, "group": row.group_code, "row": seen[key]})
                continue
            seen[key] = row.number
        if row.group_code:
            group = groups.setdefault(row.group_code, PlannedGroup(
                row.group_code, row.number, group=ctx.groups.get(row.group_code)))
            if row.group_title and group.title and row.group_title != group.title:
                error("group_title", _("group %(code)s is titled differently in row %(row)d")
                      % {"code": row.group_code, "row": group.title_row})
            elif row.group_title and not group.title:
                group.title, group.title_row = row.group_title, row.number
        task = _check_row(row, ctx, actor, error)
        if task is not None and row.group_code and row.code:
            planned.append(task)
        if progress is not None and (index % 500 == 0 or index == len(read.rows)):
            progress("check", index, len(read.rows))
    for group in groups.values():
        if group.group is None and not group.title:
            errors.append(RowError(group.row, read.column("group_title"), _(
                "the plan has no group %(code)s: give its title to create it")
                % {"code": group.code}))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    return Checked(groups, planned, ctx.groups, ctx.support_links, ctx.indicator_links,
                   dict(ctx.positions))
