"""Benchmark for issue 17: rebuilding the indicator value blocks of 24,000,000 values.

Fills INDICATORS monthly indicators x UNITS communes x PERIODS months of approved values
(200 x 2,000 x 60 = 24,000,000 by default) with one INSERT ... SELECT over generate_series,
says they changed, then measures in the same run

  - the baseline: one ``SELECT indicator_id, period, count(*), sum(value::float8) ... GROUP BY
    indicator_id, period`` over the same approved rows: every value read once, converted as the
    blocks convert it and put in its block's group, nothing built or written (the floor of a
    rebuild in the database; the rebuild also orders each block by unit and writes it);
  - the old way (``blocks.rebuild_one_by_one``, an indicator at a time through the ORM) on the
    first SUBSET indicators, extrapolated per value to all of them;
  - ``blocks.rebuild`` of every indicator (set-wise), once.

The subset's blocks from both ways are compared byte for byte. Goal: the rebuild of
24,000,000 values within 30 s (printed as a ratio to 30 s, beside the ratio to the baseline).

PostgreSQL only. Needs a throwaway database whose name contains "bench" (created and dropped):

    .venv/bin/python bench/value_blocks.py                       # the issue's size
    .venv/bin/python bench/value_blocks.py --indicators 20 --units 500 --periods 24

Measured on the shared 2-core machine (load average 3-4 from other work), 2026-12-02, full
size (24,000,000 values; the fill puts one unit's month of every indicator side by side, as a
form would, some 65 values a page; 390 s, not measured):

    baseline: GROUP BY indicator, period over the 24,000,000 approved values (12,000 groups): 7.4 s
    old way (one by one) on 10 indicators: 23.5 s, extrapolated to 200: 470 s
    set-wise rebuild of 24,000,000 values: 28.5 s (the subset's blocks identical, byte for byte)
    RATIO  value blocks rebuild / SQL GROUP BY same rows           3.858
    RATIO  value blocks rebuild, old way / set-wise               16.500
    RATIO  value blocks rebuild s / (30 s per 24M values)          0.949  <= 1  met

The old way already writes into the LZ4-compressed columns (migration indicators 0005); with
pglz its writes took about 4 times longer. An earlier set-wise version (32 MB chunks held in
memory, twelve passes over the shared pages) took 39.9 s in the same conditions. The baseline
runs in parallel workers; the rebuild's query cannot (a cursor's query is not parallel).
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from timing import on_database, ratio  # bench/timing.py: this script's directory is on the path

GOAL_SECONDS, GOAL_VALUES = 30.0, 24_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=60, help="months, from January 2021")
    parser.add_argument("--subset", type=int, default=10,
                        help="indicators rebuilt the old way (extrapolated per value)")
    parser.add_argument("--database", default="tinhso_bench_blocks")
    args = parser.parse_args()
    args.sqlite = False
    on_database(run, args)


def fill(args: argparse.Namespace) -> int:
    """The units, indicators and values; the table's secondary indexes are dropped during the
    fill and made again after it (much faster than keeping them up to date row by row)."""
    from django.db import connection

    from tinhso.indicators.models import Indicator
    from tinhso.units.models import Level, Unit

    province = Unit.objects.create(code="P", name="Tỉnh thử", level=Level.PROVINCE, path="/P/")
    Unit.objects.bulk_create([
        Unit(code=f"C{c}", name=f"Xã {c}", level=Level.COMMUNE, parent=province,
             path=f"/P/C{c}/", depth=1) for c in range(args.units)])
    Indicator.objects.bulk_create([
        Indicator(code=f"raw_{i}", name=f"Raw {i}", measure="count", period_type="month")
        for i in range(args.indicators)])
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'indicators_indicatorvalue' AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""")
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # The foreign keys hold by construction: not checked row by row (triggers off).
        cursor.execute("SET session_replication_role = replica")
        # Values with six decimals, some negative, some large: numeric -> float8 is exercised.
        cursor.execute("""
            INSERT INTO indicators_indicatorvalue
              (indicator_id, unit_id, period, period_start, value, status, source, comment,
               return_reason, is_illustrative, created_at, updated_at)
            SELECT i.id, u.id, to_char(m, 'YYYYMM'), m::date,
                   ((i.id * 7919 + u.id * 104729 + extract(epoch from m)::bigint) %% 2000003
                    - 1000000)::numeric / 1000 * (1 + i.id %% 7),
                   'approved', 'bench', '', '', false, now(), now()
            FROM indicators_indicator i
            CROSS JOIN units_unit u
            CROSS JOIN generate_series(%s::date, %s::date, interval '1 month') m
            WHERE u.level = 'commune'
        """, [date(2021, 1, 1), _month(args.periods - 1)])
        cursor.execute("SET session_replication_role = DEFAULT")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE indicators_indicatorvalue")
        cursor.execute("SELECT count(*) FROM indicators_indicatorvalue")
        return cursor.fetchone()[0]


def _month(n: int) -> date:
    return date(2021 + n // 12, n % 12 + 1, 1)


def group_by() -> int:
    """The baseline: every approved value read once, converted to float8 and grouped by
    indicator and period (the blocks' groups), in one statement; nothing built or written."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT indicator_id, period, count(*), sum(value::float8)
            FROM indicators_indicatorvalue WHERE status = 'approved'
            GROUP BY indicator_id, period""")
        return len(cursor.fetchall())


def blocks_of(ids: list[int]) -> dict[tuple[int, str], tuple[bytes, bytes]]:
    from tinhso.indicators.models import ValueBlock

    return {(i, p): (bytes(u), bytes(v)) for i, p, u, v in ValueBlock.objects.filter(
        indicator_id__in=ids).values_list("indicator_id", "period", "unit_ids", "values")}


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F

    from tinhso.indicators.blocks import rebuild, rebuild_one_by_one, values_changed
    from tinhso.indicators.models import Indicator

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    count = fill(args)
    print(f"filled {count:,} values ({args.indicators} indicators x {args.units} units x "
          f"{args.periods} months) in {time.perf_counter() - start:.1f} s", flush=True)
    ids = sorted(Indicator.objects.values_list("pk", flat=True))
    subset = ids[:args.subset]
    values_changed(ids)

    start = time.perf_counter()
    groups = group_by()
    base = time.perf_counter() - start
    print(f"baseline: GROUP BY indicator, period over the {count:,} approved values "
          f"({groups:,} groups): {base:.1f} s", flush=True)

    start = time.perf_counter()
    rebuild_one_by_one(subset)
    old_subset = time.perf_counter() - start
    old = old_subset * len(ids) / len(subset)
    before = blocks_of(subset)
    print(f"old way (one by one) on {len(subset)} indicators: {old_subset:.1f} s, "
          f"extrapolated to {len(ids)}: {old:.0f} s", flush=True)

    values_changed(ids)
    start = time.perf_counter()
    rebuild(ids)
    new = time.perf_counter() - start
    after = blocks_of(subset)
    assert after == before, "the set-wise blocks differ from the old way's"
    assert not Indicator.objects.exclude(blocks_version=F("values_version")).exists()
    print(f"set-wise rebuild of {count:,} values: {new:.1f} s (the subset's blocks identical "
          "to the old way's, byte for byte)", flush=True)
    ratio("value blocks rebuild / SQL GROUP BY same rows", new / base)
    ratio("value blocks rebuild, old way / set-wise", old / new)
    goal = GOAL_SECONDS * count / GOAL_VALUES  # 30 s at the size, pro rata below it
    ratio("value blocks rebuild s / (30 s per 24M values)", new / goal, "<= 1", new <= goal)


if __name__ == "__main__":
    main()
