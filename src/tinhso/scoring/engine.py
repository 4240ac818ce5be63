"""The composite-index engine: frameworks as data, scores and ranks with NumPy. No Django.

A framework (a JSON file in ``frameworks/``) is a tree: pillars group main indicators; a main
indicator has a weight and either components (each with maximum points and a scoring rule) or,
when its components are not published, its own value in [0, 1]. A main indicator's value is
(Σ component points) / (Σ their maximum points); the index is Σ weight × value / Σ weights,
in [0, 1] (times ``scale`` for points: the DTI is out of 1000).

The scoring rules of a component (value, ratio, linear, threshold, checklist, bands, and what
a rate with nothing to count scores) are in ``scoring.rules``. A framework that declares its
``total`` must add up: each group's items to the group's points (and to each of its ``parts``,
as Decision 766's online group is now split 12 + 10), the groups to the total. An item of 0
points is shown, not scored (the portal tracks it).

Missing data follows the framework's declared policy: ``zero`` (a missing input scores 0) or
``reweight`` (left out, and the weights of what is present are scaled up); every result says
which inputs were missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from tinhso.scoring.rules import (
    is_empty,
    points_problems,
    rule_inputs,
    rule_problem,
    shares,
)

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
POLICIES = {"zero", "reweight"}
SOURCES = {"answers", "indicators"}  # where a framework's inputs come from


class FrameworkError(ValueError):
    """A framework file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    max_points: float
    rule: dict[str, Any]
    input_names: dict[str, str] = field(default_factory=dict, compare=False)
    # what a page says of it: its number in the method ("1.1"), English name, part of the
    # group, where its points and rule come from, the rule another source gives
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    def input_name(self, code: str) -> str:
        """What a unit answers for ``code``: its own name where the component has several
        inputs (each criterion of a checklist, both terms of a ratio), else the component's."""
        return self.input_names.get(code, self.name)

    @property
    def inputs(self) -> list[str]:
        return rule_inputs(self.rule, self.code)


@dataclass(frozen=True)
class MainIndicator:
    code: str
    name: str
    name_en: str
    weight: float
    components: tuple[Component, ...] = ()
    parts: tuple[dict[str, Any], ...] = ()  # the group split in parts: code, name, max_points

    @cached_property
    def inputs(self) -> list[str]:
        if not self.components:
            return [self.code]
        return [i for c in self.components for i in c.inputs]


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str
    name_en: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    name_en: str
    scale: float
    missing: str
    indicators: tuple[MainIndicator, ...]
    pillars: tuple[Pillar, ...] = ()
    published_in_full: bool = True
    note: str = ""
    note_vi: str = ""
    legal_basis: str = ""
    short_name: str = ""  # how a rank names its method: "DTI (QĐ 922)"
    inputs_from: str = "answers"  # answers (self-assessment) or indicators (platform records)
    # The main indicators' points are an assumption (not published in the sources read),
    # said on every page showing them until an administrator enters the official table.
    points_assumed: bool = False
    points_assumption: str = ""
    points_assumption_vi: str = ""
    sub_indicators: int | None = None  # how many components, where their names are unknown
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def inputs(self) -> list[str]:
        seen: dict[str, None] = {}
        for indicator in self.indicators:
            for code in indicator.inputs:
                seen.setdefault(code)
        return list(seen)

    @property
    def weights(self) -> np.ndarray:
        return np.array([i.weight for i in self.indicators], dtype=float)

    def indicator(self, code: str) -> MainIndicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


