"""The score to beat for a rank and the cheapest plan that reaches it: a linear programme.
No Django.

**The score to beat.** A ranking publishes every unit's rank but, for some frameworks, the
scores of a few units only. The score at rank r is the published score of the unit at that
place (ties share a rank: any published score of the same rank will do). When it was not
published, the published scores around it bound it: the nearest published score above (at a
better place) is an upper bound, the nearest below a lower bound; with nothing published above,
full marks are the upper bound. The plan aims at the upper bound, the safe one: reaching it
reaches rank r whatever the unpublished score was (``TargetScore.aim``).

**The plan.** For a unit with main-indicator values v (each in [0, 1]) and weights w (Σw = W),
the index is Σ w·v / W. Each indicator can rise up to its ceiling u_j (by default the best
value published in the field: what someone has shown is achievable). The headroom u_j - v_j is
cut into ``SEGMENTS`` equal parts; a point earned in the k-th part costs the effort per point
c_j times ``RISING[k]`` (1, 2, 3, 4): the nearer a value comes to its ceiling, the dearer each
point, so the cheapest plan spreads over several indicators instead of pushing one to the top.
With x_jk the rise in part k:

    minimise   Σ c_j · RISING[k] · w_j · x_jk
    subject to Σ w_j · x_jk >= W · target - Σ w_j · v_j,   0 <= x_jk <= (u_j - v_j) / SEGMENTS

solved with SciPy's HiGHS. The costs are convex (rising), so the parts fill in order without
integer variables. A tiny secondary cost prefers, among equal costs, the indicators with the
most headroom. When even every ceiling would not reach the target the plan says so and shows
how far raising everything to its ceiling gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

SEGMENTS = 4
RISING = (1.0, 2.0, 3.0, 4.0)  # the cost multiplier of each part of the headroom


@dataclass(frozen=True)
class TargetScore:
    """What is known of the score at ``rank`` in a field of ``field_size`` units.

    ``exact`` when published; otherwise ``lower`` <= score <= ``upper``, from the published
    scores at ``lower_index`` and ``upper_index`` (positions in the ranking given; None when
    the bound is 0 or full marks, nothing being published below or above)."""

    rank: int
    field_size: int
    exact: float | None
    lower: float
    upper: float
    exact_index: int | None = None
    lower_index: int | None = None
    upper_index: int | None = None

    @property
    def published(self) -> bool:
        return self.exact is not None

    @property
    def aim(self) -> float:
        """The score a plan aims at: the published one, else the upper (safe) bound."""
        return self.exact if self.exact is not None else self.upper


def target_score(ranks: Sequence[int], totals: Sequence[float | None], rank: int,
                 decimals: int = 4) -> TargetScore:
    """The score to beat for ``rank`` in a ranking given as ``ranks`` and published ``totals``
    (None where not published), in the order of the ranks. ValueError outside 1..n."""
    n = len(ranks)
    if not 1 <= rank <= n:
        raise ValueError(f"rank {rank} is outside 1..{n}")
    order = sorted(range(n), key=lambda i: ranks[i])
    known = [i for i in order if totals[i] is not None and not np.isnan(totals[i])]  # type: ignore[arg-type]

    def value(i: int) -> float:
        return round(float(totals[i]), decimals)  # type: ignore[arg-type]

    place = order[rank - 1]  # the unit at that place (ties: any with the same rank)
    same = [i for i in known if ranks[i] == ranks[place]]
    if same:
        return TargetScore(rank, n, value(same[0]), value(same[0]), value(same[0]), same[0])
    position = {i: p for p, i in enumerate(order)}
    above = [i for i in known if position[i] < rank - 1]
    below = [i for i in known if position[i] > rank - 1]
    upper_index = above[-1] if above else None
    lower_index = below[0] if below else None
    upper = value(upper_index) if upper_index is not None else 1.0
    lower = value(lower_index) if lower_index is not None else 0.0
    return TargetScore(rank, n, None, min(lower, upper), upper, None, lower_index, upper_index)


@dataclass(frozen=True)
class Step:
    code: str
    current: float
    proposed: float
    points: float  # index points earned (out of the framework's scale)
    effort: float
    ceiling: float = 1.0

    @property
    def increase(self) -> float:
        return self.proposed - self.current


@dataclass(frozen=True)
class Plan:
    current: float  # index in [0, 1]
    target: float
    missing_points: float  # out of the scale; 0 when already reached
    reachable: bool
    steps: list[Step]  # when not reachable: every indicator raised to its ceiling
    total_effort: float
    scale: float
    reached: float | None = None  # the index the steps reach

    @property
    def already_reached(self) -> bool:
        return self.missing_points <= 0

    @property
    def points_earned(self) -> float:
        return float(sum(s.points for s in self.steps))

    @property
    def points_short(self) -> float:
        """Points still missing after the plan (0 when it reaches the target)."""
        if self.reached is None:
            return 0.0 if self.reachable else self.missing_points
        return max(0.0, (self.target - self.reached) * self.scale)


def _headroom(codes: Sequence[str], v: np.ndarray, w: np.ndarray,
              ceilings: Sequence[float] | None, locked: Sequence[str]) -> np.ndarray:
    top = np.ones(len(v)) if ceilings is None else np.clip(
        np.asarray(ceilings, dtype=float), 0.0, 1.0)
    headroom = np.clip(top - v, 0.0, 1.0)
    headroom[[i for i, code in enumerate(codes) if code in locked]] = 0.0
    headroom[w <= 0] = 0.0
    return headroom


def plan(codes: Sequence[str], values: Sequence[float], weights: Sequence[float], target: float,
         efforts: Sequence[float] | None = None, scale: float = 1000.0,
         locked: Sequence[str] = (), ceilings: Sequence[float] | None = None) -> Plan:
    """The cheapest increases that bring the index to ``target`` (a share in [0, 1]), no
    indicator above its ceiling (1 by default)."""
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
        return Plan(current, target, 0.0, True, [], 0.0, scale, current)
    headroom = _headroom(codes, v, w, ceilings, locked)
    top = v + headroom
    if float(headroom @ w) + 1e-12 < need:  # say how far every ceiling gets
        x = headroom
        reachable = False
    else:
        x = _solve(headroom, w, c, need)
        reachable = True
    steps = []
    for i, code in enumerate(codes):
        if x[i] <= 0:
            continue
        effort = sum(c[i] * m * w[i] * part for m, part in
                     zip(RISING, _parts(x[i], headroom[i]), strict=True))
        steps.append(Step(code, float(v[i]), float(v[i] + x[i]),
                          float(w[i] * x[i] / total_weight * scale),
                          float(effort / total_weight * scale), float(top[i])))
    steps.sort(key=lambda s: -s.points)
    return Plan(current, target, missing_points, reachable, steps,
                float(sum(s.effort for s in steps)), scale,
                float((v + x) @ w / total_weight))


def _parts(rise: float, headroom: float) -> list[float]:
    """How a rise fills the equal parts of the headroom, in order."""
    size = headroom / SEGMENTS
    return [float(min(max(rise - k * size, 0.0), size)) for k in range(SEGMENTS)]


def _solve(headroom: np.ndarray, w: np.ndarray, c: np.ndarray, need: float) -> np.ndarray:
    """The rise of each indicator at least cost (the parts of its headroom as variables)."""
    n = len(headroom)
    tie_break = 1e-6 * (1.0 - headroom)  # prefer the indicators furthest from their ceiling
    cost = np.concatenate([(c * m + tie_break) * w for m in RISING])
    gain = np.tile(w, SEGMENTS)
    upper = np.tile(headroom / SEGMENTS, SEGMENTS)
    result = linprog(c=cost, A_ub=-gain.reshape(1, -1), b_ub=[-need],
                     bounds=list(zip(np.zeros(n * SEGMENTS), upper, strict=True)),
                     method="highs")
    if not result.success:  # cannot happen when the headroom suffices; say it if it does
        raise RuntimeError(f"the plan could not be computed: {result.message}")
    parts = np.where(result.x > 1e-9, result.x, 0.0).reshape(SEGMENTS, n)
    return np.minimum(parts.sum(axis=0), headroom)
