"""A worker killed outright (kill -9, out of memory, a reboot) leaves its task RUNNING; the
other workers, seeing its heartbeat stop, put that task back in the queue, and it runs once
more, to completion (issue 13, item 3). A task on a live worker is never touched."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops.tasks import record, sleeps, words
from tinhso.ops import liveness
from tinhso.ops.liveness import reap
from tinhso.ops.models import WorkerBeat
from tinhso.ops.worker import ResilientWorker

WITH_DATABASE = pytest.mark.django_db(transaction=True)

OPTIONS: dict[str, Any] = {
    "queue_names": ["default"], "excluded_queue_names": [], "interval": 0, "batch": True,
    "backend_name": "default", "startup_delay": False, "worker_id": "test-worker",
    "max_tasks": None, "backoff_max": 0.01}


@pytest.fixture
def log(tmp_path: Path, settings: Any) -> str:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TINHSO_WORKER_DEAD_SECONDS = 60
    return str(tmp_path / "runs.log")


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL only (DATABASE_URL=postgres://...)")


def seen(worker_id: str, seconds_ago: float) -> None:
    """A worker whose last heartbeat was ``seconds_ago``."""
    then = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "hostname": "elsewhere", "pid": 4242, "started_at": then - timedelta(hours=1),
        "seen_at": then})


def running(log: str, worker_ids: list[str], seconds_ago: float = 600) -> str:
    """A task claimed ``seconds_ago`` by the last of ``worker_ids``, still RUNNING."""
    result = record.enqueue(log)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids,
        started_at=timezone.now() - timedelta(seconds=seconds_ago))
    return str(result.id)


def status(task_id: str) -> str:
    return str(DBTaskResult.objects.get(pk=task_id).status)


@WITH_DATABASE
def test_a_task_left_running_by_a_dead_worker_runs_again_exactly_once(
        log: str, caplog: Any) -> None:
    seen("killed-worker", seconds_ago=300)
    task_id = running(log, ["killed-worker"])
    with caplog.at_level(logging.WARNING, logger="tinhso.worker"):
        ResilientWorker(**OPTIONS).run()
        ResilientWorker(**{**OPTIONS, "worker_id": "second-worker"}).run()
    assert words(log) == ["done"]
    row = DBTaskResult.objects.get(pk=task_id)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, "recorded")
    assert row.worker_ids == ["killed-worker", "test-worker"]
    assert f"Task {task_id}" in caplog.text and "killed-worker" in caplog.text
    assert "back in the queue" in caplog.text


@WITH_DATABASE
def test_a_task_on_a_live_worker_is_left_alone(log: str) -> None:
    seen("busy-worker", seconds_ago=2)
    task_id = running(log, ["busy-worker"])
    ResilientWorker(**OPTIONS).run()
    assert words(log) == []
    assert status(task_id) == TaskResultStatus.RUNNING


@WITH_DATABASE
def test_a_task_claimed_within_the_dead_time_is_left_alone_even_without_a_heartbeat(
        log: str) -> None:
    """A worker that has just claimed a task (its first beat not yet seen) keeps it."""
    task_id = running(log, ["new-worker"], seconds_ago=5)
    ResilientWorker(**OPTIONS).run()
    assert status(task_id) == TaskResultStatus.RUNNING


@WITH_DATABASE
def test_a_task_running_for_nobody_or_for_a_worker_that_never_beat_goes_back_after_the_dead_time(
        log: str) -> None:
    """Plain db_worker never beats; a row with no worker id has nobody to finish it."""
    anonymous = running(log, [])
    db_worker = running(log, ["db-worker-id"])
    assert {o.id for o in reap()} == {anonymous, db_worker}
    assert status(anonymous) == status(db_worker) == TaskResultStatus.READY
    row = DBTaskResult.objects.get(pk=db_worker)
    assert (row.started_at, row.worker_ids) == (None, ["db-worker-id"])
    assert reap() == []  # put back once


@WITH_DATABASE
def test_a_deferred_task_keeps_its_run_after_when_put_back(log: str) -> None:
    later = timezone.now() + timedelta(hours=1)
    result = record.using(run_after=later).enqueue(log)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["gone"],
        started_at=timezone.now() - timedelta(hours=2))
    reap()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.run_after) == (TaskResultStatus.READY, later)


@WITH_DATABASE
def test_the_worker_records_its_heartbeat_and_forgets_workers_long_gone(log: str) -> None:
    seen("gone-long-ago", seconds_ago=8 * 24 * 3600)
    seen("gone-yesterday", seconds_ago=24 * 3600)
    before = timezone.now()
    ResilientWorker(**OPTIONS).run()
    beat = WorkerBeat.objects.get(worker_id="test-worker")
    assert beat.pid == os.getpid() and beat.seen_at >= before and beat.hostname
    assert set(WorkerBeat.objects.values_list("worker_id", flat=True)) == {
        "test-worker", "gone-yesterday"}


@WITH_DATABASE
def test_the_dead_time_is_the_setting(log: str, settings: Any) -> None:
    seen("slow-worker", seconds_ago=30)
    task_id = running(log, ["slow-worker"])
    assert reap() == []
    settings.TINHSO_WORKER_DEAD_SECONDS = 20
    assert [o.id for o in reap()] == [task_id]


@WITH_DATABASE
def test_two_workers_reaping_at_once_put_the_task_back_once(log: str, postgresql: None) -> None:
    """The first reaper holds the rows locked until it commits; the second, meanwhile, skips
    them (and afterwards finds them ready, no longer running)."""
    task_id = running(log, ["killed-worker"])
    first_locked, second_done = threading.Event(), threading.Event()
    found: dict[str, list[str]] = {}
    find = liveness.orphans

    def holding(rows: list[DBTaskResult], alive: set[str]) -> list[liveness.Orphan]:
        if threading.current_thread().name == "first":
            first_locked.set()
            second_done.wait(10)
        return find(rows, alive)

    def reaper(name: str) -> None:
        try:
            found[name] = [o.id for o in reap()]
        finally:
            connections.close_all()
            if name == "second":
                second_done.set()

    with mock.patch.object(liveness, "orphans", holding):
        first = threading.Thread(target=reaper, args=("first",), name="first")
        first.start()
        assert first_locked.wait(10)
        second = threading.Thread(target=reaper, args=("second",), name="second")
        second.start()
        second.join(10)
        first.join(10)
    assert found == {"first": [task_id], "second": []}
    assert status(task_id) == TaskResultStatus.READY


@WITH_DATABASE
def test_a_long_task_keeps_its_worker_alive(log: str, settings: Any, postgresql: None) -> None:
    """While a task runs longer than the dead time, its worker still beats: another worker
    reaping meanwhile leaves the task alone, and it runs once."""
    settings.TINHSO_WORKER_DEAD_SECONDS = 0.4
    result = sleeps.enqueue(log, 1.2)
    found: list[list[str]] = []

    def other_worker() -> None:
        while "started" not in words(log):
            threading.Event().wait(0.02)
        threading.Event().wait(0.8)  # twice the dead time into the task
        try:
            found.append([o.id for o in reap()])
        finally:
            connections.close_all()

    reaper = threading.Thread(target=other_worker)
    reaper.start()
    ResilientWorker(**OPTIONS).run()
    reaper.join(10)
    assert found == [[]]
    assert words(log) == ["started", "done"]
    assert status(str(result.id)) == TaskResultStatus.SUCCESSFUL


@WITH_DATABASE
def test_a_worker_restarted_with_the_same_id_runs_what_its_killed_predecessor_left(
        log: str) -> None:
    """Its own fresh heartbeat would otherwise keep the old task RUNNING for ever."""
    task_id = running(log, ["test-worker"], seconds_ago=600)
    ResilientWorker(**OPTIONS).run()
    assert words(log) == ["done"]
    assert status(task_id) == TaskResultStatus.SUCCESSFUL