def _component(data: Mapping[str, Any], where: str) -> Component:
    rule = dict(data.get("rule") or {"type": "value"})
    problem = rule_problem(rule)
    if problem:
        raise FrameworkError(f"{where}: {problem}")
    try:
        points = float(data["max_points"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameworkError(f"{where}: max_points is missing or not a number") from exc
    if points < 0:
        raise FrameworkError(f"{where}: max_points cannot be negative")
    meta = {key: str(data[key]) for key in ("ref", "name_en", "part", "source", "alternative",
                                            "note", "missing_note") if data.get(key)}
    component = Component(str(data["code"]), str(data.get("name", data["code"])), points, rule,
                          {str(k): str(v) for k, v in (data.get("input_names") or {}).items()},
                          meta)
    asked = [c for c in component.inputs if c != rule.get("empty_when")]
    unnamed = [c for c in asked if c not in component.input_names]
    if len(asked) > 1 and unnamed:  # else two questions read the same
        raise FrameworkError(f"{where}: several inputs, so input_names must name each "
                             f"(missing: {', '.join(unnamed)})")
    return component


def parse_framework(data: Mapping[str, Any], source: str = "framework") -> Framework:
    """Check and build a framework from its JSON data; FrameworkError says where and why."""
    for key in ("code", "name", "indicators"):
        if key not in data:
            raise FrameworkError(f"{source}: '{key}' is missing")
    missing = data.get("missing", "zero")
    if missing not in POLICIES:
        raise FrameworkError(f"{source}: missing must be one of {', '.join(sorted(POLICIES))}")
    inputs_from = data.get("inputs_from", "answers")
    if inputs_from not in SOURCES:
        raise FrameworkError(f"{source}: inputs_from must be one of {', '.join(sorted(SOURCES))}")
    indicators = []
    codes: set[str] = set()
    for n, item in enumerate(data["indicators"], start=1):
        where = f"{source}: indicator {n} ({item.get('code', '?')})"
        if "code" not in item or "weight" not in item:
            raise FrameworkError(f"{where}: needs code and weight")
        if item["code"] in codes:
            raise FrameworkError(f"{where}: the code is used twice")
        codes.add(item["code"])
        if float(item["weight"]) < 0:
            raise FrameworkError(f"{where}: a weight cannot be negative")
        components = tuple(_component(c, f"{where}, component {c.get('code', '?')}")
                           for c in item.get("components", []))
        indicators.append(MainIndicator(str(item["code"]), str(item.get("name", item["code"])),
                                        str(item.get("name_en", "")), float(item["weight"]),
                                        components, tuple(item.get("parts") or ())))
    if not indicators or sum(i.weight for i in indicators) <= 0:
        raise FrameworkError(f"{source}: the weights add up to nothing")
    if "total" in data:  # points that must add up (Decision 766: 100 = 18 + 20 + 22 + 22 + 18)
        problems = points_problems(data, source)
        if problems:
            raise FrameworkError("; ".join(problems))
    pillars = []
    for item in data.get("pillars", []):
        unknown = sorted(set(item["indicators"]) - codes)
        if unknown:
            raise FrameworkError(f"{source}: pillar {item['code']}: unknown indicators "
                                 f"{', '.join(unknown)}")
        pillars.append(Pillar(item["code"], item.get("name", item["code"]),
                              item.get("name_en", ""), tuple(item["indicators"])))
    return Framework(
        code=str(data["code"]), name=str(data["name"]), name_en=str(data.get("name_en", "")),
        scale=float(data.get("scale", data.get("total", 1))), missing=missing,
        indicators=tuple(indicators),
        pillars=tuple(pillars), published_in_full=bool(data.get("published_in_full", True)),
        note=str(data.get("note", "")), note_vi=str(data.get("note_vi", "")),
        legal_basis=str(data.get("legal_basis", "")),
        short_name=str(data.get("short_name") or data["name"]), inputs_from=inputs_from,
        points_assumed=bool(data.get("points_assumed", False)),
        points_assumption=str(data.get("points_assumption", "")),
        points_assumption_vi=str(data.get("points_assumption_vi", "")),
        sub_indicators=int(data["sub_indicators"]) if data.get("sub_indicators") else None,
        raw=dict(data),
    )


def load_framework(code: str, directory: Path = FRAMEWORK_DIR) -> Framework:
    path = directory / f"{code}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.json")))
        raise FrameworkError(f"there is no framework '{code}' (known: {known})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FrameworkError(f"{path.name}: not valid JSON: {exc}") from exc
    return parse_framework(data, path.name)


def available_frameworks(directory: Path = FRAMEWORK_DIR) -> list[Framework]:
    return [load_framework(p.stem, directory) for p in sorted(directory.glob("*.json"))]


# -- scoring ---------------------------------------------------------------------------------

def _rule_scores(component: Component, columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The component's share of its points in [0, 1] per unit (NaN where an input is missing)."""
    return shares(component.rule, component.code, columns)


@dataclass
class Scores:
    """Scores of a set of units under a framework."""

    framework: Framework
    units: list[str]
    indicators: np.ndarray  # [units, main indicators], each in [0, 1]
    total: np.ndarray  # [units], in [0, 1]
    missing: list[list[str]]  # per unit, the inputs that were missing
    components: dict[str, np.ndarray] = field(default_factory=dict)  # code -> share [units]

    @property
    def points(self) -> np.ndarray:
        return self.total * self.framework.scale

    def pillar(self, code: str) -> np.ndarray:
        """A pillar's value in [0, 1]: its indicators' weighted average."""
        pillar = next(p for p in self.framework.pillars if p.code == code)
        idx = [i for i, ind in enumerate(self.framework.indicators) if ind.code in
               pillar.indicators]
        weights = self.framework.weights[idx]
        return self.indicators[:, idx] @ weights / weights.sum()


def _component_shares(components: Sequence[Component], columns: Mapping[str, np.ndarray],
                      n: int) -> np.ndarray:
    """Every component's share of its points [units, components]."""
    shares = np.empty((n, len(components)), order="F")  # written column by column
    for k, component in enumerate(components):
        shares[:, k] = _rule_scores(component, columns)
    return shares


def _column(values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float, copy=False)
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def score(framework: Framework, units: Sequence[str],
          inputs: Mapping[str, Sequence[float | None] | np.ndarray],
          missing: str | None = None, weights: np.ndarray | None = None) -> Scores:
    """Score every unit. ``inputs``: input code -> values per unit (NaN or None = missing)."""
    n = len(units)
    policy = missing or framework.missing
    columns = {code: _column(values) for code, values in inputs.items()}
    for code in framework.inputs:
        columns.setdefault(code, np.full(n, np.nan))
    missing_lists: list[list[str]] = [[] for _ in range(n)]
    for code in framework.inputs:
        column = columns[code]
        if np.isnan(column.sum()):  # cheap test first: most columns have no gap
            for unit in np.nonzero(np.isnan(column))[0]:
                missing_lists[int(unit)].append(code)
    main = np.empty((n, len(framework.indicators)))
    components = [c for i in framework.indicators for c in i.components]
    shares = _component_shares(components, columns, n)
    component_shares = {c.code: shares[:, k] for k, c in enumerate(components)}
    # Points of each component to its main indicator: one matrix product for them all.
    points = np.zeros((len(components), len(framework.indicators)))
    k = 0
    for j, indicator in enumerate(framework.indicators):
        for component in indicator.components:
            points[k, j] = component.max_points
            k += 1
    got = np.nan_to_num(shares, nan=0.0) @ points
    if policy == "zero":
        possible = np.broadcast_to(points.sum(axis=0), got.shape)
    else:
        possible = (~np.isnan(shares)).astype(float) @ points
    with np.errstate(invalid="ignore", divide="ignore"):
        main[:] = np.where(possible > 0, got / possible, np.nan)
    for j, indicator in enumerate(framework.indicators):
        if not indicator.components:
            main[:, j] = np.clip(columns[indicator.code], 0.0, 1.0)
    w = framework.weights if weights is None else np.asarray(weights, dtype=float)
    if policy == "zero":
        total = np.nan_to_num(main, nan=0.0) @ w / w.sum()
    else:
        present = ~np.isnan(main)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = (np.nan_to_num(main, nan=0.0) @ w) / (present @ w)
    irrelevant = {c for c in framework.inputs if _only_zero_weight(framework, c, w)}
    if irrelevant:  # a weight of 0 (smart city in the DTI) makes a gap irrelevant
        missing_lists = [[c for c in gaps if c not in irrelevant] for gaps in missing_lists]
    missing_lists = _without_empty(components, columns, missing_lists)
    return Scores(framework, list(units), main, total, missing_lists, component_shares)


def _only_zero_weight(framework: Framework, code: str, weights: np.ndarray) -> bool:
    """True when ``code`` only feeds what weighs nothing: a main indicator of weight 0, or an
    item of 0 points (tracked, not scored)."""
    return all(weights[j] == 0 or (bool(ind.components) and all(
        c.max_points == 0 for c in ind.components if code in c.inputs))
        for j, ind in enumerate(framework.indicators) if code in ind.inputs)


def _without_empty(components: Sequence[Component], columns: Mapping[str, np.ndarray],
                   missing_lists: list[list[str]]) -> list[list[str]]:
    """A rate with nothing to count (its ``empty_when`` count is 0) is not a gap: the rule says
    what it scores."""
    for component in components:
        empty = is_empty(component.rule, columns)
        if empty is None or not empty.any():
            continue
        rate = component.rule.get("input", component.code)
        for unit in np.nonzero(empty)[0]:
            missing_lists[int(unit)] = [c for c in missing_lists[int(unit)] if c != rate]
    return missing_lists


def rank(values: np.ndarray, decimals: int | None = 4) -> np.ndarray:
    """Descending competition ranks, ties sharing a rank (1, 2, 2, 4); NaN ranks last.

    Scores are compared as published (rounded to ``decimals``), so 0.70241 and 0.70238 tie.
    """
    values = np.asarray(values, dtype=float)
    keyed = np.round(values, decimals) if decimals is not None else values.copy()
    keyed = np.where(np.isnan(keyed), -np.inf, keyed)
    order = np.argsort(-keyed, kind="stable")
    sorted_keys = keyed[order]
    ranks_sorted = np.empty(len(values), dtype=np.int64)
    if len(values):
        new_group = np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]])
        positions = np.arange(1, len(values) + 1)
        ranks_sorted = np.maximum.accumulate(np.where(new_group, positions, 0))
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks


