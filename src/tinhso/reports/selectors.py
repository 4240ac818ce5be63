"""Reads of reports: the history a user sees (their own, and those made by others within the
scope they oversee) and whether they may open one run."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tinhso.accounts.permissions import may, scope_paths
from tinhso.core.db import within_paths
from tinhso.reports.models import ReportRun
from tinhso.reports.permissions import OVERSEE_REPORTS


def visible_runs(user: Any) -> QuerySet[ReportRun]:
    """The runs ``user`` sees, newest first: their own, and every run of a unit within the
    scope they oversee (the coordinator's)."""
    runs = ReportRun.objects.select_related("unit", "created_by").defer("parameters")
    if not getattr(user, "is_authenticated", False):
        return runs.none()
    paths = scope_paths(user, OVERSEE_REPORTS)
    if paths is None:
        return runs
    own = Q(created_by=user.pk)
    return runs.filter(own | within_paths("unit__path", paths)) if paths else runs.filter(own)


def may_see_run(user: Any, run: ReportRun) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        (run.created_by_id is not None and run.created_by_id == user.pk)
        or may(user, OVERSEE_REPORTS, run.unit))
