"""The composite-index engine: frameworks as data, scores and ranks with NumPy. No Django.

A framework (a JSON file in ``frameworks/``) is a tree: pillars group main indicators; a main
indicator has a weight and either components (each with maximum points and a scoring rule) or,
when its components are not published, its own value in [0, 1]. A main indicator's value is
(Σ component points) / (Σ their maximum points); the index is Σ weight × value / Σ weights,
in [0, 1] (times ``scale`` for points: the DTI is out of 1000).

Scoring rules of a component, all vectorised over units:
  value      an entered or published value in [0, 1] (clipped)
  ratio      numerator / denominator, capped (default 1)
  threshold  full points at or above the threshold, else rate x max / threshold (Decision 766)
  checklist  the share of yes/no criteria met
  bands      the score of the highest band whose lower bound the input reaches

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

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
RULES = {"value", "ratio", "threshold", "checklist", "bands"}
POLICIES = {"zero", "reweight"}


class FrameworkError(ValueError):
    """A framework file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    max_points: float
    rule: dict[str, Any]
    input_names: dict[str, str] = field(default_factory=dict, compare=False)

    def input_name(self, code: str) -> str:
        """What a unit answers for ``code``: its own name where the component has several
        inputs (each criterion of a checklist, both terms of a ratio), else the component's."""
        return self.input_names.get(code, self.name)

    @property
    def inputs(self) -> list[str]:
        kind = self.rule["type"]
        if kind == "ratio":
            return [self.rule["numerator"], self.rule["denominator"]]
        if kind == "checklist":
            return list(self.rule["criteria"])
        return [self.rule.get("input", self.code)]


@dataclass(frozen=True)
class MainIndicator:
    code: str
    name: str
    name_en: str
    weight: float
    components: tuple[Component, ...] = ()

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
    kind = rule.get("type")
    if kind not in RULES:
        raise FrameworkError(f"{where}: unknown rule {kind!r} (use {', '.join(sorted(RULES))})")
    needs = {"ratio": ["numerator", "denominator"], "threshold": ["threshold"],
             "checklist": ["criteria"], "bands": ["bands"]}.get(kind, [])
    missing = [key for key in needs if key not in rule]
    if missing:
        raise FrameworkError(f"{where}: rule {kind} needs {', '.join(missing)}")
    if kind == "threshold" and not float(rule["threshold"]) > 0:
        raise FrameworkError(f"{where}: the threshold must be above 0")
    if kind == "bands":
        bounds = [float(b[0]) for b in rule["bands"]]
        if bounds != sorted(bounds):
            raise FrameworkError(f"{where}: bands must be in increasing order")
    try:
        points = float(data["max_points"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FrameworkError(f"{where}: max_points is missing or not a number") from exc
    component = Component(str(data["code"]), str(data.get("name", data["code"])), points, rule,
                          {str(k): str(v) for k, v in (data.get("input_names") or {}).items()})
    unnamed = [c for c in component.inputs if c not in component.input_names]
    if len(component.inputs) > 1 and unnamed:  # else two questions read the same
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
                                        components))
    if not indicators or sum(i.weight for i in indicators) <= 0:
        raise FrameworkError(f"{source}: the weights add up to nothing")
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
        scale=float(data.get("scale", 1)), missing=missing, indicators=tuple(indicators),
        pillars=tuple(pillars), published_in_full=bool(data.get("published_in_full", True)),
        note=str(data.get("note", "")), note_vi=str(data.get("note_vi", "")),
        legal_basis=str(data.get("legal_basis", "")),
        short_name=str(data.get("short_name") or data["name"]), raw=dict(data),
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
    rule = component.rule
    kind = rule["type"]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "value":
            return np.clip(columns[rule.get("input", component.code)], 0.0, 1.0)
        if kind == "ratio":
            ratio = columns[rule["numerator"]] / columns[rule["denominator"]]
            ratio = np.where(np.isinf(ratio), np.nan, ratio)
            return np.clip(ratio / float(rule.get("cap", 1.0)), 0.0, 1.0)
        if kind == "threshold":
            rate = columns[rule.get("input", component.code)]
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
        value = columns[rule.get("input", component.code)]
        bounds = np.array([float(b[0]) for b in rule["bands"]])
        shares = np.concatenate([[0.0], [float(b[1]) for b in rule["bands"]]])
        index = np.searchsorted(bounds, value, side="right")
        result = shares[np.clip(index, 0, len(bounds))]
        return np.where(np.isnan(value), np.nan, result)


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
    return Scores(framework, list(units), main, total, missing_lists, component_shares)


def _only_zero_weight(framework: Framework, code: str, weights: np.ndarray) -> bool:
    return all(weights[j] == 0 for j, ind in enumerate(framework.indicators)
               if code in ind.inputs)


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
