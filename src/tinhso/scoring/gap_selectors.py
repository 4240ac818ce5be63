"""Reads for a unit's gap to a target rank: the score to beat from the published ranking, the
ceilings of what is achievable, the cheapest plan, the rank intervals (``gap.py`` computes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tinhso.core.languages import localized
from tinhso.scoring.engine import Framework
from tinhso.scoring.gap import Plan, TargetScore, plan, target_score
from tinhso.scoring.robustness import rank_intervals
from tinhso.scoring.selectors import RankingRow, UnitAssessment


@dataclass(frozen=True)
class Ceiling:
    code: str
    value: float
    best: float | None  # the best value published in the field, None when none was
    edited: bool  # set in the what-if

    @property
    def origin(self) -> str:
        if self.edited:
            return "what-if"
        return "best-published" if self.best is not None else "full-marks"


def best_published(framework: Framework, rows: list[RankingRow]) -> dict[str, float]:
    """Each main indicator's best value published in the field (rows of one framework and
    year); indicators with no published value are left out."""
    best: dict[str, float] = {}
    for row in rows:
        for code, raw in (row.values or {}).items():
            if raw in (None, ""):
                continue
            best[code] = max(best.get(code, 0.0), float(raw))
    return {i.code: best[i.code] for i in framework.indicators if i.code in best}


def ceilings_for(framework: Framework, rows: list[RankingRow],
                 edited: dict[str, float] | None = None) -> dict[str, Ceiling]:
    """The ceiling of every main indicator: the what-if's where given (and different from the
    default at published precision), else the best published value in the field, else full
    marks (1)."""
    best = best_published(framework, rows)
    ceilings = {}
    for indicator in framework.indicators:
        default = best.get(indicator.code, 1.0)
        value = min(max((edited or {}).get(indicator.code, default), 0.0), 1.0)
        changed = round(value, 4) != round(default, 4)
        ceilings[indicator.code] = Ceiling(indicator.code, value if changed else default,
                                           best.get(indicator.code), changed)
    return ceilings


@dataclass(frozen=True)
class Gap:
    target_rank: int
    target: TargetScore
    holder: RankingRow | None  # the unit whose published score is the score to beat
    upper_row: RankingRow | None  # the published neighbours bounding it when not published
    lower_row: RankingRow | None
    plan: Plan
    published_rank: int | None
    field_size: int
    current: float
    ceilings: dict[str, Ceiling]

    @property
    def score_to_beat(self) -> float:
        return self.target.aim

    @property
    def beats_target(self) -> bool:
        return round(self.current, 4) >= round(self.score_to_beat, 4)


def gap_to_rank(framework: Framework, published: list[RankingRow],
                assessment: UnitAssessment, target_rank: int,
                efforts: dict[str, float] | None = None,
                ceilings: dict[str, float] | None = None) -> Gap:
    """The gap from the unit's score to ``target_rank`` of the ``published`` ranking (ranks
    1..len(published); ValueError outside), the plan kept under the ceilings."""
    target = target_score([r.rank for r in published],
                          [None if r.total is None else float(r.total) for r in published],
                          target_rank)

    def row(index: int | None) -> RankingRow | None:
        return None if index is None else published[index]

    limits = ceilings_for(framework, published, ceilings)
    codes = [i.code for i in framework.indicators]
    current = assessment.scores.indicators[0]
    result = plan(codes, current.tolist(), framework.weights.tolist(), target.aim,
                  efforts=[(efforts or {}).get(c, 1.0) for c in codes], scale=framework.scale,
                  ceilings=[limits[c].value for c in codes])
    own = next((r.rank for r in published if r.unit.pk == assessment.unit.pk), None)
    return Gap(target_rank, target, row(target.exact_index), row(target.upper_index),
               row(target.lower_index), result, own, len(published),
               float(assessment.scores.total[0]), limits)


def robustness_among(framework: Framework, peers: list[RankingRow],
                     assessment: UnitAssessment, samples: int = 1000) -> list[dict[str, Any]]:
    """Rank intervals of the unit and of ``peers`` (rows with every main indicator's value)
    under weight perturbations, as rows for a table with range bars."""
    codes = [i.code for i in framework.indicators]
    others = [r for r in peers if r.unit.pk != assessment.unit.pk]
    matrix = np.array([[float(r.values.get(c, "nan")) for c in codes] for r in others]
                      + [assessment.scores.indicators[0].tolist()])
    result, _ranks = rank_intervals(matrix, framework.weights, samples=samples)
    n = len(matrix)
    names = [r.name for r in others] + [localized(assessment.unit)]
    return [{"name": name, "low": int(result.low[i]), "high": int(result.high[i]),
             "median": int(result.median[i]), "is_unit": i == n - 1,
             "left": (result.low[i] - 1) / n * 100,
             "width": (result.high[i] - result.low[i] + 1) / n * 100}
            for i, name in enumerate(names)]
