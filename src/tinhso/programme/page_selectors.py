"""Reads for the programme's pages (``programme.views``): the documents' chain with their
rolled-up progress, the tree with the page's filters and each figure's terms named, a task's
page (reports, history, linked indicators' latest values, DTI main indicators), evidence.

Kept beside ``selectors`` (whose status, visibility and roll-up rules they call, never repeat)
so that each module stays short.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from tinhso.core.languages import localized
from tinhso.indicators.selectors import compute, next_target, stored_values
from tinhso.programme.models import (
    Document,
    Goal,
    ProgressReport,
    ReportEvidence,
    Task,
    TaskEvent,
    TaskGroup,
)
from tinhso.programme.rollup import GroupFact, NodeFigures, TaskFact, Term, roll_up
from tinhso.programme.selectors import (
    Clock,
    ProgrammeTree,
    TreeNode,
    may_view_task,
    status_q,
    task_rows,
    visible_tasks,
    with_status,
)
from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.units.selectors import units_among

if TYPE_CHECKING:
    from tinhso.indicators.models import Indicator
    from tinhso.units.models import Unit

DTI_FRAMEWORK = "dti-province-922"


@dataclass(frozen=True)
class TermLine:
    """One child's term in a figure, named for the page: weight × progress."""

    kind: str
    label: str
    weight: Decimal
    progress: float
    product: Decimal


@dataclass
class ExplainedNode(TreeNode):
    terms: list[TermLine] = field(default_factory=list)
    product_total: Decimal = Decimal(0)


@dataclass
class PageTree(ProgrammeTree):
    terms: list[TermLine] = field(default_factory=list)
    product_total: Decimal = Decimal(0)
    at_risk: int = 0
    filtered: bool = False


def _explain(terms: list[Term], labels: dict[tuple[str, int], str]
             ) -> tuple[list[TermLine], Decimal]:
    lines = [TermLine(t.kind, labels.get((t.kind, t.id), ""), t.weight, t.progress,
                      Decimal(str(t.progress)) * t.weight) for t in terms]
    return lines, sum((line.product for line in lines), Decimal(0))


def groups_in_area(groups: list[TaskGroup], area: str) -> set[int]:
    """The groups of an area: those marked with it and every group below them."""
    by_id = {g.id: g for g in groups}

    def area_of(g: TaskGroup) -> str:
        while not g.area and g.parent_id in by_id:
            g = by_id[g.parent_id]  # type: ignore[index]
        return g.area

    return {g.id for g in groups if area_of(g) == area}


def subtree(groups: list[TaskGroup], top: int) -> set[int]:
    """A group and every group below it."""
    kept = {top}
    grew = True
    while grew:
        grew = False
        for g in groups:
            if g.parent_id in kept and g.id not in kept:
                kept.add(g.id)
                grew = True
    return kept


# What the tree's rows read of a task (not its JSON fields nor its files: 5,000 rows quickly).
ROW_FIELDS = ("id", "group_id", "code", "title", "title_en", "lead_unit__name",
              "lead_unit__name_en", "lead_unit__code", "start_on", "due_on", "weight",
              "progress", "done_on", "finished_late", "cancelled_on", "is_illustrative",
              "position")


