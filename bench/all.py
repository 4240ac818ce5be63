"""Every benchmark in bench/, one after the other, and one table of their ratios (``make bench``).

Each benchmark measures its subject against a baseline run in the same process or command
(these machines are shared and noisy: absolute times drift, ratios much less) and prints each
ratio as a ``RATIO`` line (``timing.ratio``); this collects them. By default each runs at a
quick size (a few minutes in all); ``--full`` runs the sizes the issues name (much longer).
A benchmark that fails is shown as failed, with the end of its output, and the others still run.

    .venv/bin/python bench/all.py                 # quick sizes
    .venv/bin/python bench/all.py --full          # the issues' sizes
    .venv/bin/python bench/all.py scoring_engine  # some of them
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name: (quick arguments, full arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "scoring_engine": ([], []),
    "indicators_compute": (["--indicators", "20", "--units", "100", "--years", "2"], []),
    # full: 24,000,000 values (200 indicators x 2,000 units x 60 months), ~15 min of filling
    "value_blocks": (["--indicators", "20", "--units", "500", "--periods", "24", "--subset",
                      "4"], []),
    "programme_import": (["--tasks", "1000"], []),
    "catalogue_import": ([], []),  # the 2,000 rows against 200: about a minute
    "dossier_stats": (["--rows", "200000"], []),
    "dossier_submit_http": (["--clients", "20", "--duration", "5", "--warmup", "2"], []),
    "first_hit": ([], []),
    "procedure_search": ([], []),
    "documents_search": (["--rows", "100000"], []),  # full: 1,000,000 documents, ~4 min
    "reports_make": (["--sqlite", "--repeat", "1"], ["--repeat", "3"]),
}


def run(name: str, arguments: list[str]) -> tuple[list[list[str]], float, str]:
    """The benchmark's RATIO lines as fields, its seconds, and '' or why it failed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # each makes its own
    began = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *arguments], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - began
    rows = [line.split("\t")[1:] for line in done.stdout.splitlines()
            if line.startswith("RATIO\t")]
    failed = ""
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-8:]
        failed = f"exit status {done.returncode}:\n      " + "\n      ".join(tail)
    elif not rows:
        failed = "printed no ratio"
    return rows, seconds, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"some of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--full", action="store_true", help="the sizes the issues name")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    table: list[tuple[str, list[str]]] = []
    failures = []
    for name in names:
        quick, full = BENCHMARKS[name]
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows, seconds, failed = run(name, full if args.full else quick)
        print(f"  {seconds:.0f} s{': FAILED ' + failed if failed else ''}", file=sys.stderr)
        if failed:
            failures.append(name)
        table.extend((name, row) for row in rows)
    print(f"{'benchmark':<20} {'measure':<44} {'ratio':>9}  {'goal':<9} verdict")
    for name, (measure, value, goal, verdict) in table:
        print(f"{name:<20} {measure:<44} {float(value):>9.2f}  {goal:<9} {verdict}")
    for name in failures:
        print(f"{name:<20} FAILED (see above)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
