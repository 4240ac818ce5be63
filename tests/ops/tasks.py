"""Tasks the worker tests run: each writes what it did to a file, outside the database, so the
test counts how many times a task started and finished, whatever became of the database."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult


def note(log: str, word: str) -> None:
    with Path(log).open("a") as fh:
        fh.write(word + "\n")


def words(log: str) -> list[str]:
    path = Path(log)
    return path.read_text().split() if path.exists() else []


@task()
def record(log: str) -> str:
    note(log, "done")
    return "recorded"


@task()
def fails_with_the_database_once(log: str) -> str:
    """Cut by the database on its first run (as a query would be when PostgreSQL restarts)."""
    note(log, "started")
    if words(log).count("started") == 1:
        raise OperationalError("server closed the connection unexpectedly")
    note(log, "done")
    return "recorded"


@task()
def gated(log: str, gate: str, query_after_gate: bool) -> str:
    """Starts, waits (at most 60 s) until the test opens the gate, then either reads the
    database and finishes (cut if the connection broke meanwhile) or finishes at once (its
    outcome then cannot be recorded on the broken connection)."""
    note(log, "started")
    deadline = time.monotonic() + 60
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if query_after_gate:
        DBTaskResult.objects.count()
    note(log, "done")
    return "recorded"


@task()
def sleeps(log: str, seconds: float) -> str:
    """Starts, sleeps, finishes: a task longer than a worker's heartbeat period."""
    note(log, "started")
    time.sleep(seconds)
    note(log, "done")
    return "recorded"
