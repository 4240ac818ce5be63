"""Reads: the points of a framework in force (the file's, or the official table an
administrator entered) and their history."""

from __future__ import annotations

from tinhso.scoring.engine import Framework, available_frameworks, load_framework
from tinhso.scoring.models import FrameworkPoints
from tinhso.scoring.points import points_problems, with_points


def points_in_force(code: str) -> FrameworkPoints | None:
    """The official points an administrator entered for a framework (the latest), if any."""
    return (FrameworkPoints.objects.filter(framework=code).select_related("entered_by")
            .order_by("-entered_at", "-id").first())


def points_history(code: str) -> list[FrameworkPoints]:
    return list(FrameworkPoints.objects.filter(framework=code).select_related("entered_by")
                .order_by("-entered_at", "-id"))


def framework_in_force(code: str) -> Framework:
    """The framework as its file declares it, with the official points where an
    administrator entered them (then no longer an assumption). FrameworkError when unknown."""
    return _applied(load_framework(code), points_in_force(code))


def frameworks_in_force() -> list[Framework]:
    """Every framework, each with its official points where entered (two queries)."""
    latest: dict[str, FrameworkPoints] = {}
    for record in FrameworkPoints.objects.order_by("entered_at", "id"):
        latest[record.framework] = record
    return [_applied(f, latest.get(f.code)) for f in available_frameworks()]


def _applied(framework: Framework, record: FrameworkPoints | None) -> Framework:
    """The framework with the record's points; as its file says when the record no longer
    fits it (the file's main indicators changed since)."""
    if record is None or points_problems(framework, record.points):
        return framework
    return with_points(framework, record.points)
