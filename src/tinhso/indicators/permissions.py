"""Who may do what with indicators (registered with the shared action registry), who reads
which values, and four eyes on their approval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import may_somewhere, register_action, scope_paths
from tinhso.core.db import within_paths
from tinhso.core.four_eyes import wrote_it

if TYPE_CHECKING:
    from tinhso.indicators.models import IndicatorValue

register_action("indicators.define", {Role.COORDINATOR},
                _("define indicators, targets and collection rounds"))
register_action("indicators.enter", {Role.UNIT_REPORTER, Role.COORDINATOR},
                _("enter and submit indicator values"))
register_action("indicators.approve", {Role.APPROVER, Role.COORDINATOR},
                _("approve, return or reopen indicator values"))

# A value (any status, with its comment) is read where one may enter, approve or watch the
# dashboards of its unit: the value page, the values API by session and by token alike.
READ_VALUES = ("indicators.enter", "indicators.approve", "dashboard.view")


def scopes_q(user: Any, actions: Iterable[str], field: str) -> Q | None:
    """Rows whose unit path (``field``) lies where ``user`` may do any of ``actions``: the
    query form of ``any(may(user, action, unit) ...)``. None: everywhere."""
    paths: list[str] = []
    for action in actions:
        if not may_somewhere(user, action):
            continue
        found = scope_paths(user, action)
        if found is None:
            return None
        paths.extend(found)
    return within_paths(field, paths)


def wrote_value(user: Any, value: IndicatorValue) -> bool:
    """Four eyes: True when ``user`` entered (last changed) or submitted ``value``, so another
    person approves it."""
    return wrote_it(getattr(user, "pk", None), (value.author_id, value.submitted_by_id))


def written_by(user: Any) -> Q:
    """The query form of :func:`wrote_value`: the values ``user`` entered or submitted."""
    pk = getattr(user, "pk", None)
    return Q(pk__in=[]) if pk is None else Q(author_id=pk) | Q(submitted_by_id=pk)
