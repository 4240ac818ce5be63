"""Reads of the operations app: how many task workers are alive, and what dead ones left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tinhso.ops.liveness import alive_ids, dead_seconds, orphans


@dataclass(frozen=True)
class Liveness:
    alive: int  # workers with a heartbeat within the dead time
    running_on_dead: int  # tasks running, past the dead time, for a worker not alive
    dead_seconds: float


def worker_liveness(now: datetime) -> Liveness:
    """What ``/healthz/worker`` says of the workers (the tasks counted as running on dead
    workers are those the next reap puts back in the queue)."""
    alive = alive_ids(now)
    cutoff = now - timedelta(seconds=dead_seconds())
    rows = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                            started_at__lt=cutoff)
                .only("id", "task_path", "worker_ids"))
    return Liveness(alive=len(alive), running_on_dead=len(orphans(rows, alive)),
                    dead_seconds=dead_seconds())
