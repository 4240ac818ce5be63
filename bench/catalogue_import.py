"""Benchmark for issue 14: importing the national procedure database's export.

Builds two illustrative exports (``procedures.catalogue_generate``: codes MINHHOA-..., not a
real catalogue) of ROWS and ROWS / 10 procedures, and measures in the same run:

  (a) the import of each, every procedure new, checked and written in full then rolled back
      (``dry_run``), as rows per second: the ratio of the large file's rate to the small one's
      says whether the cost per row stays flat (no query per row, no quadratic check);
  (b) the large file imported again once it is in (every row unchanged);
  (c) the peak memory of each import (tracemalloc, a separate run: tracing slows Python down),
      and its ratio: ten times the rows should not need anything near ten times the memory
      (the file is streamed three times, 500 rows a batch).

Runs on a throwaway PostgreSQL database whose name contains "bench" (created and dropped), or
on a temporary SQLite file with --sqlite:

    .venv/bin/python bench/catalogue_import.py                 # 2,000 and 200 procedures
    .venv/bin/python bench/catalogue_import.py --sqlite --rows 1000
"""

from __future__ import annotations

import argparse
import os
import tracemalloc
from datetime import date

from timing import (  # bench/timing.py: this script's directory is on the path
    on_database,
    ratio,
    timed,
)

RATE_GOAL = 0.5  # the large file's rows/s at least half the small one's
MEMORY_GOAL = 4.0  # ten times the rows, well under ten times the peak memory (what grows: the
# codes seen, for the repeated ones, and the report's list of codes; a few bytes a row)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--database", default="tinhso_bench_catalogue")
    on_database(run, parser.parse_args())


def peak_of(fn: object) -> float:
    tracemalloc.start()
    fn()  # type: ignore[operator]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from tinhso.accounts.permissions import SYSTEM
    from tinhso.procedures.catalogue_generate import illustrative_xlsx
    from tinhso.procedures.models import Procedure
    from tinhso.procedures.services.catalogue import Decision
    from tinhso.procedures.services.catalogue_import import catalogue_import
    from tinhso.units.loaders import units_load_reference

    call_command("migrate", verbosity=0)
    units_load_reference(actor=SYSTEM)
    decision = Decision("1234/QĐ-UBND", effective_from=date(2026, 1, 1),
                        decision_date=date(2025, 12, 20))
    small_rows = max(1, args.rows // 10)
    large, small = illustrative_xlsx(args.rows), illustrative_xlsx(small_rows)
    print(f"{args.rows} and {small_rows} procedures (illustrative), "
          f"{len(large) / 1e6:.2f} and {len(small) / 1e6:.2f} MB .xlsx; "
          f"{os.environ['DATABASE_URL'].split(':')[0]}")

    def dry(content: bytes) -> object:
        return lambda: catalogue_import("bench.xlsx", content, actor=SYSTEM,
                                        decision=decision, dry_run=True)

    small_s, _ = timed(dry(small), args.repeat, warm_up=True)
    large_s, report = timed(dry(large), args.repeat, warm_up=True)
    small_rate, large_rate = small_rows / small_s, args.rows / large_s
    print(f"(a) {small_rows:>6} rows, all new, rolled back {small_s:7.2f} s "
          f"{small_rate:8.0f} rows/s")
    print(f"    {args.rows:>6} rows, all new, rolled back {large_s:7.2f} s "
          f"{large_rate:8.0f} rows/s  ({len(report.created)} new)")
    ratio(f"catalogue import rows/s, {args.rows} / {small_rows} rows", large_rate / small_rate,
          f">= {RATE_GOAL}", large_rate / small_rate >= RATE_GOAL)
    catalogue_import("bench.xlsx", large, actor=SYSTEM, decision=decision)
    assert Procedure.objects.count() == args.rows
    again_s, again = timed(dry(large), args.repeat)
    print(f"(b) {args.rows:>6} rows again, all unchanged {again_s:7.2f} s "
          f"{args.rows / again_s:8.0f} rows/s  ({again.unchanged} unchanged)")
    Procedure.objects.all().delete()
    small_mb, large_mb = peak_of(dry(small)), peak_of(dry(large))
    print(f"(c) peak traced memory: {small_rows} rows {small_mb:6.1f} MB, {args.rows} rows "
          f"{large_mb:6.1f} MB")
    ratio(f"catalogue import peak memory, {args.rows} / {small_rows} rows",
          large_mb / small_mb, f"<= {MEMORY_GOAL}", large_mb / small_mb <= MEMORY_GOAL)


if __name__ == "__main__":
    main()
