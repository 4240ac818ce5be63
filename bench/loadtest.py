"""Load test of the platform as deployed: a mixed workload on PostgreSQL at scale, with faults.

On a PostgreSQL server of its own (``bench/pgcluster.py``: initdb in a temporary directory,
never the machine's shared server) it loads the reference units and the catalogue, fills
``--dossiers`` dossiers (default 1,000,000) with their statistics aggregate, starts the real
server (gunicorn with the project's config) and the task worker under a supervisor that
restarts it when it dies (as the systemd unit of docs/operations.md does), then lets
``--clients`` people act for ``--duration`` seconds with a think time between actions
(``--think``, exponential with a mean of 5 s by default: a person reads the page before the next
click; ``--think 1`` offers about as much as two cores can serve, to find the ceiling)
(``bench/loadmix.py``): citizens search, look up and submit, officers act at their desk,
leaders open their page and the statistics.

``--faults`` also, under load, stops the PostgreSQL server at once (immediate shutdown: clients
cut mid-transaction) and starts it again a few seconds later, and kills the task worker with
SIGKILL. Requests that fail while the database is down are counted apart (the outage window
and a short grace); every other request must succeed.

Afterwards it checks, and fails (exit status 1) when any check fails:
- every acknowledged dossier (a 201 with its code) exists exactly once;
- every notification was delivered, and each exactly once (the e-mails written by the worker's
  file backend are compared with the notifications, message by message);
- the server answers /healthz and the worker is running and has drained its queue, without a hand.

It prints throughput and p50/p95/p99 per action, the checks, and a SUMMARY line.

    make loadtest                  # 1,000,000 dossiers, 100 clients, 60 s
    make loadtest-faults           # the same with a database restart and a worker kill
    .venv/bin/python bench/loadtest.py --dossiers 20000 --clients 20 --duration 20 --faults
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import loadcheck
import loadmix
from pgcluster import Cluster
from serving import BIN, ROOT, free_port, start_server, stop_server


class Supervisor:
    """Keeps the task worker running, as systemd's Restart=always with RestartSec=1 does."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _spawn(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, env=self.env,
                                            start_new_session=True)
        self.starts += 1

    def _watch(self) -> None:
        while not self._stop.is_set():
            if self.process is None or self.process.poll() is not None:
                if self.process is not None:
                    time.sleep(1.0)  # RestartSec
                self._spawn()
            self._stop.wait(0.2)

    def start(self) -> Supervisor:
        self._spawn()
        self._thread.start()
        return self

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self.process is not None:
            stop_server(self.process)


def faults(cluster: Cluster, supervisor: Supervisor, duration: float,
           windows: list[tuple[float, float]], log: list[str]) -> threading.Thread:
    """At 30 % of the run the database goes down for 3 s; at 60 % the worker is killed."""

    def act() -> None:
        begun = time.perf_counter()
        time.sleep(duration * 0.3)
        start = time.perf_counter()
        down = cluster.restart(down_seconds=3.0)
        windows.append((start, time.perf_counter() + 5.0))  # a few seconds to reconnect
        log.append(f"t={start - begun:.0f} s: PostgreSQL stopped (immediate) and started "
                   f"again: down {down:.1f} s")
        time.sleep(max(0.0, begun + duration * 0.6 - time.perf_counter()))
        pid = supervisor.process.pid if supervisor.process else 0
        supervisor.kill()
        log.append(f"t={time.perf_counter() - begun:.0f} s: task worker (pid {pid}) killed "
                   "with SIGKILL")

    thread = threading.Thread(target=act, daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds a person pauses between actions (default 5: reading "
                             "a page before the next click; 1 s finds the server's ceiling)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1,
                        help="gunicorn worker processes (default 2 x cores + 1)")
    parser.add_argument("--faults", action="store_true",
                        help="restart the database and kill the worker under load")
    parser.add_argument("--keep", action="store_true",
                        help="leave the PostgreSQL server running afterwards (its address is "
                             "printed), to look into it")
    parser.add_argument("--dashboard-p95-ms", type=float, default=0.0,
                        help="fail when the leader's page p95 is above this (0: not checked)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tinhso-loadtest-"))
    cluster = Cluster().create()
    database = "tinhso_loadtest"
    cluster.psql("postgres", f"CREATE DATABASE {database}")
    mail = work / "mail"
    os.environ.update({
        "DATABASE_URL": cluster.url(database), "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "tinhso.settings", "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail), "TINHSO_PUBLISH_DELAY_SECONDS": "2",
        "TINHSO_NOTIFY_DELAY_SECONDS": "0.5", "DEBUG": "false",
        # a killed worker's task is picked up again within seconds, not the minute of production
        "TINHSO_WORKER_DEAD_SECONDS": "10",
    })
    supervisor = server = None
    try:
        import django

        django.setup()
        from django.db import connections

        people, world, summary = loadcheck.prepare(args.dossiers, args.clients)
        print(summary)
        connections.close_all()
        port = free_port()
        env = dict(os.environ)
        server = start_server(port, args.workers, env, work / "server.log")
        supervisor = Supervisor([str(BIN / "tinhso"), *loadcheck.worker_command()], env,
                                work / "worker.log").start()
        print(f"server: gunicorn, {args.workers} sync workers on 127.0.0.1:{port}; task worker "
              f"under a supervisor; PostgreSQL {cluster.url(database)} (its own server); "
              f"{os.cpu_count()} cores")
        print(f"load: {args.clients} people ({loadcheck.mix(people)}), think time "
              f"{args.think:.1f} s on average, for {args.duration:.0f} s"
              + ("; with faults" if args.faults else ""))
        windows: list[tuple[float, float]] = []
        fault_log: list[str] = []
        thread = (faults(cluster, supervisor, args.duration, windows, fault_log)
                  if args.faults else None)
        stats = loadmix.run(port, people, world, args.duration, args.think)
        if thread is not None:
            thread.join()
        for line in fault_log:
            print("fault:", line)
        for line in stats.table(args.duration):
            print(line)
        checks = loadcheck.after(stats, world, windows, port, supervisor.alive, mail)
        dashboard = stats.p95("dashboard") * 1000
        if args.dashboard_p95_ms:
            checks.append((dashboard <= args.dashboard_p95_ms,
                           f"leader's page p95 {dashboard:.0f} ms (limit "
                           f"{args.dashboard_p95_ms:.0f} ms)"))
        checks.append((supervisor.starts >= (2 if args.faults else 1),
                       f"task worker started {supervisor.starts} time(s) by its supervisor"))
        for ok, line in checks:
            print(f"check {'ok  ' if ok else 'FAIL'} {line}")
        total = sum(len(v) for v in stats.latencies.values())
        passed = all(ok for ok, _line in checks)
        print(f"SUMMARY loadtest: {args.dossiers:,} dossiers, {args.clients} clients, "
              f"{total / args.duration:.0f} requests/s, dashboard p95 {dashboard:.0f} ms, "
              f"{len(world.acknowledged)} dossiers acknowledged; checks "
              f"{'passed' if passed else 'FAILED'}")
        if not passed:
            print(f"logs kept in {work}")
            sys.exit(1)
    finally:
        if supervisor is not None:
            supervisor.stop()
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept: {cluster.url(database)} (data in {cluster.data}; stop it with "
                  f"pg_ctl -D {cluster.data} stop as the postgres user)")
        else:
            cluster.remove()


if __name__ == "__main__":
    main()
