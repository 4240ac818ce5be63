"""Queueing background tasks with the transaction that asks for them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone


def enqueue_with_transaction(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` so that it runs only if the current transaction commits.

    With the database backend (the default) the task's row is written inside the transaction:
    it commits or rolls back with the data it is about (a transactional outbox: nothing is lost
    between the commit and the queueing), the worker cannot see it before the commit, and no
    second commit is needed. Any other backend (the tests' immediate one, a broker) is given the
    task after the commit."""
    from django_tasks_db import DatabaseBackend

    if (transaction.get_connection().in_atomic_block
            and isinstance(task.get_backend(), DatabaseBackend)):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def deferred(task: Any, seconds: float, now: datetime | None = None) -> Any:
    """``task`` set to run ``seconds`` from now when its backend can defer (the database queue);
    as it is otherwise (the immediate backend of the tests runs it at once). The changes made
    meanwhile are then handled together, by one run."""
    if seconds > 0 and task.get_backend().supports_defer:
        return task.using(run_after=(now or timezone.now()) + timedelta(seconds=seconds))
    return task
