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

A worker killed outright (``kill -9``, out of memory, a reboot) settles nothing: its heartbeat
stops, and another worker puts its task back in the queue after ``TINHSO_WORKER_DEAD_SECONDS``
(``tinhso.ops.liveness``). Each worker beats and looks for such tasks every few seconds from
its loop (:meth:`ResilientWorker.tick`), and beats from a small thread, on its own connection,
while a task runs (:class:`Pulse`), so a long task never makes its worker look dead.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from traceback import format_exception
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tinhso.ops.liveness import beat, beat_seconds, reap

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
        self.started_at = timezone.now()
        self.next_tick = 0.0  # time.monotonic() of the next heartbeat and reap

    # The library's loop reads ``max_tasks`` once per iteration, idle or busy (after taking a
    # task, before its sleep), and nowhere else (not in its signal handler): the hook by which
    # the worker beats and reaps each iteration without copying the library's loop.
    @property  # type: ignore[override]
    def max_tasks(self) -> int | None:
        self.tick()
        return self._max_tasks

    @max_tasks.setter
    def max_tasks(self, value: int | None) -> None:
        self._max_tasks = value

    def tick(self) -> None:
        """At most every ``beat_seconds()``: record this worker's heartbeat, and put back in
        the queue the tasks of dead workers. A database error here is an outage like any
        other (:meth:`run` waits for the database)."""
        now = time.monotonic()
        if now < self.next_tick:
            return
        beat(self.worker_id, self.started_at)
        reap()
        self.next_tick = now + beat_seconds()

    def run(self) -> None:
        """The library's loop, again and again after each lost connection, until it ends by
        itself (``--batch``, ``--max-tasks``) or a signal stops the process. At the start, the
        tasks left running under this worker's id (a fixed ``--worker-id``, its previous
        process killed) go back to the queue: this id's heartbeat would keep them alive."""
        pending_recovery = True
        while True:
            try:
                if pending_recovery:
                    self.recover()
                    pending_recovery = False
                self.tick()  # alive before the first claim
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
        pulse = Pulse(self.worker_id, self.started_at)
        pulse.start()
        try:
            super().run_task(db_task_result)
        finally:
            pulse.stop()
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


class Pulse(threading.Thread):
    """The heartbeat while a task runs (the loop is busy): every ``beat_seconds()``, on this
    thread's own connection, closed after each beat (Django's connections are per thread; the
    task's are never touched). A beat that fails (the database down) is logged and tried
    again at the next; a task shorter than one period never beats from here."""

    def __init__(self, worker_id: str, started_at: Any) -> None:
        super().__init__(name=f"pulse-{worker_id}", daemon=True)
        self.worker_id, self.started_at = worker_id, started_at
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(beat_seconds()):
            try:
                beat(self.worker_id, self.started_at)
            except DatabaseError as exc:
                logger.warning("Worker %s could not record its heartbeat: %s",
                               self.worker_id, str(exc).strip())
            finally:
                close_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


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
