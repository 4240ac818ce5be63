"""Benchmark (a) of the one-stop: online dossier submissions through the HTTP API.

Starts the real server (gunicorn with the project's config) on PostgreSQL, then 50 concurrent
clients (threads, one keep-alive http.client connection each, one citizen account and API token
each) POST /api/v1/dossiers/ for a fixed time: a few communes x the commune-level online
procedures that ask for one document, each submission carrying one small PDF. The same 50
clients then GET /healthz on the same server for the same time: the trivial endpoint is the
baseline, measured in the same run (these machines are shared and noisy: compare the ratios).
Goal of the issue: >= 200 submissions/s, p99 < 250 ms, no errors, on a 2-core machine.
Issue 17's goals: throughput >= 0.33 x /healthz's and p99 <= 3 x /healthz's at 50 clients, 0
errors, <= 5 queries per submission. Measured on the 2-core machine, quiet, 50 clients, 15 s,
one run each minutes apart: before the batched writes 129/s (0.092 x /healthz's 1,393/s), p99
522 ms (11.2 x), server CPU 14.5 ms per submission (gunicorn 9.3, worker 2.0, PostgreSQL 3.1), 13
queries; after them (core.batch, codes.insert_numbered, the cached version) 199/s (0.138 x
1,439/s), p99 327 ms (7.6 x), CPU 9.3 ms (gunicorn 5.5, worker 1.7, PostgreSQL 2.1), 4 queries.
2026-12-03, two runs back to back (load average ~1 before): at the start of the day 256/s
(0.158 x 1,618/s), p99 6.7 x, CPU 7.28 ms (gunicorn 3.90, worker 1.52, PostgreSQL 1.86); after
the health check without a round trip (core.pgbackend), the delivery queued once per window
(not asked for per message), each notification sent with two written-once statements, the two
statements prepared with their parameters apart, and the batch's INSERTs written without the
ORM's compiler: 357/s and 340/s (0.215 and 0.202 x ~1,670/s), p99 4.3 x and 5.9 x, CPU 5.01 and
5.25 ms (gunicorn 3.06-3.26, worker 0.70, PostgreSQL 1.25-1.28), 4 queries. Goals NOT met.

Each phase also reads the CPU time the server spent (gunicorn's workers, this database's
PostgreSQL processes, and the task worker, from /proc): CPU milliseconds per
request are steadier than requests per second on a shared machine, and say what two idle cores
could serve at most. Sync gunicorn workers close the connection after each response; the
clients reconnect (as a reverse proxy would).

Afterwards it counts the queries of one submission in-process (CaptureQueriesContext), grouped
by statement and table, and times one submission and one /healthz in-process; --profile adds
a cProfile of in-process submissions. Each submission writes the applicant's notification
(an outbox row) and asks for its agency's statistics publication; one delivery task waits
however many notifications are written, and the publication waits
TINHSO_PUBLISH_DELAY_SECONDS. `tinhso db_worker` runs beside the server, as `make run` and a
deployment do, on the same cores, and the notifications it has delivered by the end of the
submissions are counted; --no-worker measures the server alone (the tasks are counted, not
run: the delivery task then stays overdue, so each submission asks about it).

Needs a throwaway PostgreSQL database whose name contains "bench": it is dropped and created
(DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tinhso_bench). The server is stopped
and the uploaded files removed at the end, whatever happens:

    .venv/bin/python bench/dossier_submit_http.py
    .venv/bin/python bench/dossier_submit_http.py --clients 50 --duration 20 --workers 5
    .venv/bin/python bench/dossier_submit_http.py --no-worker       # the server alone
    .venv/bin/python bench/dossier_submit_http.py --profile --keep
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from serving import cpu_meter, free_port, start_server, start_worker, stop_server
from submit_inprocess import in_process_cost, profile_submissions, queries_of_one_submission
from timing import ratio  # bench/timing.py: this script's directory is on the path

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
       + b"% tinhso benchmark document\n" * 40 + b"trailer <<>>\n%%EOF\n")  # ~1 KB
COMMUNES = 5


# --- load ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[Any] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


@dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    errors: int
    statuses: Counter[Any]
    p50: float
    p99: float
    samples: list[str]
    cpu: dict[str, float] = field(default_factory=dict)  # seconds, by process group

    def cpu_ms(self, group: str) -> float:
        return self.cpu.get(group, 0.0) / max(self.requests, 1) * 1000

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        cpu = ", ".join(f"{g} {self.cpu_ms(g):.2f}" for g in self.cpu)
        return (f"{self.name:<12} {self.requests:>7} requests in {self.seconds:5.1f} s: "
                f"{self.throughput:8.1f}/s, p50 {self.p50 * 1000:7.1f} ms, "
                f"p99 {self.p99 * 1000:7.1f} ms, errors {self.errors}; "
                f"CPU ms per request: {cpu}")


def load(name: str, port: int, method: str, path: str, bodies: list[bytes],
         headers: list[dict[str, str]], ok: int, duration: float, warmup: float,
         meter: Callable[[], dict[str, float]]) -> Phase:
    """len(headers) clients, each on its own connection, as fast as the server answers."""
    clients = len(headers)
    outcomes = [Outcome() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    timing: dict[str, float] = {}

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        got = outcomes[i]
        n = 0
        start.wait()
        while True:
            now = time.perf_counter()
            if now >= timing["stop"]:
                break
            body = bodies[(i + n * clients) % len(bodies)] if bodies else None
            n += 1
            status: Any
            try:
                conn.request(method, path, body=body, headers=headers[i])
                response = conn.getresponse()
                data = response.read()
                status = response.status
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                status, data = type(exc).__name__, str(exc).encode()
                conn.close()
            done = time.perf_counter()
            if now < timing["measure"]:
                continue  # warming up
            got.latencies.append(done - now)
            got.statuses[status] += 1
            if status != ok and len(got.samples) < 3:
                got.samples.append(f"{status}: {data[:300].decode(errors='replace')}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    timing["measure"] = time.perf_counter() + warmup
    timing["stop"] = timing["measure"] + duration
    start.wait()
    time.sleep(max(0.0, timing["measure"] - time.perf_counter()))
    before = meter()
    time.sleep(max(0.0, timing["stop"] - time.perf_counter()))
    after = meter()
    cpu = {group: after[group] - before[group] for group in after}
    for t in threads:
        t.join()
    seconds = time.perf_counter() - timing["measure"]
    latencies = sorted(x for o in outcomes for x in o.latencies)
    statuses: Counter[Any] = Counter()
    for o in outcomes:
        statuses.update(o.statuses)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Phase(name, len(latencies), seconds, sum(c for s, c in statuses.items() if s != ok),
                 statuses, cuts[49], cuts[98], [s for o in outcomes for s in o.samples][:5],
                 cpu)


# --- set-up ----------------------------------------------------------------------------------


def form_answers(procedure: Any, n: int) -> dict[str, str]:
    samples = {"text": f"Nguyễn Thị Bình {n}", "textarea": "Ghi chú", "date": "01/11/2026",
               "number": "2", "email": f"binh{n}@example.vn", "phone": "0905123456"}
    answers = {}
    for f in procedure.form_schema:
        kind = f.get("type", "text")
        if kind == "select":
            choice = f["choices"][n % len(f["choices"])]
            answers[f["name"]] = choice[0] if isinstance(choice, list) else choice
        elif f["name"].endswith("id_number"):
            answers[f["name"]] = f"0792010{n % 100000:05d}"
        else:
            answers[f["name"]] = samples[kind]
    return answers


def prepare(clients: int) -> tuple[list[bytes], list[str], list[str]]:
    """Reference units, the catalogue, one citizen with a token per client; the bodies."""
    from django.db import transaction

    from tinhso.accounts.models import User, UserKind
    from tinhso.accounts.permissions import SYSTEM
    from tinhso.accounts.services import api_token_create
    from tinhso.procedures.catalogue import receiving_units
    from tinhso.procedures.loaders import procedures_load
    from tinhso.procedures.models import Procedure
    from tinhso.units.loaders import units_load_reference

    units_load_reference(actor=SYSTEM)
    procedures_load()
    tokens = []
    with transaction.atomic():
        for i in range(clients):
            user = User.objects.create(username=f"congdan{i:03d}", kind=UserKind.CITIZEN,
                                       first_name="Công dân", last_name=str(i))
            tokens.append(api_token_create(actor=user, user=user, name="bench")[1])
    procedures = [p for p in Procedure.objects.filter(level="commune").exclude(
        online_level="none").order_by("code") if len(p.required_documents) == 1]
    communes = receiving_units(procedures[0])[:COMMUNES]
    pdf = base64.b64encode(PDF).decode()
    bodies = []
    for n in range(max(200, clients * 4)):
        procedure = procedures[n % len(procedures)]
        commune = communes[(n // len(procedures)) % len(communes)]
        document = procedure.required_documents[0]["code"]
        bodies.append(json.dumps({
            "procedure": procedure.code, "unit": commune.code,
            "applicant": {"name": f"Trần Văn {n}", "phone": f"09{n % 10**8:08d}",
                          "email": f"dan{n}@example.vn"},
            "form": form_answers(procedure, n),
            "documents": {document: {"name": f"{document}.pdf", "content_base64": pdf}},
        }, ensure_ascii=False).encode())
    return bodies, tokens, [f"{p.name} ({p.code})" for p in procedures] + [
        f"{c.name} ({c.code})" for c in communes]


# --- main ------------------------------------------------------------------------------------


def tasks() -> dict[str, int]:
    """Background tasks by status (notification deliveries, statistics publications), and
    the notifications delivered and waiting."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                       "GROUP BY status")
        found = {str(status).lower(): int(n) for status, n in cursor.fetchall()}
        cursor.execute("SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), "
                       "count(*) FILTER (WHERE sent_at IS NULL) FROM procedures_notification")
        found["notifications delivered"], found["notifications waiting"] = cursor.fetchone()
        return found


