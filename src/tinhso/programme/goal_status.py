"""The goals of a unit with their status, for the home page and the leader's section: the
goals in force (the latest plan's, Plan 4636/KH-UBND for the DTI) and, as history, those a
later document's goal superseded (16-NQ/TU's top 25 and top 20 of 63), each with its status
and the reason in words.

A goal's target is the one it names (a band, a score, a count, a climb: judged from the
index's published results, ``indicators.target_status``), else its indicator's target for the
goal's year (a value or a rank: ``indicators.today.goal_progress``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tinhso.indicators.models import TargetKind
from tinhso.indicators.target_status import (
    kind_statuses,
    progress_reason,
    terms_text,
    text_language,
)
from tinhso.indicators.today import goal_progress
from tinhso.programme.models import Goal

if TYPE_CHECKING:
    from tinhso.units.models import Unit


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    target: Any  # the target measuring it (None: no target)
    status: str
    reason: str
    terms: str
    progress: Any = None  # a value or rank target's Progress

    @property
    def quote_language(self) -> str:
        return text_language(self.goal.quote)

    @property
    def field(self) -> int | None:
        """The field its rank was set in (63, 34)."""
        return getattr(self.target, "rank_of", None)


def _plan_kind(goal: Goal) -> bool:
    return goal.target is not None and goal.target.kind != TargetKind.VALUE


def goal_statuses(unit: Unit) -> tuple[list[GoalStatus], list[GoalStatus]]:
    """(the goals in force, the latest document's first; the superseded goals, each with the
    goal that replaced it), with their status. A fixed number of queries."""
    goals = list(Goal.objects.filter(unit=unit).select_related(
        "document", "indicator", "target__indicator", "superseded_by__document")
        .order_by("-document__issued_on", "year", "id"))
    kinds = kind_statuses([g.target for g in goals if g.target is not None and _plan_kind(g)],
                          unit)
    measured = goal_progress(unit, [
        (g.indicator_id, g.year, Decimal(g.target_rank) if g.target_rank else None)
        for g in goals if g.indicator_id and not _plan_kind(g)])
    rows = []
    for goal in goals:
        if goal.target is not None and _plan_kind(goal):
            found = kinds[goal.target.pk]
            rows.append(GoalStatus(goal, goal.target, found.status, found.reason, found.terms))
            continue
        value = measured.get((goal.indicator_id or 0, goal.year))
        if value is None:
            rows.append(GoalStatus(goal, None, "unknown", "", ""))
            continue
        rows.append(GoalStatus(goal, value.target, value.progress.status,
                               progress_reason(value.progress, value.target),
                               terms_text(value.target), value.progress))
    return ([r for r in rows if r.goal.superseded_by_id is None],
            [r for r in rows if r.goal.superseded_by_id is not None])
