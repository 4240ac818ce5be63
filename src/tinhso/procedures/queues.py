"""What the officers' desk reads: the queue of open dossiers within a user's scope, its counts
and marks, and the choices its forms offer. Reads only; every write goes through ``services``.

The queue costs a fixed number of queries whatever its size: the rows come with their
procedure, units and officer joined, the counts in one aggregate, the units of the filter in one
query with subqueries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import scope_paths
from tinhso.accounts.selectors import staff_holding
from tinhso.core.db import within_paths
from tinhso.procedures import rules
from tinhso.procedures.access import desk_dossiers
from tinhso.procedures.models import OPEN_STATUSES, Dossier, DossierStatus
from tinhso.procedures.rule_queries import due_today_q, end_of_today, open_q, overdue_q
from tinhso.units.selectors import units_among, units_valid_within

if TYPE_CHECKING:
    from tinhso.accounts.models import User
    from tinhso.units.models import Unit

# The statuses the queue's filter offers: the open ones, and the resolved ones whose result is
# still to be handed over.
QUEUE_STATUSES = (*OPEN_STATUSES, DossierStatus.APPROVED)
ASSIGNABLE_ROLES = (Role.OFFICER, Role.APPROVER)


MARKS = ("overdue", "today")


@dataclass(frozen=True)
class QueueFilter:
    mine: bool = False
    unit: str = ""  # a unit code: received by or assigned to that unit
    status: str = ""  # one of QUEUE_STATUSES; empty: every open status
    mark: str = ""  # "overdue" or "today"; empty: any

    @classmethod
    def from_query(cls, query: Any) -> QueueFilter:
        status = query.get("status", "")
        mark = query.get("mark", "")
        return cls(mine=query.get("mine") in ("1", "on", "true"),
                   unit=query.get("unit", "").strip(),
                   status=status if status in QUEUE_STATUSES else "",
                   mark=mark if mark in MARKS else "")


def _selected(user: Any, selection: QueueFilter) -> QuerySet[Dossier]:
    """The user's dossiers narrowed to 'mine' and to a unit (the counts follow these too)."""
    qs = desk_dossiers(user)
    if selection.mine:
        qs = qs.filter(assigned_to=user.pk)
    if selection.unit:
        qs = qs.filter(Q(unit__code=selection.unit) | Q(assigned_unit__code=selection.unit))
    return qs


def queue(user: Any, selection: QueueFilter | None = None, now: datetime | None = None
          ) -> QuerySet[Dossier]:
    """The dossiers waiting at the desk within the user's scope, the earliest due first, with
    everything a row shows joined in (no query per row)."""
    selection = selection or QueueFilter()
    now = now or timezone.now()
    qs = _selected(user, selection).select_related("procedure", "unit", "assigned_unit",
                                                   "assigned_to")
    qs = qs.filter(status=selection.status) if selection.status else qs.filter(open_q())
    if selection.mark == "overdue":
        qs = qs.filter(overdue_q(now))
    elif selection.mark == "today":
        qs = qs.filter(due_today_q(now, end_of_today(now)))
    return qs.order_by("due_at", "pk")


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    due_today: int
    supplement: int


def queue_counts(user: Any, selection: QueueFilter | None = None,
                 now: datetime | None = None) -> QueueCounts:
    """How many open dossiers the user's scope holds (narrowed to 'mine' or a unit when
    chosen), how many are overdue, due today, waiting for a supplement: one query."""
    now = now or timezone.now()
    counts = _selected(user, selection or QueueFilter()).filter(open_q()).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue_q(now)),
        due_today=Count("pk", filter=due_today_q(now, end_of_today(now))),
        supplement=Count("pk", filter=Q(status=DossierStatus.SUPPLEMENT)),
    )
    return QueueCounts(**counts)


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    overdue: bool
    due_today: bool
    clock_stopped: bool


def marks(dossier: Dossier, now: datetime | None = None) -> QueueRow:
    """Overdue and due today as ``rules`` says (the same word as the applicant's page and the
    API), clock stopped (waiting for the applicant's supplement). Only open dossiers are
    marked."""
    now = now or timezone.now()
    return QueueRow(dossier=dossier, overdue=rules.is_overdue(dossier, now),
                    due_today=rules.is_due_today(dossier, now, end_of_today(now)),
                    clock_stopped=dossier.status == DossierStatus.SUPPLEMENT)


def queue_units(user: Any) -> QuerySet[Unit]:
    """The units of the user's scope that have open dossiers (received or assigned): one
    query."""
    paths = scope_paths(user, "dossiers.view")
    waiting = desk_dossiers(user).filter(status__in=QUEUE_STATUSES)
    units = units_among(waiting.values("unit_id"), waiting.values("assigned_unit_id"))
    if paths is not None:
        units = units.filter(within_paths("path", paths))
    return units.order_by("path")


# --- the choices of the dossier page's forms -------------------------------------------------


def assignable_units(dossier: Dossier, now: datetime | None = None) -> QuerySet[Unit]:
    """The dossier's receiving unit and the units below it, valid now."""
    day = timezone.localtime(now or timezone.now()).date()
    return units_valid_within(dossier.unit, day).order_by("path")


def assignable_officers(dossier: Dossier) -> QuerySet[User]:
    """Active staff holding the officer or approver role in the dossier's unit tree."""
    return staff_holding(ASSIGNABLE_ROLES, dossier.unit.path)
