"""Benchmark for issue 4: the composite-index engine against a plain-Python loop.

63 provinces and 3,321 communes, 100 components each (ten main indicators of ten components,
with the five rules): (1) a full recompute of every unit's index, (2) the ranking, (3) 1,000
weight perturbations with their ranks. Each is printed with the same work done by a
plain-Python loop over the same data in the same run, as a ratio. Goals: recompute under 0.1 s
and at least 20x the loop; 1,000 perturbations under 2 s.

    .venv/bin/python bench/scoring_engine.py [--units 3384] [--samples 1000]
"""

from __future__ import annotations

import argparse
import bisect

import numpy as np
from timing import ratio, timed  # bench/timing.py: this script's directory is on the path

from tinhso.scoring.engine import parse_framework, rank, score
from tinhso.scoring.robustness import rank_intervals

RULES = [
    {"type": "value"},
    {"type": "threshold", "threshold": 0.8},
    {"type": "ratio", "cap": 1.0},
    {"type": "checklist"},
    {"type": "bands", "bands": [[0.25, 0.25], [0.5, 0.5], [0.75, 0.75], [0.95, 1.0]]},
]


def make_framework(mains: int = 10, per_main: int = 10) -> dict:
    indicators = []
    for m in range(mains):
        components = []
        for k in range(per_main):
            code = f"m{m}c{k}"
            rule = dict(RULES[k % len(RULES)])
            if rule["type"] == "ratio":
                rule.update(numerator=f"{code}_n", denominator=f"{code}_d")
            elif rule["type"] == "checklist":
                rule["criteria"] = [f"{code}_q{q}" for q in range(3)]
            else:
                rule["input"] = code
            names = [v for key, v in rule.items() if key in ("numerator", "denominator")]
            names += rule.get("criteria", [])
            components.append({"code": code, "max_points": 1 + k % 4, "rule": rule,
                               "input_names": {n: f"question {n}" for n in names}})
        indicators.append({"code": f"m{m}", "weight": 100 + 10 * m, "components": components})
    return {"code": "bench", "name": "bench", "scale": 1000, "missing": "zero",
            "indicators": indicators}


def make_inputs(framework, n: int, rng) -> dict[str, np.ndarray]:
    inputs = {}
    for code in framework.inputs:
        if code.endswith("_d"):
            inputs[code] = rng.uniform(50, 100, n)
        elif code.endswith("_n"):
            inputs[code] = rng.uniform(0, 100, n)
        elif "_q" in code:
            inputs[code] = (rng.uniform(0, 1, n) > 0.4).astype(float)
        else:
            inputs[code] = rng.uniform(0, 1, n)
    return inputs


def loop_score(framework, inputs, n: int) -> list[float]:
    """The same scoring, one unit and one component at a time, in plain Python."""
    totals = []
    weight_sum = sum(i.weight for i in framework.indicators)
    for u in range(n):
        total = 0.0
        for indicator in framework.indicators:
            got = possible = 0.0
            for c in indicator.components:
                rule = c.rule
                kind = rule["type"]
                if kind == "value":
                    share = min(max(inputs[rule["input"]][u], 0.0), 1.0)
                elif kind == "threshold":
                    rate = inputs[rule["input"]][u]
                    share = 1.0 if rate >= rule["threshold"] else max(rate, 0) / rule["threshold"]
                elif kind == "ratio":
                    d = inputs[rule["denominator"]][u]
                    share = min(max(inputs[rule["numerator"]][u] / d / rule["cap"], 0.0), 1.0)
                elif kind == "checklist":
                    crit = rule["criteria"]
                    share = sum(1.0 for q in crit if inputs[q][u] > 0) / len(crit)
                else:
                    value = inputs[rule["input"]][u]
                    share = 0.0
                    for bound, s in rule["bands"]:
                        if value >= bound:
                            share = s
                got += share * c.max_points
                possible += c.max_points
            total += indicator.weight * got / possible
        totals.append(total / weight_sum)
    return totals


def loop_rank(totals: list[float]) -> list[int]:
    """Competition ranks in plain Python, the sensible way: sort once, then bisect."""
    keyed = [round(t, 4) for t in totals]
    ascending = sorted(keyed)
    n = len(keyed)
    return [1 + n - bisect.bisect_right(ascending, mine) for mine in keyed]




def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=63 + 3321)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    framework = parse_framework(make_framework())
    n = args.units
    inputs = make_inputs(framework, n, rng)
    units = [f"u{i}" for i in range(n)]
    components = sum(len(i.components) for i in framework.indicators)
    print(f"{n} units x {components} components ({len(framework.inputs)} inputs)")

    engine_s, result = timed(lambda: score(framework, units, inputs), repeat=21, warm_up=True)
    loop_s, loop_totals = timed(lambda: loop_score(framework, inputs, n), repeat=1, warm_up=True)
    assert np.allclose(result.total, loop_totals)  # type: ignore[union-attr,arg-type]
    print(f"(1) full recompute: engine {engine_s * 1000:.1f} ms, plain-Python loop "
          f"{loop_s * 1000:.0f} ms: {loop_s / engine_s:.0f}x faster (goals: < 100 ms, >= 20x)")
    ratio("engine recompute: loop / engine", loop_s / engine_s, ">= 20", loop_s / engine_s >= 20)

    engine_r, ranks = timed(lambda: rank(result.total), warm_up=True)  # type: ignore[union-attr]
    loop_r, loop_ranks = timed(lambda: loop_rank(list(loop_totals)), warm_up=True)  # type: ignore[arg-type]
    assert list(ranks) == loop_ranks  # type: ignore[arg-type]
    print(f"(2) ranking: engine {engine_r * 1000:.2f} ms, plain-Python loop {loop_r * 1000:.1f} "
          f"ms: {loop_r / engine_r:.0f}x faster")
    ratio("engine ranking: loop / engine", loop_r / engine_r)

    values = result.indicators  # type: ignore[union-attr]
    engine_p, _ = timed(lambda: rank_intervals(values, framework.weights, args.samples),
                        repeat=3, warm_up=True)
    rows = values.tolist()
    weights = framework.weights.tolist()
    rng_loop = np.random.default_rng(0)
    factors = rng_loop.uniform(0.75, 1.25, size=(len(weights), 20)).T.tolist()

    def loop_perturb() -> None:
        for f in factors:  # 20 samples timed, then scaled to the number asked
            w = [wi * fi for wi, fi in zip(weights, f, strict=True)]
            total_w = sum(w)
            loop_rank([sum(a * b for a, b in zip(w, row, strict=True)) / total_w
                       for row in rows])

    loop_20, _ = timed(loop_perturb, repeat=1, warm_up=True)
    loop_p = loop_20 / 20 * args.samples
    print(f"(3) {args.samples} weight perturbations with ranks: engine {engine_p:.2f} s "
          f"(goal < 2 s); plain-Python loop ~{loop_p:.1f} s (20 samples timed, scaled): "
          f"{loop_p / engine_p:.0f}x faster")
    ratio("engine perturbations: loop / engine", loop_p / engine_p)


if __name__ == "__main__":
    main()