def cost_line(phase: Phase, cores: int) -> str:
    total = sum(phase.cpu_ms(g) for g in phase.cpu)
    parts = " + ".join(f"{g} {phase.cpu_ms(g):.2f}" for g in phase.cpu)
    return (f"{phase.name:<12} server-side CPU per request {total:6.2f} ms ({parts}): "
            f"{cores} idle cores would serve at most {cores * 1000 / total:,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds, not measured")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1,
                        help="gunicorn worker processes (default 2 x cores + 1)")
    parser.add_argument("--no-worker", dest="worker", action="store_false",
                        help="without the background task worker that `make run` starts beside "
                             "the server (by default it runs, on the same cores)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile in-process submissions")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    cores = os.cpu_count() or 1

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tinhso_bench")
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    if "bench" not in database:
        sys.exit("the database name must contain 'bench': it is dropped and created")
    admin = urlunsplit(parts._replace(path="/postgres"))
    psql = ["psql", admin, "-q", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    media = Path(tempfile.mkdtemp(prefix="tinhso-bench-media-"))
    os.environ.update({"DATABASE_URL": url, "MEDIA_ROOT": str(media), "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "tinhso.settings"})
    started: list[subprocess.Popen[bytes]] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        bodies, tokens, spread = prepare(args.clients)
        connections.close_all()
        port = free_port()
        server = start_server(port, args.workers, dict(os.environ), media / "server.log")
        started.append(server)
        groups = {"gunicorn": server.pid}
        if args.worker:
            worker = start_worker(dict(os.environ), media / "worker.log")
            started.append(worker)
            groups["worker"] = worker.pid
        meter = cpu_meter(groups, database)
        print(f"server: gunicorn -c python:tinhso.gunicorn_conf, {args.workers} sync workers "
              f"on 127.0.0.1:{port}{', with the task worker' if args.worker else ''}; "
              f"{cores} cores; PostgreSQL {database}")
        print(f"load: {args.clients} clients (threads, keep-alive), {args.duration:.0f} s per "
              f"phase after {args.warmup:.0f} s of warm-up; submissions spread over "
              + "; ".join(spread))
        headers = [{"Authorization": f"Bearer {t}", "Content-Type": "application/json",
                    "Accept-Language": "vi"} for t in tokens]
        submit = load("submissions", port, "POST", "/api/v1/dossiers/", bodies, headers, 201,
                      args.duration, args.warmup, meter)
        queued = tasks()
        plain = [{"Accept": "application/json"} for _ in tokens]
        trivial = load("/healthz", port, "GET", "/healthz", [], plain, 200, args.duration,
                       args.warmup, meter)
        for process in reversed(started):
            stop_server(process)
        for phase in (submit, trivial):
            print(phase.line())
            for sample in phase.samples:
                print("   error:", sample)
        ratio_tp = submit.throughput / trivial.throughput
        ratio_p99 = submit.p99 / trivial.p99
        print(f"ratio: submission throughput / trivial throughput {ratio_tp:.3f}; "
              f"p99 submission / p99 trivial {ratio_p99:.1f}x")
        for phase in (submit, trivial):
            print(cost_line(phase, cores))
        ratio("submissions/s / healthz/s", ratio_tp, ">= 0.33", ratio_tp >= 0.33)
        ratio("submission p99 / healthz p99", ratio_p99, "<= 3", ratio_p99 <= 3)

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), count(DISTINCT code) FROM procedures_dossier")
            stored, distinct = cursor.fetchone()
            cursor.execute("SELECT sum(last) FROM procedures_dossiersequence")
            numbered = cursor.fetchone()[0] or 0
        print(f"check: {stored} dossiers stored ({submit.statuses.get(201, 0)} acknowledged "
              f"while measured, the rest during warm-up), {distinct} distinct codes, "
              f"{numbered} numbers given (no gaps: {numbered == stored})")
        delivered, waiting = (queued.pop(f"notifications {k}") for k in ("delivered", "waiting"))
        print(f"background tasks at the end of the submissions: {sum(queued.values())} for "
              f"{stored} dossiers ({sum(queued.values()) / max(stored, 1):.2f} per submission), "
              f"by status {queued}; notifications {delivered} delivered, {waiting} waiting")

        count, lines = queries_of_one_submission(bodies, tokens[0])
        print(f"queries of one submission (in-process, warm): {count}")
        for line in lines:
            print("   ", line)
        one, health = in_process_cost(bodies, tokens[0])
        print(f"in-process, one request at a time (wall time, Django test client): submission "
              f"{one * 1000:.1f} ms, /healthz {health * 1000:.2f} ms (ratio {one / health:.0f}x)")
        if args.profile:
            print(profile_submissions(bodies, tokens[0], 200))

        goal = submit.throughput >= 200 and submit.p99 < 0.250 and submit.errors == 0
        cpu = sum(submit.cpu_ms(g) for g in submit.cpu)
        print(f"SUMMARY dossier_submit_http: {submit.throughput:.0f} submissions/s, "
              f"p50 {submit.p50 * 1000:.0f} ms, p99 {submit.p99 * 1000:.0f} ms, "
              f"{submit.errors} errors; /healthz {trivial.throughput:.0f}/s, "
              f"p99 {trivial.p99 * 1000:.0f} ms; ratio {ratio_tp:.3f} (p99 {ratio_p99:.1f}x); "
              f"server CPU {cpu:.1f} ms/submission, {count} queries/submission; goal "
              f"(>= 200/s, p99 < 250 ms, 0 errors) {'met' if goal else 'NOT met'}")
    finally:
        for process in reversed(started):
            stop_server(process)
        from django.db import connections as all_connections

        all_connections.close_all()
        shutil.rmtree(media, ignore_errors=True)
        if not args.keep:
            subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"],
                           check=False)


if __name__ == "__main__":
    main()
