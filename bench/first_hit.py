"""Benchmark: the first visitor after the server starts, with and without the workers' warm-up.

Issue 12 found that the first hit after start took 6 s. gunicorn's ``post_worker_init``
(``tinhso.gunicorn_conf``, ``tinhso.web.warmup``) now renders the main pages once in each new
worker before it takes requests; ``WARM_UP=0`` turns that off. This starts the real server
(gunicorn with the project's config, one worker) twice on the same SQLite database with the demo
loaded, once with ``WARM_UP=0`` and once with ``WARM_UP=1``. Each time it waits until the
server's socket accepts connections and ``--idle`` seconds more (a server started a little
before its first visitor; no request before it, since any request warms the worker),
then times the first ``GET /`` and the median of the next five: the ratio first/steady is the
figure (these machines are shared and noisy; ratios within one run, not absolute times).

    .venv/bin/python bench/first_hit.py                # builds a throwaway database in /tmp
    .venv/bin/python bench/first_hit.py --var /tmp/x   # reuse one (migrated, demo loaded)
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ratio  # bench/timing.py: this script's directory is on the path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return status, time.perf_counter() - start


def _wait(port: int, seconds: float = 60.0) -> None:
    """Until the server's socket accepts connections (no request: a request would warm it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not listen")


def run(env: dict[str, str], port: int, warm: bool, idle: float) -> tuple[float, float]:
    server_env = {**env, "PORT": str(port), "WEB_CONCURRENCY": "1",
                  "WARM_UP": "1" if warm else "0"}
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:tinhso.gunicorn_conf"],
                              env=server_env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(port)
        time.sleep(idle)
        status, first = _get(port, "/")
        if status != 200:
            raise SystemExit(f"GET / answered {status}")
        steady = statistics.median(_get(port, "/")[1] for _ in range(5))
        return first, steady
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", help="a TINHSO_VAR_DIR with the demo loaded (default: new)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--idle", type=float, default=8.0,
                        help="seconds between the server's first answer and the first visitor")
    args = parser.parse_args()
    var = args.var or tempfile.mkdtemp(prefix="tinhso-first-hit-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TINHSO_VAR_DIR=var, DJANGO_SETTINGS_MODULE="tinhso.settings")
    if not args.var:
        print(f"building the demo database in {var} ...", file=sys.stderr)
        for command in (["migrate", "--verbosity", "0"], ["collectstatic", "--noinput",
                                                            "--verbosity", "0"],
                        ["demo", "--quiet-accounts"]):
            subprocess.run([str(BIN / "tinhso"), *command], env=env, check=True,
                           stdout=subprocess.DEVNULL)
    print("server      first GET /   steady GET /   first/steady")
    ratios = {}
    for warm in (False, True):
        first, steady = run(env, args.port, warm, args.idle)
        ratios[warm] = first / steady
        label = "WARM_UP=1" if warm else "WARM_UP=0"
        print(f"{label:10}  {first * 1000:9.0f} ms  {steady * 1000:10.0f} ms  "
              f"{ratios[warm]:12.1f}x")
    print(f"the warm-up cuts the first visitor's wait {ratios[False] / ratios[True]:.1f}-fold "
          "(relative to the steady page in the same server)")
    ratio("first visit / steady, WARM_UP=1", ratios[True], "<= 3", ratios[True] <= 3)


if __name__ == "__main__":
    main()