def programme_page_tree(document: Document, user: Any, clk: Clock, *, area: str = "",
                        status: str = "", lead_unit: Unit | None = None,
                        group: TaskGroup | None = None) -> PageTree:
    """The programme tree with the page's filters applied in the query (area, status, lead
    unit, one group and its subgroups; the figures then count the tasks shown) and each
    figure's terms named, so the page shows how it was computed. A fixed number of queries
    however many tasks there are."""
    groups = list(TaskGroup.objects.filter(document=document).order_by("position", "id"))
    tasks = visible_tasks(user).filter(group__document=document).only(*ROW_FIELDS)
    kept = {g.id for g in groups}
    if area:
        kept &= groups_in_area(groups, area)
    if group is not None:
        kept &= subtree(groups, group.id)
    if area or group is not None:
        groups = [g for g in groups if g.id in kept]
        tasks = tasks.filter(group_id__in=kept)
    if status:
        tasks = tasks.filter(status_q(status, clk))
    if lead_unit is not None:
        tasks = tasks.filter(lead_unit=lead_unit)
    rows = task_rows(tasks.order_by("position", "id"), clk)
    figures, whole = roll_up(
        [GroupFact(g.id, g.parent_id, g.weight) for g in groups],
        [TaskFact(r.task.id, r.task.group_id, r.task.weight, r.task.progress, r.status)
         for r in rows])
    labels = {("group", g.id): f"{g.code}. {localized(g, 'title')}" for g in groups}
    labels.update({("task", r.task.id): f"{r.task.code}. {localized(r.task, 'title')}"
                   for r in rows})
    nodes = {g.id: ExplainedNode(g, figures[g.id]) for g in groups}
    for node in nodes.values():
        node.terms, node.product_total = _explain(node.figures.terms, labels)
    roots: list[TreeNode] = []
    for g in groups:
        parent = nodes.get(g.parent_id) if g.parent_id else None
        (parent.children if parent else roots).append(nodes[g.id])
    for row in rows:
        nodes[row.task.group_id].tasks.append(row)
    filtered = bool(area or status or lead_unit or group)

    def place(node: TreeNode, level: int) -> bool:
        node.depth = level
        node.children = [c for c in node.children if place(c, level + 1)]
        return not filtered or node.figures.tasks > 0

    roots = [r for r in roots if place(r, 0)]
    terms, product_total = _explain(whole.terms, labels)
    return PageTree(document, roots, whole, {g.id: g for g in groups}, terms=terms,
                    product_total=product_total, at_risk=sum(r.at_risk for r in rows),
                    filtered=filtered)


@dataclass(frozen=True)
class ChainEntry:
    document: Document
    figures: NodeFigures | None  # None: the document has no groups


def document_chain(user: Any, clk: Clock) -> list[ChainEntry]:
    """Every document (what it implements, amends or replaces) with the rolled-up progress of
    the tasks the user may read, where it has groups; three queries in all."""
    documents = list(Document.objects.select_related("implements", "supersedes", "unit")
                     .order_by("issued_on", "id"))
    groups = list(TaskGroup.objects.values_list("id", "parent_id", "weight", "document_id"))
    facts: dict[int, list[TaskFact]] = {}
    annotated: Any = with_status(visible_tasks(user), clk)  # "status" is an annotation
    rows = annotated.values_list("id", "group_id", "weight", "progress", "status",
                                 "group__document_id")
    for pk, group_id, weight, progress, status, document_id in rows:
        facts.setdefault(document_id, []).append(TaskFact(pk, group_id, weight, progress, status))
    entries = []
    for doc in documents:
        mine = [GroupFact(g, parent, weight) for g, parent, weight, d in groups if d == doc.id]
        entries.append(ChainEntry(doc, roll_up(mine, facts.get(doc.id, []))[1] if mine else None))
    return entries


def main_document(chain: list[ChainEntry]) -> Document | None:
    """The programme's main document: the latest one with groups."""
    with_groups = [e.document for e in chain if e.figures is not None]
    return with_groups[-1] if with_groups else None


def lead_units(document: Document, user: Any) -> QuerySet[Unit]:
    """The units leading the document's tasks the user may read (for a filter)."""
    led = visible_tasks(user).filter(group__document=document).values("lead_unit")
    return units_among(led).order_by("path")


def task_page(pk: int, user: Any) -> Task | None:
    """A task with what its page shows, or None when the user may not read it."""
    return (visible_tasks(user).filter(pk=pk)
            .select_related("group__document__unit", "lead_unit", "assigned_by")
            .prefetch_related("support_units", "indicators").first())


@dataclass(frozen=True)
class ReportLine:
    report: ProgressReport
    resubmitted_as: ProgressReport | None  # the report that followed this returned one


