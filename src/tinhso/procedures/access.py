"""Who may see and act on a dossier, written once for the desk, the applicant's pages, the API
and the services.

Staff see the dossiers received by, or assigned to, a unit where they may "dossiers.view" (or
below it) and act where they hold the action's permission on either unit; the applicant's
account sees its own dossiers and takes the applicant's actions. A dossier one may not see is
answered as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tinhso.accounts.models import UserKind
from tinhso.accounts.permissions import may, scope_paths
from tinhso.procedures import rules, workflow
from tinhso.procedures.models import Dossier
from tinhso.units.selectors import unit_ids_within

# What each caller needs of a dossier it names by code.
DESK, APPLICANT, ANY = "desk", "applicant", "any"
PURPOSES = (DESK, APPLICANT, ANY)


def is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)
                or getattr(user, "kind", None) == UserKind.STAFF)


def owns(user: Any, dossier: Dossier) -> bool:
    """The applicant's account that submitted the dossier."""
    return (user is not None and getattr(user, "is_authenticated", False)
            and dossier.applicant_id is not None and dossier.applicant_id == user.pk)


def may_act(user: Any, permission: str, dossier: Dossier) -> bool:
    """Staff act on dossiers of their unit, or assigned to their unit (or below)."""
    if may(user, permission, dossier.unit):
        return True
    return dossier.assigned_unit is not None and may(user, permission, dossier.assigned_unit)


def scope_q(paths: list[str] | None) -> Q:
    """Dossiers received by, or assigned to, a unit within ``paths`` (None: everywhere). On the
    units' keys, not a join on their paths: each side of the OR then reads its own index
    (unit, status, due) at 1,000,000 dossiers, where the join scanned every dossier of every
    unit (the load test's desk, 42 ms a count)."""
    if paths is None:
        return Q()
    ids = unit_ids_within(paths)
    return Q(unit_id__in=ids) | Q(assigned_unit_id__in=ids)


def desk_dossiers(user: Any) -> QuerySet[Dossier]:
    """Every dossier the user may see at the desk ("dossiers.view"), any status."""
    return Dossier.objects.filter(scope_q(scope_paths(user, "dossiers.view")))


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """Staff: the desk's dossiers; citizens and businesses: their own."""
    if is_staff(user):
        return desk_dossiers(user)
    return Dossier.objects.filter(applicant=user)


def may_see(user: Any, dossier: Dossier, purpose: str = ANY) -> bool:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if purpose != DESK and owns(user, dossier):
        return True
    return purpose != APPLICANT and may_act(user, "dossiers.view", dossier)


def dossier_for(user: Any, code: str, purpose: str = ANY, *,
                related: tuple[str, ...] = ("procedure", "unit", "assigned_unit"),
                prefetch: tuple[str, ...] = ()) -> Dossier | None:
    """The dossier with this code if ``user`` may see it for ``purpose`` (the desk: staff
    only; the applicant: its own account only; any: either); None otherwise, whether it exists
    or not."""
    dossier = (Dossier.objects.select_related(*related).prefetch_related(*prefetch)
               .filter(code=code).first())
    if dossier is None or not may_see(user, dossier, purpose):
        return None
    return dossier


def may_take(user: Any, name: str, dossier: Dossier) -> bool:
    """Whether ``user`` may take the workflow action ``name`` on ``dossier`` (not whether its
    status allows it: see :func:`available_actions`)."""
    action = workflow.action(name)
    if action.by == workflow.APPLICANT:
        return owns(user, dossier)
    return action.permission is not None and may_act(user, action.permission, dossier)


def available_actions(user: Any, dossier: Dossier, *, rated: bool = False,
                      now: datetime | None = None) -> list[str]:
    """The actions ``user`` may take on ``dossier`` now: its status allows them and they hold
    the right (``rated``: the applicant has already rated it). The apology letter only where
    the one word for its time (``rules.lateness``) says it is overdue or late."""
    names = []
    for name in workflow.possible_actions(dossier.status):
        if name == "rate" and rated:
            continue
        if name == "apologise" and not rules.lateness(dossier, dossier.on_time,
                                                      now or timezone.now()):
            continue
        if may_take(user, name, dossier):
            names.append(name)
    return names