def rank_columns(matrix: np.ndarray, decimals: int | None = 4) -> np.ndarray:
    """Ranks within each column of [units, samples] (for perturbations)."""
    keyed = np.round(matrix, decimals) if decimals is not None else matrix
    keyed = np.where(np.isnan(keyed), -np.inf, keyed)
    # rank = 1 + number of strictly greater scores in the column
    order = np.sort(keyed, axis=0)[::-1]
    ranks = np.empty(matrix.shape, dtype=np.int64)
    for j in range(matrix.shape[1]):
        column = order[:, j]
        ranks[:, j] = 1 + np.searchsorted(-column, -keyed[:, j], side="left")
    return ranks


def merge_members(values: Mapping[str, Mapping[str, float]], successor: Mapping[str, str]
                  ) -> dict[str, dict[str, float]]:
    """Main indicators of merged units as the national ranking compares them across the 2025
    merger: each new unit gets the average of its members' values, indicator by indicator
    (a member without a value for an indicator is left out of that average)."""
    groups: dict[str, dict[str, list[float]]] = {}
    for unit, by_code in values.items():
        target = successor.get(unit, unit)
        for code, value in by_code.items():
            if value is not None and not np.isnan(value):
                groups.setdefault(target, {}).setdefault(code, []).append(float(value))
    return {unit: {code: float(np.mean(v)) for code, v in by_code.items()}
            for unit, by_code in groups.items()}