def task_reports(task: Task) -> list[ReportLine]:
    """Every report on the task, latest period first, each with the one that followed it."""
    reports = list(task.reports.select_related("unit", "submitted_by", "decided_by")
                   .prefetch_related("evidence").order_by("-period", "submitted_at", "id"))
    followers = {r.previous_id: r for r in reports if r.previous_id}
    return [ReportLine(r, followers.get(r.pk)) for r in reports]


def task_events(task: Task) -> QuerySet[TaskEvent]:
    return task.events.select_related("actor", "report").order_by("at", "id")


def group_path(task: Task) -> list[TaskGroup]:
    """The task's group and the groups above it, top first (one query)."""
    groups = {g.id: g for g in TaskGroup.objects.filter(document_id=task.group.document_id)}
    path: list[TaskGroup] = []
    group = groups.get(task.group_id)
    while group is not None:
        path.insert(0, group)
        group = groups.get(group.parent_id) if group.parent_id else None
    return path


def evidence_for(pk: int, user: Any) -> ReportEvidence | None:
    """An evidence file, when the user may read its report's task."""
    evidence = ReportEvidence.objects.select_related("report__task").filter(pk=pk).first()
    if evidence is None or not may_view_task(user, evidence.report.task):
        return None
    return evidence


# --- a document's page -------------------------------------------------------------------


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    target: Any  # the linked indicator's target for the goal's unit and year, if any


def document_goals(document: Document) -> list[GoalLine]:
    """The document's goals, each with its indicator's target (one query per linked goal)."""
    goals = document.goals.select_related("unit", "indicator").order_by("year", "id")
    return [GoalLine(g, next_target(g.indicator, g.unit, g.year, rank=g.target_rank)
                     if g.indicator else None) for g in goals]


def related_documents(document: Document) -> dict[str, list[Document]]:
    """The documents that implement this one, and those that amend or replace it."""
    return {"implemented_by": list(document.implemented_by.order_by("issued_on", "id")),
            "superseded_by": list(document.superseded_by.order_by("issued_on", "id"))}


# --- a task's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class LatestValue:
    """An indicator's latest approved value at the programme's unit (None: not published)."""

    indicator: Indicator
    unit: Unit
    period: str | None = None
    value: float | None = None
    source: str = ""
    is_illustrative: bool = False


def linked_values(task: Task) -> list[LatestValue]:
    """The latest value of each indicator the task is linked to, at its document's unit, with
    its period and source; computed by ``indicators.selectors.compute`` (formulas included)."""
    indicators = list(task.indicators.all())
    if not indicators:
        return []
    unit = task.group.document.unit
    computed = compute(codes=[i.code for i in indicators], root=unit)
    latest = {}
    for indicator in indicators:
        series = computed.series(indicator.code, unit)
        if series:
            latest[indicator.pk] = series[-1]
    stored = stored_values(unit, indicators, [p for p, _v in latest.values()])
    lines = []
    for indicator in indicators:
        if indicator.pk not in latest:
            lines.append(LatestValue(indicator, unit))
            continue
        period, value = latest[indicator.pk]
        row = stored.get((indicator.pk, period))
        lines.append(LatestValue(indicator, unit, period, value, row.source if row else "",
                                 row.is_illustrative if row else False))
    return lines


@dataclass(frozen=True)
class DtiLine:
    code: str
    name: str
    name_en: str
    weight: float | None  # None: a code the framework does not know


def dti_indicators(task: Task) -> list[DtiLine]:
    """The DTI main indicators the task serves, named from the framework file."""
    try:
        framework = load_framework(DTI_FRAMEWORK)
    except FrameworkError:
        return [DtiLine(code, code, code, None) for code in task.dti_codes]
    known = {i.code: i for i in framework.indicators}
    return [DtiLine(code, known[code].name, known[code].name_en, known[code].weight)
            if code in known else DtiLine(code, code, code, None) for code in task.dti_codes]
