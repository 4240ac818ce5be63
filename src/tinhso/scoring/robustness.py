"""How solid is a rank? Perturb the weights (and the missing-data policy) many times and see
each unit's rank interval, as COINr does. NumPy, no Django."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinhso.scoring.engine import rank_columns


@dataclass(frozen=True)
class Robustness:
    low: np.ndarray  # 5th percentile of each unit's rank
    median: np.ndarray
    high: np.ndarray  # 95th percentile
    best: np.ndarray
    worst: np.ndarray
    samples: int

    def share_within(self, ranks: np.ndarray, rank: int) -> np.ndarray:
        """Per unit, the share of samples in which it is ranked ``rank`` or better."""
        return (ranks <= rank).mean(axis=1)


def perturbed_totals(values: np.ndarray, weights: np.ndarray, samples: int = 1000,
                     spread: float = 0.25, vary_missing: bool = True, seed: int = 0
                     ) -> np.ndarray:
    """Index totals [units, samples] under random weights: each weight times a factor drawn
    uniformly in [1 - spread, 1 + spread] (zero weights stay zero); with ``vary_missing`` every
    other sample leaves missing values out and re-weights instead of counting them as zero."""
    rng = np.random.default_rng(seed)
    w = np.asarray(weights, dtype=float)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(len(w), samples))
    sampled = w[:, None] * factors  # [indicators, samples]
    filled = np.nan_to_num(values, nan=0.0)
    present = (~np.isnan(values)).astype(float)
    earned = filled @ sampled  # [units, samples]
    totals = earned / sampled.sum(axis=0)
    if vary_missing and np.isnan(values).any():
        reweighted = earned / np.maximum(present @ sampled, 1e-12)
        totals[:, 1::2] = reweighted[:, 1::2]
    return totals


def rank_intervals(values: np.ndarray, weights: np.ndarray, samples: int = 1000,
                   spread: float = 0.25, vary_missing: bool = True, seed: int = 0,
                   decimals: int | None = 4) -> tuple[Robustness, np.ndarray]:
    """Each unit's rank interval over ``samples`` perturbations; also the ranks [units, samples]."""
    totals = perturbed_totals(values, weights, samples, spread, vary_missing, seed)
    ranks = rank_columns(totals, decimals)
    low, median, high = np.percentile(ranks, [5, 50, 95], axis=1)
    return Robustness(low, median, high, ranks.min(axis=1), ranks.max(axis=1), samples), ranks
