"""Which task workers are alive, and what becomes of the tasks of a dead one.

Each ``tinhso worker`` process writes its heartbeat (:class:`~tinhso.ops.models.WorkerBeat`)
every few seconds (:func:`beat`), from its loop while idle and from a small thread while a task
runs. A worker killed outright (``kill -9``, out of memory, the machine rebooted) stops beating;
the task it was running stays ``RUNNING`` in django-tasks-db's table, which no worker takes
again by itself. So every worker, every few seconds, puts back in the queue (:func:`reap`) each
task that has been ``RUNNING`` for longer than ``TINHSO_WORKER_DEAD_SECONDS`` for a worker (the
last id of its ``worker_ids``) with no heartbeat within that time. A task claimed by plain
``db_worker`` (which never beats) or by no id at all is therefore taken for dead after that
time: run ``tinhso worker`` only. The task then runs again from the start, on any worker: its
transactions were rolled back with the killed process, what it did outside the database (an
e-mail sent) may be done twice (at-least-once).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tinhso.ops.models import WorkerBeat

logger = logging.getLogger("tinhso.worker")

# The heartbeats of workers not seen for this long are removed (their tasks were put back long
# before).
FORGET_AFTER = timedelta(days=7)


def dead_seconds() -> float:
    """How long a worker may go without a heartbeat before it is taken for dead."""
    return float(getattr(settings, "TINHSO_WORKER_DEAD_SECONDS", 60))


def beat_seconds() -> float:
    """How often a worker beats and looks for dead workers' tasks: a quarter of the dead time
    (at most 5 s), so several beats are missed before a live worker could look dead."""
    return max(0.05, min(5.0, dead_seconds() / 4))


def beat(worker_id: str, started_at: datetime, now: datetime | None = None) -> None:
    """Record that this worker process is alive."""
    now = now or timezone.now()
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now,
                                                                 pid=os.getpid()):
        WorkerBeat.objects.create(worker_id=worker_id, hostname=socket.gethostname()[:255],
                                  pid=os.getpid(), started_at=started_at, seen_at=now)


def alive_ids(now: datetime) -> set[str]:
    cutoff = now - timedelta(seconds=dead_seconds())
    return set(WorkerBeat.objects.filter(seen_at__gte=cutoff)
               .values_list("worker_id", flat=True))


@dataclass(frozen=True)
class Orphan:
    id: str
    task_path: str
    worker_id: str  # "" when no worker id was recorded


def orphans(rows: list[DBTaskResult], alive: set[str]) -> list[Orphan]:
    found = []
    for row in rows:
        last = row.worker_ids[-1] if row.worker_ids else ""
        if last not in alive:
            found.append(Orphan(str(row.id), row.task_path, str(last)))
    return found


def reap(now: datetime | None = None) -> list[Orphan]:
    """Put back in the queue the tasks running, for longer than the dead time, on workers with
    no heartbeat within it; returns them. The rows are locked (``skip_locked``: a worker
    reaping at the same time skips them, and finds them ready afterwards) and updated only while
    still running and started before the cut-off (never a fresh claim), in one transaction:
    each is put back once. Their ``run_after`` and their history of workers are kept. Also
    removes the heartbeats of workers gone for ``FORGET_AFTER``."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=dead_seconds())
    with transaction.atomic():
        alive = alive_ids(now)
        stale = (DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                             started_at__lt=cutoff)
                 .select_for_update(skip_locked=True)
                 .only("id", "task_path", "worker_ids"))
        dead = orphans(list(stale), alive)
        if dead:
            (DBTaskResult.objects
             .filter(pk__in=[o.id for o in dead], status=TaskResultStatus.RUNNING,
                     started_at__lt=cutoff)
             .update(status=TaskResultStatus.READY, started_at=None))
    for orphan in dead:
        logger.warning("Task %s (%s) was running on worker %s, not seen for %.0f s: "
                       "back in the queue", orphan.id, orphan.task_path,
                       orphan.worker_id or "(none)", dead_seconds())
    WorkerBeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return dead
