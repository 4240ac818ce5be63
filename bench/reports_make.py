"""Benchmark for issue 15: making each report over the demo's full year.

Loads the demo, then measures, in the same run:

  (a) the baseline: the home page rendered by the test client (the goals, targets, dossiers by
      month: a page reading the same selectors as the reports);
  (b) each report type (programme, indicators, dti, services) over the current year, made in
      each registered format (docx, xlsx, pdf) as ``tinhso reports make`` and the task worker
      make it: checked, built from the live data, rendered (``reports.making.make``);

and prints each (b) as its absolute seconds and as a ratio to (a) (these machines are shared and
noisy: the ratio moves less than the seconds). Goal (issue 15): a report over the demo's full
year in under GOAL seconds on this machine.

Runs on a throwaway PostgreSQL database whose name contains "bench" (created and dropped), or
on a temporary SQLite file with --sqlite:

    .venv/bin/python bench/reports_make.py --sqlite
    .venv/bin/python bench/reports_make.py --repeat 3
"""

from __future__ import annotations

import argparse

from timing import (  # bench/timing.py: this script's directory is on the path
    on_database,
    ratio,
    timed,
)

GOAL = 10.0  # seconds, a report over the demo's full year (issue 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--database", default="tinhso_bench_reports")
    on_database(run, parser.parse_args())


def run(args: argparse.Namespace) -> None:
    import tempfile

    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    override_settings(  # a throwaway media root; static files as the tests serve them
        MEDIA_ROOT=tempfile.mkdtemp(prefix="tinhso-bench-media-"), ALLOWED_HOSTS=["testserver"],
        STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    from django.utils import timezone

    from tinhso.accounts.permissions import SYSTEM
    from tinhso.reports.kinds import KINDS
    from tinhso.reports.making import make
    from tinhso.reports.output import FORMATS
    from tinhso.reports.validation import validate

    call_command("migrate", verbosity=0)
    call_command("demo", "--quiet-accounts", verbosity=0)
    year = str(timezone.localdate().year)
    client = Client()
    home, response = timed(lambda: client.get("/"), repeat=args.repeat, warm_up=True)
    assert response.status_code == 200, response.status_code
    print(f"{connection.vendor}; the demo; period {year}; baseline: the home page "
          f"{home * 1000:.0f} ms")
    print(f"{'report':<12} {'format':<6} {'seconds':>8} {'× home page':>12} {'bytes':>9}")
    worst = 0.0
    for kind in KINDS:
        for fmt in sorted(FORMATS):
            def one(kind: str = kind, fmt: str = fmt) -> bytes:
                valid = validate(actor=SYSTEM, kind=kind, period=year, fmt=fmt)
                return make(valid).content
            seconds, content = timed(one, repeat=args.repeat, warm_up=True)
            worst = max(worst, seconds)
            print(f"{kind:<12} {fmt:<6} {seconds:8.2f} {seconds / home:12.1f} "
                  f"{len(content):9,}")
            ratio(f"{kind} .{fmt} / home page", seconds / home)
    print(f"slowest report: {worst:.2f} s (goal: under {GOAL:.0f} s)")
    ratio("slowest report, seconds / goal", worst / GOAL, "<= 1", worst <= GOAL)


if __name__ == "__main__":
    main()
