"""Where an indicator stands against its target: achieved, on track, at risk, off track.

Pure Python + NumPy. The trend is a least-squares line through the recent values (time in
years); its value at the end of the target year is the projection shown on the chart.

A rank means nothing without its field: 16th of 34 is not 16th of 63. A rank target records the
field it was set in (``target_of``) and each rank its own (``of``); :func:`assess_rank` compares
and projects only ranks of the target's field. When the latest rank was taken in another field
the target is "not comparable" (never achieved or missed), with a proportional reading of the
latest rank in the target's field, labelled as such by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, UNKNOWN, NOT_COMPARABLE = (
    "achieved", "on_track", "at_risk", "off_track", "unknown", "not_comparable")
# Projected progress of at least this share of the way from baseline to target is "at risk"
# rather than "off track".
AT_RISK_SHARE = 0.8
RECENT_POINTS = 5


def year_fraction(day: date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


@dataclass(frozen=True)
class Progress:
    status: str
    latest: float | None
    target: float
    target_year: int
    projection: float | None  # the trend's value at the end of the target year
    slope_per_year: float | None
    # Ranks only: the field of the latest rank and of the target (16 of 34; a target set among
    # 63), and, when they differ, the latest rank scaled to the target's field.
    latest_of: int | None = None
    target_of: int | None = None
    proportional: float | None = None


def assess(points: list[tuple[date, float]], target: float, target_year: int,
           higher_is_better: bool = True, baseline: float | None = None) -> Progress:
    """``points``: (period end, value), any order. The baseline defaults to the first value."""
    points = sorted(points)
    if not points:
        return Progress(UNKNOWN, None, target, target_year, None, None)
    latest = points[-1][1]
    sign = 1.0 if higher_is_better else -1.0
    if sign * (latest - target) >= 0:
        return Progress(ACHIEVED, latest, target, target_year, None, None)
    recent = points[-RECENT_POINTS:]
    if len(recent) < 2:
        return Progress(UNKNOWN, latest, target, target_year, None, None)
    x = np.array([year_fraction(day) for day, _ in recent])
    y = np.array([value for _, value in recent], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    projection = float(slope * (target_year + 1.0) + intercept)
    start = points[0][1] if baseline is None else baseline
    if sign * (projection - target) >= 0:
        status = ON_TRACK
    else:
        needed = target - start
        made = projection - start
        share = made / needed if needed else 0.0
        status = AT_RISK if share >= AT_RISK_SHARE else OFF_TRACK
    return Progress(status, latest, target, target_year, projection, float(slope))


def proportional_rank(rank: float, of: int, field: int) -> float:
    """A rank read proportionally in another field: the same share of the field ahead of it
    (16th of 34 reads as about 29.6th of 63). A reading, not a published rank."""
    return rank * field / of


def assess_rank(points: list[tuple[date, float, int | None]], target: float, target_year: int,
                target_of: int | None, baseline: float | None = None) -> Progress:
    """``points``: (period end, rank, field size), any order; lower is better. Only ranks in
    the target's field count; a target whose field is unknown takes every rank as before."""
    points = sorted(points, key=lambda p: p[0])
    if not points:
        return Progress(UNKNOWN, None, target, target_year, None, None, None, target_of)
    _day, latest, latest_of = points[-1]
    if target_of is not None and latest_of != target_of:
        reading = (proportional_rank(latest, latest_of, target_of) if latest_of else None)
        return Progress(NOT_COMPARABLE, latest, target, target_year, None, None, latest_of,
                        target_of, reading)
    same = [(day, value) for day, value, of in points if target_of is None or of == target_of]
    found = assess(same, target, target_year, higher_is_better=False, baseline=baseline)
    return replace(found, latest_of=latest_of, target_of=target_of)
