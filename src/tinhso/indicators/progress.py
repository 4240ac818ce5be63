"""Where an indicator stands against its target: achieved, on track, at risk, off track.

Pure Python + NumPy. The trend is a least-squares line through the recent values (time in
years); its value at the end of the target year is the projection shown on the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, UNKNOWN = (
    "achieved", "on_track", "at_risk", "off_track", "unknown")
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
