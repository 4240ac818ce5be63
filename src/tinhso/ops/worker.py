"""The task worker that outlives the database: django-tasks-db's own worker loop, restarted after
a lost connection (PostgreSQL restarted, the network cut, the server down at start) once the
database answers again, with a capped exponential back-off, each wait logged.

What the library does with a task when the connection breaks, and what is done here:

- while it fetches and claims a task: the claim is in a transaction, which rolls back, so the
  task is still waiting and is taken again afterwards (by this worker or another);
- while the task runs: its outcome cannot be recorded (``set_successful``/``set_failed`` fail
  too), the library's loop raises, and the row stays ``RUNNING`` with nobody to finish it.
  Here the worker remembers the task it was running and, once reconnected, settles it:
  finished, it is recorded as successful (never run again); cut by the database error, it is
  put back in the queue and runs again from the start (its transactions rolled back); failed
  for another reason, it is recorded as failed, as the library would have;
- a claim whose commit was acknowledged to nobody (the connection broke during the commit) is
  found among the running rows that bear this worker's id, and is put back in the queue.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from traceback import format_exception
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("tinhso.worker")

# A lost or refused connection: worth waiting for. Anything else (a missing table) is a fault.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


@dataclass
class InFlight:
    """The task being run and how far it got (known to this process only)."""

    result: DBTaskResult
    finished: bool = False
    return_value: Any = None
    error: BaseException | None = None


def backoff(attempt: int, cap: float) -> float:
    """Seconds to wait before the ``attempt``-th try (1, 2, 4... up to ``cap``)."""
    return float(min(cap, 2 ** min(attempt, 30)))


class ResilientWorker(Worker):
    def __init__(self, *, backoff_max: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backoff_max = backoff_max
        self.in_flight: InFlight | None = None
        self.outages = 0

    def run(self) -> None:
        """The library's loop, again and again after each lost connection, until it ends by
        itself (``--batch``, ``--max-tasks``) or a signal stops the process."""
        pending_recovery = False
        while True:
            try:
                if pending_recovery:
                    self.recover()
                    pending_recovery = False
                super().run()
                return
            except CONNECTION_ERRORS as exc:
                self.outages += 1
                self.wait_for_database(exc)
                if not self.running:  # asked to stop during the cut task: settle it, stop
                    self.recover()
                    return
                pending_recovery = True
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        flight = InFlight(db_task_result)
        record_success, record_failure = db_task_result.set_successful, db_task_result.set_failed

        def set_successful(return_value: Any) -> None:
            flight.finished, flight.return_value = True, return_value
            record_success(return_value)

        def set_failed(exc: BaseException) -> None:
            if not flight.finished and flight.error is None:
                flight.error = exc
            record_failure(exc)

        db_task_result.set_successful = set_successful  # type: ignore[method-assign]
        db_task_result.set_failed = set_failed  # type: ignore[method-assign]
        self.in_flight = flight
        super().run_task(db_task_result)
        self.in_flight = None

    def wait_for_database(self, exc: BaseException) -> None:
        """Close the broken connections and try again, waiting 1, 2, 4... seconds (at most
        ``backoff_max``), until the database answers."""
        started = time.monotonic()
        attempt = 0
        while True:
            close_connections()
            delay = backoff(attempt, self.backoff_max)
            logger.warning("Database unavailable (%s: %s); worker %s tries again in %.0f s",
                           exc.__class__.__name__, str(exc).strip(), self.worker_id, delay)
            time.sleep(delay)
            attempt += 1
            try:
                with connections[DBTaskResult.objects.db].cursor() as cursor:
                    cursor.execute("SELECT 1")
            except CONNECTION_ERRORS as again:
                exc = again
                continue
            logger.warning("Database back after %.1f s; worker %s resumes",
                           time.monotonic() - started, self.worker_id)
            return

    def recover(self) -> None:
        """Settle the task cut by the outage, and put back the claims this worker made that
        no run followed."""
        flight, self.in_flight = self.in_flight, None
        if flight is not None:
            settle(flight)
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                              backend_name=self.backend_name)
        for row in running.only("id", "task_path", "worker_ids"):
            if row.worker_ids and row.worker_ids[-1] == self.worker_id:
                requeue(row, reason="claimed before the outage, never run")


def settle(flight: InFlight) -> None:
    row = flight.result
    if flight.finished:
        fields: dict[str, Any] = {
            "status": TaskResultStatus.SUCCESSFUL, "finished_at": timezone.now(),
            "return_value": flight.return_value, "exception_class_path": "", "traceback": ""}
        logger.warning("Task %s (%s) finished before the outage: recorded as successful",
                       row.id, row.task_path)
    elif flight.error is None or isinstance(flight.error, CONNECTION_ERRORS):
        requeue(row, reason="cut by the outage")
        return
    else:
        exc = flight.error
        fields = {"status": TaskResultStatus.FAILED, "finished_at": timezone.now(),
                  "return_value": None,
                  "exception_class_path": f"{type(exc).__module__}.{type(exc).__qualname__}",
                  "traceback": "".join(format_exception(exc))}
        logger.warning("Task %s (%s) failed before the outage: recorded as failed",
                       row.id, row.task_path)
    DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(**fields)


def requeue(row: DBTaskResult, *, reason: str) -> None:
    updated = (DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING)
               .update(status=TaskResultStatus.READY, started_at=None))
    if updated:
        logger.warning("Task %s (%s) %s: back in the queue", row.id, row.task_path, reason)


def close_connections() -> None:
    """Forget every connection of this thread; a broken one may fail to close."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # already broken: drop it
            connection.connection = None
