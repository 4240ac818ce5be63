"""The points of a framework's main indicators, when the official table replaces the
assumed one: checked (they add up to the framework's declared maximum) and applied. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from tinhso.scoring.engine import Framework, FrameworkError
from tinhso.scoring.rules import points_problems as points_add_up_problems


def points_problems(framework: Framework, points: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with a table of points per main indicator for ``framework``, as
    (main indicator code or "", problem): 'unknown', 'missing', 'not a number', 'negative',
    or 'total' (they must add up to the framework's declared maximum, its scale). Empty when
    the table can replace the framework's points."""
    codes = [i.code for i in framework.indicators]
    problems = [(code, "unknown") for code in points if code not in codes]
    given: dict[str, float] = {}
    for code in codes:
        if code not in points or points[code] in (None, ""):
            problems.append((code, "missing"))
            continue
        try:
            value = float(str(points[code]).replace(",", "."))
        except ValueError:
            problems.append((code, "not a number"))
            continue
        if not np.isfinite(value):
            problems.append((code, "not a number"))
        elif value < 0:
            problems.append((code, "negative"))
        else:
            given[code] = value
    # the rule of a framework's points adding up to its declared total, in one place (rules)
    declared = {"total": framework.scale,
                "indicators": [{"code": c, "weight": v} for c, v in given.items()]}
    if not problems and points_add_up_problems(declared, framework.code):
        problems.append(("", "total"))
    return problems

def with_points(framework: Framework, points: Mapping[str, Any]) -> Framework:
    """The framework with its main indicators' points replaced (checked by
    :func:`points_problems`; FrameworkError otherwise): no longer an assumption."""
    problems = points_problems(framework, points)
    if problems:
        raise FrameworkError(f"{framework.code}: points refused: "
                             + ", ".join(f"{c or 'total'} {p}" for c, p in problems))
    indicators = tuple(replace(i, weight=float(str(points[i.code]).replace(",", ".")))
                       for i in framework.indicators)
    return replace(framework, indicators=indicators, points_assumed=False)
