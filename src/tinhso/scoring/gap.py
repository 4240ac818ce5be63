"""The gap to a target and the cheapest plan that closes it: a linear programme. No Django.

For a unit with main-indicator values v (each in [0, 1]) and weights w (Σw = W), the index is
Σ w·v / W. Raising indicator j by x_j (0 <= x_j <= 1 - v_j) earns w_j·x_j points (out of W);
a point earned through indicator j costs c_j (the effort per point; equal by default). The plan
is the x that reaches the target at least total effort:

    minimise   Σ c_j · w_j · x_j
    subject to Σ w_j · x_j >= W · target - Σ w_j · v_j,   0 <= x_j <= 1 - v_j

solved with SciPy's HiGHS. With equal efforts every plan costs the same number of points, so
the solver is told to prefer, among equal costs, the indicators with the most headroom (a tiny
secondary cost), which gives plans people find natural.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Step:
    code: str
    current: float
    proposed: float
    points: float  # index points earned (out of the framework's scale)
    effort: float

    @property
    def increase(self) -> float:
        return self.proposed - self.current


@dataclass(frozen=True)
class Plan:
    current: float  # index in [0, 1]
    target: float
    missing_points: float  # out of the scale; 0 when already reached
    reachable: bool
    steps: list[Step]
    total_effort: float
    scale: float

    @property
    def already_reached(self) -> bool:
        return self.missing_points <= 0


def target_for_rank(scores: Sequence[float], rank: int, decimals: int = 4) -> float:
    """The score to beat for ``rank``: the score now at that rank (ties share a rank, so
    matching it, as published, is enough)."""
    ordered = sorted((round(s, decimals) for s in scores if not np.isnan(s)), reverse=True)
    if not 1 <= rank <= len(ordered):
        raise ValueError(f"rank {rank} is outside 1..{len(ordered)}")
    return ordered[rank - 1]


def plan(codes: Sequence[str], values: Sequence[float], weights: Sequence[float], target: float,
         efforts: Sequence[float] | None = None, scale: float = 1000.0,
         locked: Sequence[str] = ()) -> Plan:
    """The cheapest increases that bring the index to ``target`` (a share in [0, 1])."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    w = np.asarray(weights, dtype=float)
    c = np.ones(len(v)) if efforts is None else np.asarray(efforts, dtype=float)
    if np.any(c < 0):
        raise ValueError("an effort per point cannot be negative")
    total_weight = w.sum()
    current = float(v @ w / total_weight)
    need = total_weight * target - float(v @ w)  # in weight units
    missing_points = float(max(0.0, need / total_weight * scale))
    if need <= 1e-12:
        return Plan(current, target, 0.0, True, [], 0.0, scale)
    headroom = np.clip(1.0 - v, 0.0, 1.0)
    headroom[[i for i, code in enumerate(codes) if code in locked]] = 0.0
    headroom[w <= 0] = 0.0
    if float(headroom @ w) + 1e-12 < need:
        return Plan(current, target, missing_points, False, [], float("inf"), scale)
    tie_break = 1e-6 * (1.0 - headroom)  # prefer the indicators furthest from full marks
    result = linprog(
        c=(c + tie_break) * w,
        A_ub=-w.reshape(1, -1), b_ub=[-need],
        bounds=list(zip(np.zeros(len(v)), headroom, strict=True)),
        method="highs",
    )
    if not result.success:  # cannot happen when the headroom suffices; say it if it does
        raise RuntimeError(f"the plan could not be computed: {result.message}")
    x = np.where(result.x > 1e-9, result.x, 0.0)
    steps = [Step(code, float(v[i]), float(v[i] + x[i]), float(w[i] * x[i] / total_weight
                                                                 * scale),
                  float(c[i] * w[i] * x[i] / total_weight * scale))
             for i, code in enumerate(codes) if x[i] > 0]
    steps.sort(key=lambda s: -s.points)
    return Plan(current, target, missing_points, True, steps,
                float(sum(s.effort for s in steps)), scale)
