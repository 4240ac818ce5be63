"""The task worker outlives database outages (issue 13, item 3): it waits and reconnects instead
of exiting, and every task still runs to completion exactly once. The outages here are
simulated inside the process (the library's fetch or the recording of a result raising
OperationalError); tests/ops/test_worker_postgres.py restarts a real PostgreSQL under it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from tests.ops.tasks import fails_with_the_database_once, record, words
from tinhso.ops.worker import ResilientWorker, backoff

WITH_DATABASE = pytest.mark.django_db(transaction=True)

OPTIONS: dict[str, Any] = {
    "queue_names": ["default"], "excluded_queue_names": [], "interval": 0, "batch": False,
    "backend_name": "default", "startup_delay": False, "worker_id": "test-worker"}


@pytest.fixture
def database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def log(tmp_path: Path, database_backend: None) -> str:
    return str(tmp_path / "runs.log")


def fetch_failing(times: int) -> Iterator[Any]:
    """Patch the library's fetch of the next task to raise ``times`` times, then work."""
    original = DBTaskResultQuerySet.get_locked
    calls = {"n": 0}

    def get_locked(self: DBTaskResultQuerySet) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return original(self)

    return mock.patch.object(DBTaskResultQuerySet, "get_locked", get_locked)  # type: ignore[return-value]


def recording_failing(times: int) -> Any:
    """Patch the saving of a task's outcome (success or failure) to raise ``times`` times: the
    database gone between the task's work and its record."""
    original = DBTaskResult.save
    calls = {"n": 0}

    def save(self: DBTaskResult, *args: Any, **kwargs: Any) -> None:
        if "traceback" in (kwargs.get("update_fields") or ()):
            calls["n"] += 1
            if calls["n"] <= times:
                raise OperationalError("server closed the connection unexpectedly")
        original(self, *args, **kwargs)

    return mock.patch.object(DBTaskResult, "save", save)


@WITH_DATABASE
def test_the_librarys_worker_dies_on_an_operational_error(log: str) -> None:
    """The defect as found: db_worker exits, the task waits for nobody."""
    record.enqueue(log)
    with fetch_failing(1), pytest.raises(OperationalError):
        Worker(max_tasks=1, **OPTIONS).run()
    assert words(log) == []


@WITH_DATABASE
def test_the_worker_waits_through_errors_in_its_loop_then_runs_the_task_once(
        log: str, caplog: Any) -> None:
    result = record.enqueue(log)
    worker = ResilientWorker(backoff_max=0.01, max_tasks=1, **OPTIONS)
    with fetch_failing(3), caplog.at_level(logging.WARNING, logger="tinhso.worker"):
        worker.run()
    assert words(log) == ["done"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "recorded"
    assert worker.outages == 3
    assert "Database unavailable" in caplog.text and "Database back" in caplog.text


@WITH_DATABASE
def test_a_task_that_finished_before_the_outage_is_recorded_and_not_run_again(log: str) -> None:
    result = record.enqueue(log)
    worker = ResilientWorker(backoff_max=0.01, max_tasks=1, **OPTIONS)
    # set_successful tries three times, then the library's set_failed three times: all fail
    with recording_failing(6):
        worker.run()
    assert words(log) == ["done"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "recorded")
    assert not DBTaskResult.objects.ready().exists()


@WITH_DATABASE
def test_a_task_cut_by_the_outage_runs_again_and_finishes_once(log: str) -> None:
    result = fails_with_the_database_once.enqueue(log)
    worker = ResilientWorker(backoff_max=0.01, max_tasks=2, **OPTIONS)
    with recording_failing(3):  # the failure of the cut run cannot be recorded either
        worker.run()
    assert words(log) == ["started", "started", "done"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "recorded")
    assert row.worker_ids == ["test-worker", "test-worker"]


@WITH_DATABASE
def test_a_claim_left_running_by_this_worker_goes_back_to_the_queue(log: str) -> None:
    """The commit of a claim reached the database but its answer was lost: the row says
    RUNNING for a worker that never ran it; after reconnecting, the worker takes it again."""
    result = record.enqueue(log)
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING,
                                                     worker_ids=["test-worker"])
    other = record.enqueue(log)
    DBTaskResult.objects.filter(pk=other.id).update(status=TaskResultStatus.RUNNING,
                                                    worker_ids=["another-worker"])
    worker = ResilientWorker(backoff_max=0.01, max_tasks=1, **OPTIONS)
    with fetch_failing(1):
        worker.run()
    assert words(log) == ["done"]
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=other.id).status == TaskResultStatus.RUNNING


def test_the_back_off_doubles_up_to_its_cap() -> None:
    assert [backoff(n, 30) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
