"""Aggregation up the unit hierarchy and formula evaluation, vectorised with NumPy.

Pure Python + NumPy (no Django): the selectors load rows and call these.

A unit's value for a period is its own value when it has one (entered, imported or
published for that unit), otherwise the aggregate of the values of the units below it, by the
indicator's rule (sum, average, or average weighted by another indicator). A formula indicator
is evaluated at every unit from its inputs' values at that unit, so a province's online rate is
(Σ online dossiers) / (Σ received dossiers), not an average of rates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tinhso.indicators.formula import parse


@dataclass(frozen=True)
class UnitIndex:
    """Units by position, with every (unit, strict ancestor) pair as two parallel arrays."""

    ids: np.ndarray  # position -> unit id
    position: dict[int, int]  # unit id -> position
    pair_unit: np.ndarray  # positions of units ...
    pair_ancestor: np.ndarray  # ... and of each of their strict ancestors

    @property
    def size(self) -> int:
        return len(self.ids)


def build_unit_index(units: Sequence[tuple[int, str, str]]) -> UnitIndex:
    """From (id, code, path) rows; ancestors come from the materialised path."""
    ids = np.array([row[0] for row in units], dtype=np.int64)
    position = {int(uid): i for i, uid in enumerate(ids)}
    by_code = {row[1]: i for i, row in enumerate(units)}
    pair_unit: list[int] = []
    pair_ancestor: list[int] = []
    for i, (_uid, _code, path) in enumerate(units):
        for code in path.strip("/").split("/")[:-1]:
            ancestor = by_code.get(code)
            if ancestor is not None:
                pair_unit.append(i)
                pair_ancestor.append(ancestor)
    return UnitIndex(ids, position, np.array(pair_unit, dtype=np.int64),
                     np.array(pair_ancestor, dtype=np.int64))


@dataclass(frozen=True)
class Rows:
    """Stored values of one indicator: unit positions, period positions and values."""

    unit: np.ndarray
    period: np.ndarray
    value: np.ndarray

    @classmethod
    def empty(cls) -> Rows:
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, float))


def own_values(rows: Rows, n_periods: int, n_units: int) -> np.ndarray:
    out = np.full((n_periods, n_units), np.nan)
    out[rows.period, rows.unit] = rows.value
    return out


def _below_sums(index: UnitIndex, rows: Rows, weights: np.ndarray, n_periods: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Σ weight × value and Σ weight over the units strictly below each unit, per period."""
    n = index.size
    # For each stored row, every strict ancestor of its unit receives it.
    order = np.argsort(index.pair_unit, kind="stable")
    pu, pa = index.pair_unit[order], index.pair_ancestor[order]
    starts = np.searchsorted(pu, rows.unit, side="left")
    ends = np.searchsorted(pu, rows.unit, side="right")
    counts = ends - starts
    row_of_pair = np.repeat(np.arange(len(rows.unit)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    ancestors = pa[np.repeat(starts, counts) + offsets]
    keys = rows.period[row_of_pair] * n + ancestors
    w = weights[row_of_pair]
    total = np.bincount(keys, weights=w * rows.value[row_of_pair], minlength=n_periods * n)
    weight = np.bincount(keys, weights=w, minlength=n_periods * n)
    # (bincount of nothing is an integer array: make both float)
    return (total.astype(float).reshape(n_periods, n),
            weight.astype(float).reshape(n_periods, n))


def aggregate(index: UnitIndex, rows: Rows, how: str, n_periods: int,
              weight_values: np.ndarray | None = None) -> np.ndarray:
    """Every unit's value for every period: its own, else the aggregate of those below.

    ``how``: sum, average, weighted (``weight_values`` the weights' own matrix [periods,
    units]), none (own values only). NaN where there is no value.
    """
    own = own_values(rows, n_periods, index.size)
    if how == "none" or len(rows.value) == 0:
        return own
    if how == "weighted":
        if weight_values is None:
            raise ValueError("a weighted average needs the weights")
        weights = weight_values[rows.period, rows.unit]
        keep = ~np.isnan(weights)
        rows = Rows(rows.unit[keep], rows.period[keep], rows.value[keep])
        weights = weights[keep]
    else:
        weights = np.ones(len(rows.value))
    total, weight = _below_sums(index, rows, weights, n_periods)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = total if how == "sum" else total / weight
    below[weight == 0] = np.nan
    return np.where(np.isnan(own), below, own)


def evaluate_catalogue(
    index: UnitIndex,
    n_periods: int,
    order: Sequence[str],
    rules: Mapping[str, tuple[str, str | None, str]],
    rows: Mapping[str, Rows],
) -> dict[str, np.ndarray]:
    """All indicators in ``order`` (inputs first): code -> matrix [periods, units].

    ``rules``: code -> (aggregation, weight indicator code or None, formula or "").
    """
    results: dict[str, np.ndarray] = {}
    for code in order:
        how, weight_code, formula = rules[code]
        if formula:
            parsed = parse(formula)
            evaluated = parsed.evaluate_arrays({c: results[c] for c in parsed.codes})
            # A figure published for a unit and period (say 56 % in 2020, before the platform
            # kept the records) stands as published; elsewhere the formula gives the value.
            own = own_values(rows[code], n_periods, index.size) if code in rows else None
            results[code] = evaluated if own is None else np.where(np.isnan(own), evaluated, own)
            continue
        weight = results.get(weight_code) if weight_code else None
        results[code] = aggregate(index, rows.get(code, Rows.empty()), how, n_periods, weight)
    return results
