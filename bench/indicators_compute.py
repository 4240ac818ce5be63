"""Benchmark for issue 3: indicator values at scale.

Fills INDICATORS raw indicators (plus one formula indicator per four raw ones) x UNITS communes
(under DISTRICTS districts of one province) x YEARS years of monthly values, then measures

  (a) recomputing every formula indicator (and its inputs) at every level for one year, and
  (b) the home dashboard (targets with their status for the province),

each printed as a ratio to a single hand-written SQL aggregate over the same rows in the same
run (these machines are shared and noisy: compare ratios, not seconds). Goal: (a) within 3x.

PostgreSQL only (the fill uses generate_series). Needs a throwaway database whose name contains
"bench"; it is created and dropped by the script:

    .venv/bin/python bench/indicators_compute.py                 # the issue's size
    .venv/bin/python bench/indicators_compute.py --indicators 20 --units 100 --years 2
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from timing import (  # bench/timing.py: this script's directory is on the path
    drop_postgres,
    fresh_postgres,
    ratio,
    timed,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="tinhso_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    fresh_postgres(args.database)
    try:
        run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_postgres(args.database)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from tinhso.indicators.blocks import rebuild, values_changed
    from tinhso.indicators.models import Aggregation, Indicator, Target
    from tinhso.indicators.selectors import compute, targets_with_progress
    from tinhso.units.models import Level, Unit

    call_command("migrate", verbosity=0)
    first_year = 2016
    last_year = first_year + args.years - 1

    # Units: a province, its districts, the communes spread over them.
    province = Unit.objects.create(code="P", name="Tỉnh thử", level=Level.PROVINCE, path="/P/")
    districts = Unit.objects.bulk_create([
        Unit(code=f"D{d}", name=f"Huyện {d}", level=Level.DISTRICT, parent=province,
             path=f"/P/D{d}/", depth=1) for d in range(args.districts)])
    Unit.objects.bulk_create([
        Unit(code=f"C{c}", name=f"Xã {c}", level=Level.COMMUNE,
             parent=districts[c % args.districts],
             path=f"/P/D{c % args.districts}/C{c}/", depth=2) for c in range(args.units)])
    raw = Indicator.objects.bulk_create([
        Indicator(code=f"raw_{i}", name=f"Raw {i}", measure="count", period_type="month",
                  aggregation=Aggregation.SUM if i % 2 == 0 else Aggregation.AVERAGE)
        for i in range(args.indicators)])
    formulas = Indicator.objects.bulk_create([
        Indicator(code=f"rate_{j}", name=f"Rate {j}", measure="percent", period_type="month",
                  aggregation=Aggregation.FORMULA,
                  formula=f"raw_{4 * j} / (raw_{4 * j} + raw_{4 * j + 2}) * 100")
        for j in range(args.indicators // 4)])

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO indicators_indicatorvalue
              (indicator_id, unit_id, period, period_start, value, status, source, comment,
               return_reason, is_illustrative, created_at, updated_at)
            SELECT i.id, u.id, to_char(m, 'YYYYMM'), m::date,
                   ((i.id * 7919 + u.id * 104729 + extract(epoch from m)::bigint) %% 1000)::numeric,
                   'approved', 'bench', '', '', false, now(), now()
            FROM indicators_indicator i
            CROSS JOIN units_unit u
            CROSS JOIN generate_series(%s::date, %s::date, interval '1 month') m
            WHERE i.formula = '' AND u.level = 'commune'
        """, [date(first_year, 1, 1), date(last_year, 12, 1)])
        cursor.execute("ANALYZE indicators_indicatorvalue")
        cursor.execute("SELECT count(*) FROM indicators_indicatorvalue")
        count = cursor.fetchone()[0]
    print(f"filled {count:,} values ({args.indicators} indicators x {args.units} units x "
          f"{args.years} years x 12 months) in {time.perf_counter() - start:.1f} s")
    # Rows inserted by SQL bypass the models: say so, then build the value blocks (the
    # projection the reads use), as `tinhso indicators rebuild-blocks` does after a bulk load.
    start = time.perf_counter()
    values_changed([i.pk for i in raw])
    rebuild([i.pk for i in raw])
    print(f"built the value blocks in {time.perf_counter() - start:.1f} s (not part of the "
          "measured reads)")

    year = last_year
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    codes = [i.code for i in formulas] + [i.code for i in raw]

    def sql_baseline() -> list:
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT indicator_id, period, sum(value), count(*)
                FROM indicators_indicatorvalue
                WHERE period = ANY(%s) AND status = 'approved'
                GROUP BY indicator_id, period
            """, [months])
            return cursor.fetchall()

    def recompute() -> object:
        return compute(codes=codes, periods=months)

    base, rows = timed(sql_baseline, args.repeat)
    mine, result = timed(recompute, args.repeat)
    computed = result.matrices  # type: ignore[attr-defined]
    assert len(rows) == len(raw) * 12
    check = computed["raw_0"][0][0]  # province, January: the sum over every commune
    expected = next(float(r[2]) for r in rows if r[0] == raw[0].id and r[1] == months[0])
    assert abs(check - expected) < 1e-6 * max(1.0, expected), (check, expected)
    print(f"(a) recompute {len(formulas)} formula + {len(raw)} input indicators at "
          f"{args.units + args.districts + 1} units for {year}: {mine:.3f} s; "
          f"SQL aggregate baseline {base:.3f} s; ratio {mine / base:.2f}x (goal <= 3x)")
    ratio("indicator recompute / SQL aggregate", mine / base, "<= 3", mine / base <= 3)

    # (b) The home dashboard of the province: targets of six indicators with their status.
    headline = raw[:6]
    Target.objects.bulk_create([Target(indicator=i, unit=province, year=last_year + 2,
                                       value=10**6) for i in headline])
    client = Client()

    def dashboard_baseline() -> list:
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT indicator_id, period, sum(value)
                FROM indicators_indicatorvalue
                WHERE indicator_id = ANY(%s) AND status = 'approved'
                GROUP BY indicator_id, period
            """, [[i.id for i in headline]])
            return cursor.fetchall()

    def dashboard_selector() -> object:
        return targets_with_progress(province, today=date(last_year, 12, 31))

    with override_settings(TINHSO_HOME_UNIT="P", ALLOWED_HOSTS=["*"]):
        def dashboard_page() -> object:
            response = client.get("/")
            assert response.status_code == 200
            return response

        base_b, _ = timed(dashboard_baseline, args.repeat)
        sel_b, statuses = timed(dashboard_selector, args.repeat)
        page_b, _ = timed(dashboard_page, args.repeat)
    assert len(statuses) == 6  # type: ignore[arg-type]
    print(f"(b) home dashboard, {len(headline)} targets over {args.years * 12} months: "
          f"selector {sel_b:.3f} s (ratio {sel_b / base_b:.2f}x), whole page {page_b:.3f} s "
          f"(ratio {page_b / base_b:.2f}x); SQL aggregate baseline {base_b:.3f} s")
    ratio("home dashboard page / SQL aggregate", page_b / base_b)


if __name__ == "__main__":
    main()
