"""Shared by the benchmarks: the median time of repeated runs, and a fresh PostgreSQL database."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
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


def ratio(measure: str, value: float, goal: str = "", met: bool | None = None) -> None:
    """One machine-readable line per ratio, collected by ``bench/all.py`` (``make bench``) into
    one table: the measure, the ratio, the goal it is held to and whether it is met."""
    verdict = "" if met is None else ("met" if met else "NOT met")
    print(f"RATIO\t{measure}\t{value:.3f}\t{goal}\t{verdict}", flush=True)


def fresh_postgres(database: str) -> None:
    """Drop and create ``database`` (its name must contain 'bench') on ``BENCH_PG`` (the local
    server by default) and point Django at it."""
    if "bench" not in database:
        sys.exit("the database name must contain 'bench': it is dropped and created")
    drop_postgres(database, check=True)
    subprocess.run([*_psql(), f"CREATE DATABASE {database}"], check=True)
    os.environ["DATABASE_URL"] = f"{_base()}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")


def drop_postgres(database: str, check: bool = False) -> None:
    subprocess.run([*_psql(), f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=check)


def on_database(run: Callable[[Any], None], args: Any) -> None:
    """``run(args)`` on a temporary SQLite file (``args.sqlite``) or on a fresh PostgreSQL
    database named ``args.database``, dropped afterwards."""
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
            run(args)
        return
    fresh_postgres(args.database)
    try:
        run(args)
    finally:
        from django.db import connections  # local: Django is set up by run()

        connections.close_all()
        drop_postgres(args.database)


def _base() -> str:
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def _psql() -> list[str]:
    return ["psql", _base() + "/postgres", "-q", "-c"]
