"""The scoring rules of a framework's components, vectorised over units. No Django.

Each rule gives a component's share of its points in [0, 1] per unit (NaN where an input is
missing):

  value      an entered or published value in [0, 1] (clipped)
  ratio      numerator / denominator, capped (default 1)
  linear     a rate (percent) over ``per`` (default 100), capped at full points:
             points = max x min(1, rate / per)
  threshold  full points at or above the threshold, else rate x max / threshold (Decision 766:
             "from 80 % upwards full points; below, rate x maximum / 80 %")
  checklist  the share of yes/no criteria met
  bands      the score of the highest band whose lower bound the input reaches

A rate has no value when there is nothing to count (no feedback, no dossier): a component may
say what that scores with ``empty_when`` (the count input that is then 0) and ``empty_share``
(the share of points then given, 1 = full points, as the national portal gives items 5.2 and
5.3 when a unit received no feedback). A unit whose count is itself missing stays missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

RULES = {"value", "ratio", "linear", "threshold", "checklist", "bands"}
NEEDS = {"ratio": ["numerator", "denominator"], "threshold": ["threshold"],
         "checklist": ["criteria"], "bands": ["bands"]}


def rule_problem(rule: Mapping[str, Any]) -> str:
    """What is wrong with a rule ("" when nothing is)."""
    kind = rule.get("type")
    if kind not in RULES:
        return f"unknown rule {kind!r} (use {', '.join(sorted(RULES))})"
    missing = [key for key in NEEDS.get(str(kind), []) if key not in rule]
    if missing:
        return f"rule {kind} needs {', '.join(missing)}"
    if kind == "threshold" and not float(rule["threshold"]) > 0:
        return "the threshold must be above 0"
    if kind == "linear" and not float(rule.get("per", 100)) > 0:
        return "a linear rule's 'per' must be above 0"
    if kind == "bands":
        bounds = [float(b[0]) for b in rule["bands"]]
        if bounds != sorted(bounds):
            return "bands must be in increasing order"
    if "empty_share" in rule and not 0 <= float(rule["empty_share"]) <= 1:
        return "empty_share must be between 0 and 1"
    if "empty_share" in rule and "empty_when" not in rule:
        return "empty_share needs empty_when (the count that is 0 when there is nothing)"
    return ""


def rule_inputs(rule: Mapping[str, Any], default: str) -> list[str]:
    """The inputs a rule reads, in order (the count of ``empty_when`` last)."""
    kind = rule["type"]
    if kind == "ratio":
        found = [rule["numerator"], rule["denominator"]]
    elif kind == "checklist":
        found = list(rule["criteria"])
    else:
        found = [rule.get("input", default)]
    if "empty_when" in rule:
        found.append(rule["empty_when"])
    return found


def shares(rule: Mapping[str, Any], default: str, columns: Mapping[str, np.ndarray]
           ) -> np.ndarray:
    """The component's share of its points per unit (NaN where an input is missing)."""
    result = _shares(rule, default, columns)
    if "empty_when" in rule:
        count = columns[rule["empty_when"]]
        empty = (count == 0) & np.isnan(result)
        result = np.where(empty, float(rule.get("empty_share", 1.0)), result)
    return result


def is_empty(rule: Mapping[str, Any], columns: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """Per unit, whether there is nothing to count (the ``empty_when`` count is 0); None when
    the rule has no such count."""
    if "empty_when" not in rule:
        return None
    return np.asarray(columns[rule["empty_when"]] == 0)


def _shares(rule: Mapping[str, Any], default: str, columns: Mapping[str, np.ndarray]
            ) -> np.ndarray:
    kind = rule["type"]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "value":
            return np.clip(columns[rule.get("input", default)], 0.0, 1.0)
        if kind == "ratio":
            ratio = columns[rule["numerator"]] / columns[rule["denominator"]]
            ratio = np.where(np.isinf(ratio), np.nan, ratio)
            return np.clip(ratio / float(rule.get("cap", 1.0)), 0.0, 1.0)
        if kind == "linear":
            return np.clip(columns[rule.get("input", default)] / float(rule.get("per", 100)),
                           0.0, 1.0)
        if kind == "threshold":
            rate = columns[rule.get("input", default)]
            threshold = float(rule["threshold"])
            return np.where(rate >= threshold, 1.0, np.clip(rate / threshold, 0.0, 1.0))
        if kind == "checklist":
            stacked = np.stack([columns[c] for c in rule["criteria"]], axis=1)
            answered = ~np.isnan(stacked)
            met = (stacked > 0).sum(axis=1)
            if rule.get("partial"):  # the share of the criteria answered
                return met / answered.sum(axis=1)
            return np.where(answered.all(axis=1), met / stacked.shape[1], np.nan)
        # bands: [[lower bound, share of points], ...] in increasing order
        value = columns[rule.get("input", default)]
        bounds = np.array([float(b[0]) for b in rule["bands"]])
        steps = np.concatenate([[0.0], [float(b[1]) for b in rule["bands"]]])
        index = np.searchsorted(bounds, value, side="right")
        result = steps[np.clip(index, 0, len(bounds))]
        return np.where(np.isnan(value), np.nan, result)


def points_problems(data: Mapping[str, Any], source: str) -> list[str]:
    """Where a framework that declares ``total`` does not add up: each group's components (and
    each part of a group) to the group's points, the groups to the total."""
    problems = []
    total = float(data["total"])
    weights = sum(float(item.get("weight", 0)) for item in data.get("indicators", []))
    if not np.isclose(weights, total):
        problems.append(f"{source}: the groups' points add up to {weights:g}, not the declared "
                        f"total {total:g}")
    for item in data.get("indicators", []):
        components = item.get("components") or []
        got = sum(float(c.get("max_points", 0)) for c in components)
        if components and not np.isclose(got, float(item["weight"])):
            problems.append(f"{source}: group {item.get('code')}: its items' points add up to "
                            f"{got:g}, not the group's {float(item['weight']):g}")
        parts = item.get("parts") or []
        if parts:
            in_parts = sum(float(p["max_points"]) for p in parts)
            if not np.isclose(in_parts, float(item["weight"])):
                problems.append(f"{source}: group {item.get('code')}: its parts add up to "
                                f"{in_parts:g}, not the group's {float(item['weight']):g}")
            for part in parts:
                got = sum(float(c.get("max_points", 0)) for c in components
                          if c.get("part") == part["code"])
                if not np.isclose(got, float(part["max_points"])):
                    problems.append(f"{source}: group {item.get('code')}, part {part['code']}: "
                                    f"its items' points add up to {got:g}, not "
                                    f"{float(part['max_points']):g}")
            unknown = sorted({str(c.get("part")) for c in components}
                             - {str(p["code"]) for p in parts})
            if unknown:
                problems.append(f"{source}: group {item.get('code')}: items name unknown parts "
                                f"{', '.join(unknown)}")
    return problems
