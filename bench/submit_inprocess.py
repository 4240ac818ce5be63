"""In-process measurements of one dossier submission through the API (Django's test client,
one request at a time): its queries grouped by statement and table, its wall time against
/healthz's, and a cProfile (bench/dossier_submit_http.py prints them after the load)."""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable


def _statement(sql: str) -> str:
    sql = re.sub(r"^\d+ times: ", "", sql.strip())  # executemany
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', sql, re.IGNORECASE)
    if verb in {"SAVEPOINT", "RELEASE"}:
        return verb
    return f"{verb} {table.group(1) if table else ''}".strip()


def queries_of_one_submission(bodies: list[bytes], token: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    # Once to warm the caches a running worker has (the calendar, the translations, the token,
    # and the procedure, its version and the agency of the submission measured).
    client.post("/api/v1/dossiers/", bodies[2], content_type="application/json", **headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/v1/dossiers/", bodies[2],
                               content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    grouped = Counter(_statement(q["sql"]) for q in captured.captured_queries)
    times: Counter[str] = Counter()
    for q in captured.captured_queries:
        times[_statement(q["sql"])] += float(q["time"])
    lines = [f"{count:>3} x {what:<42} {times[what] * 1000:6.2f} ms (wall, as logged)"
             for what, count in grouped.most_common()]
    return len(captured.captured_queries), lines


def profile_submissions(bodies: list[bytes], token: str, count: int) -> str:
    import cProfile
    import io
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def run() -> None:
        for n in range(count):
            client.post("/api/v1/dossiers/", bodies[n % len(bodies)],
                        content_type="application/json", **headers)

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(run)
    elapsed = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"tinhso|django/db/models/query\.py", 25)
    stats.sort_stats("tottime").print_stats(20)  # where the time is spent, whatever the caller
    return (f"{count} in-process submissions (one at a time, under cProfile): "
            f"{elapsed / count * 1000:.1f} ms each\n" + out.getvalue())


def in_process_cost(bodies: list[bytes], token: str, count: int = 100) -> tuple[float, float]:
    """Median wall time of one submission and of /healthz, in this process, one at a time."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def timed(call: Callable[[int], object]) -> float:
        times = []
        for n in range(count):
            start = time.perf_counter()
            call(n)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    submit = timed(lambda n: client.post("/api/v1/dossiers/", bodies[n % len(bodies)],
                                         content_type="application/json", **headers))
    health = timed(lambda n: client.get("/healthz"))
    return submit, health
