"""Roll-up of progress and late counts up the programme tree. Pure Python.

One rule, one place: the progress of a group (or a document) is the weighted mean of its
children's progress, a child being a task or a subgroup:

    progress(group) = Σ weight(child) × progress(child) / Σ weight(child)

over the children that count: a cancelled task, a child of weight 0 and a subgroup with no
counting child are left out (its weight is not in the sum). A done task counts 100. Counts of
tasks by status roll up by plain sums. Each node keeps the terms of its sum (``terms``), so a
page can show how the figure was computed and anyone can recompute it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tinhso.programme.schedule import CANCELLED, DONE_LATE, DONE_ON_TIME, LATE_STATUSES


@dataclass(frozen=True)
class TaskFact:
    id: int
    group_id: int
    weight: Decimal
    progress: int
    status: str


@dataclass(frozen=True)
class GroupFact:
    id: int
    parent_id: int | None
    weight: Decimal


@dataclass
class Term:
    """One child's part in its parent's figure."""

    kind: str  # "task" or "group"
    id: int
    weight: Decimal
    progress: float


@dataclass
class NodeFigures:
    progress: float | None = None  # percent, None when nothing counts
    weight_total: Decimal = Decimal(0)
    terms: list[Term] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def tasks(self) -> int:
        return sum(self.counts.values())

    @property
    def late(self) -> int:
        return sum(self.counts[s] for s in LATE_STATUSES)

    @property
    def done(self) -> int:
        return self.counts[DONE_ON_TIME] + self.counts[DONE_LATE]


def task_progress(fact: TaskFact) -> float:
    return 100.0 if fact.status in (DONE_ON_TIME, DONE_LATE) else float(fact.progress)


def _mean(terms: list[Term]) -> tuple[float | None, Decimal]:
    total = sum((t.weight for t in terms), Decimal(0))
    if total == 0:
        return None, total
    return float(sum(Decimal(str(t.progress)) * t.weight for t in terms) / total), total


def roll_up(groups: Iterable[GroupFact], tasks: Iterable[TaskFact]
            ) -> tuple[dict[int, NodeFigures], NodeFigures]:
    """Figures for every group, and for the whole (the mean of the top-level groups)."""
    group_list = list(groups)
    figures = {g.id: NodeFigures() for g in group_list}
    children: dict[int | None, list[GroupFact]] = {}
    for g in group_list:
        children.setdefault(g.parent_id, []).append(g)
    for task in tasks:
        node = figures[task.group_id]
        node.counts[task.status] += 1
        if task.status != CANCELLED and task.weight > 0:
            node.terms.append(Term("task", task.id, task.weight, task_progress(task)))

    def visit(group: GroupFact) -> NodeFigures:
        node = figures[group.id]
        for child in children.get(group.id, []):
            sub = visit(child)
            node.counts.update(sub.counts)
            if sub.progress is not None and child.weight > 0:
                node.terms.append(Term("group", child.id, child.weight, sub.progress))
        node.progress, node.weight_total = _mean(node.terms)
        return node

    whole = NodeFigures()
    for top in children.get(None, []):
        sub = visit(top)
        whole.counts.update(sub.counts)
        if sub.progress is not None and top.weight > 0:
            whole.terms.append(Term("group", top.id, top.weight, sub.progress))
    whole.progress, whole.weight_total = _mean(whole.terms)
    return figures, whole
