"""Shared by the benchmarks: the median time of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any], repeat: int = 5, warm_up: bool = False) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs of ``fn`` and the last result; with ``warm_up`` one
    untimed run first (steady state, for both sides of a comparison)."""
    if warm_up:
        fn()
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
