"""``/healthz/worker`` (tinhso.ops.views): 503 when queued tasks wait too long or no worker is
alive; the workers alive and the tasks dead ones left running."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops.tasks import record
from tinhso.ops.models import WorkerBeat

pytestmark = pytest.mark.django_db


# --- /healthz/worker: queued tasks nobody takes ------------------------------------------------

def _worker_seen(worker_id: str, *, seconds_ago: float) -> None:
    then = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(worker_id=worker_id, hostname="h", pid=1, started_at=then,
                              seen_at=then)


def _queued(settings, *, age_seconds: float, queue: str = "default", deferred: bool = False):
    """A task waiting in the database queue since ``age_seconds`` ago (deferred: due then)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "reports"]}}
    task = record.using(queue_name=queue)
    then = timezone.now() - timedelta(seconds=age_seconds)
    if deferred:
        result = task.using(run_after=then).enqueue("unused.log")
        DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=then - timedelta(days=1))
    else:
        result = task.enqueue("unused.log")
        DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=then)
    return result


def test_worker_health_is_200_with_an_empty_queue(client):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["queues"] == []


def test_worker_health_is_200_while_queued_tasks_are_fresh(client, settings):
    settings.TINHSO_WORKER_LATE_SECONDS = 300
    _worker_seen("w1", seconds_ago=3)
    _queued(settings, age_seconds=20)
    _queued(settings, age_seconds=100, deferred=True)  # enqueued a day ago, due 100 s ago
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    [queue] = response.json()["queues"]
    assert queue["queue"] == "default" and queue["waiting"] == 2
    assert 100 <= queue["oldest_seconds"] < 110


def test_worker_health_is_503_naming_the_queue_with_an_old_task(client, settings):
    settings.TINHSO_WORKER_LATE_SECONDS = 300
    _worker_seen("w1", seconds_ago=3)  # alive, but not keeping up
    _queued(settings, age_seconds=10)
    _queued(settings, age_seconds=900, queue="reports")
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "late"
    [late] = body["late"]
    assert (late["queue"], late["waiting"]) == ("reports", 1)
    assert 900 <= late["oldest_seconds"] < 910
    assert {q["queue"] for q in body["queues"]} == {"default", "reports"}


def test_worker_health_ignores_tasks_deferred_to_the_future_and_finished_ones(client, settings):
    settings.TINHSO_WORKER_LATE_SECONDS = 300
    future = _queued(settings, age_seconds=-600, deferred=True)  # due in ten minutes
    done = _queued(settings, age_seconds=3600)
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.SUCCESSFUL)
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json()["queues"] == []
    assert DBTaskResult.objects.filter(pk=future.id).exists()


# --- /healthz/worker: the workers alive, and what dead ones left running -----------------------

def test_worker_health_is_503_when_tasks_wait_and_no_worker_is_alive(client, settings):
    settings.TINHSO_WORKER_DEAD_SECONDS = 60
    _worker_seen("killed", seconds_ago=120)
    _queued(settings, age_seconds=5)  # fresh: not late, but nobody will take it
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["workers_alive"]) == ("no_worker", 0)


def test_worker_health_counts_the_workers_alive_and_the_tasks_dead_ones_left_running(
        client, settings):
    settings.TINHSO_WORKER_DEAD_SECONDS = 60
    _worker_seen("alive-1", seconds_ago=2)
    _worker_seen("alive-2", seconds_ago=50)
    _worker_seen("killed", seconds_ago=90)
    long_ago = timezone.now() - timedelta(minutes=10)
    for worker in ("alive-1", "killed", "killed"):
        result = _queued(settings, age_seconds=700)
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, worker_ids=[worker], started_at=long_ago)
    _queued(settings, age_seconds=5)
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    body = response.json()
    assert (body["workers_alive"], body["running"], body["running_on_dead_workers"]) == (2, 3, 2)
    assert body["dead_seconds"] == 60


def test_worker_health_is_200_with_no_worker_and_nothing_to_do(client, settings):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json()["workers_alive"] == 0
