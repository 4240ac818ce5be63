"""Sending the waiting updates to the national portal, in order per dossier.

After an action commits, :func:`wake` makes sure one ``send_updates`` task waits (it waits
``TINHSO_PORTAL_DELAY_SECONDS``, so the updates written meanwhile go in the same run). A run
(:func:`send`) takes the dossiers with waiting updates, oldest first, in batches of
``BATCH_DOSSIERS`` (one ``batch()`` of the connector each), and sends each dossier's waiting
updates in the order of its events, in a transaction of its own with those rows locked: a
second worker skips a dossier being sent (the order holds), and what the portal acknowledged
is recorded as soon as the dossier's turn ends (a worker killed mid-dossier sends again what
was not recorded: the portal deduplicates by the update's id). A failure stops the dossier's
turn (its later events wait behind it, never overtaking it), counts an attempt, keeps the error
and sets the next attempt after a back-off (``rules.retry_delay``, capped at
``TINHSO_PORTAL_RETRY_MAX_SECONDS``); when the queue can defer, the run queues a retry for
then (``retry_updates``, apart from the runs actions wake, which it never holds back).
Nothing is given up: ``tinhso portalsync send`` tries every waiting update at once. After
each batch, the Decision 766 counts of the agencies and years it touched are published
(``counts.publish``)."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from tinhso.core.tasks import deferred
from tinhso.portalsync import rules
from tinhso.portalsync.connectors import Connector, Update, enabled, update_id
from tinhso.portalsync.counts import publish
from tinhso.portalsync.models import EventSync

logger = logging.getLogger(__name__)

BATCH_DOSSIERS = 100


def _seconds(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def waiting() -> QuerySet[EventSync]:
    return EventSync.objects.filter(acknowledged_at__isnull=True)


def wake() -> None:
    """Make sure a run will send this (committed) update: a ``send_updates`` task not yet
    started will read it, so a second one is queued only when none waits (a running one may
    have read its batch before this commit: it no longer waits, so a new one is queued). Off
    (no connector): nothing to wake."""
    # local: the database queue's own model, only when that queue is the backend
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult  # local: as above

    if enabled() is None:
        return
    backend = send_updates.get_backend()
    if isinstance(backend, DatabaseBackend) and DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias,
            task_path=send_updates.module_path).exists():
        return
    deferred(send_updates, _seconds("TINHSO_PORTAL_DELAY_SECONDS", 1)).enqueue()


@task()
def send_updates() -> int:
    """The run an action wakes."""
    return _run()


@task()
def retry_updates() -> int:
    """The run queued for the end of a back-off: a task of its own, so that waiting for it
    never holds back the run a new event wakes."""
    return _run()


def _run() -> int:
    sent = send()
    _queue_retry()
    return sent


def _queue_retry() -> None:
    """When updates wait for a back-off and the queue can defer, a run at the earliest end
    (unless one is queued by then already)."""
    # local: the database queue's own model, only when that queue is the backend
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult  # local: as above

    backend = retry_updates.get_backend()
    if not backend.supports_defer or enabled() is None:
        return
    first = waiting().filter(next_attempt_at__isnull=False).aggregate(
        first=Min("next_attempt_at"))["first"]
    if first is None:
        return
    if isinstance(backend, DatabaseBackend) and DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias,
            task_path=retry_updates.module_path, run_after__lte=first).exists():
        return
    retry_updates.using(run_after=max(first, timezone.now())).enqueue()


def send(*, force: bool = False, now: datetime | None = None) -> int:
    """Send the waiting updates (those whose back-off has passed, or all of them with
    ``force``); returns how many the portal acknowledged. 0 when synchronisation is off."""
    connector = enabled()
    if connector is None:
        return 0
    moment = now or timezone.now()
    sent = 0
    passed: set[int] = set()  # failed this run, or being sent by another worker
    ceiling = EventSync.objects.aggregate(last=Max("pk"))["last"]
    while ceiling is not None:
        due = waiting().filter(pk__lte=ceiling).exclude(dossier_id__in=passed)
        if not force:
            due = due.filter(Q(next_attempt_at__isnull=True)
                             | Q(next_attempt_at__lte=moment))
        dossiers = list(due.values("dossier_id").annotate(first=Min("pk"))
                        .order_by("first").values_list("dossier_id", flat=True)
                        [:BATCH_DOSSIERS])
        if not dossiers:
            break
        touched: set[tuple[int, int]] = set()
        with ExitStack() as stack:
            opener = getattr(connector, "batch", None)
            if opener is not None:
                stack.enter_context(opener())
            for dossier_id in dossiers:
                done, pair = _send_dossier(connector, dossier_id, ceiling,
                                           None if force else moment)
                sent += done
                if pair is not None:
                    touched.add(pair)
                passed.add(dossier_id)
        _publish(touched)
    return sent


def _publish(touched: set[tuple[int, int]]) -> None:
    by_year: dict[int, set[int]] = {}
    for unit_id, year in touched:
        by_year.setdefault(year, set()).add(unit_id)
    for year, unit_ids in by_year.items():
        publish(unit_ids, year)


def _send_dossier(connector: Connector, dossier_id: int, ceiling: int, due: datetime | None
                  ) -> tuple[int, tuple[int, int] | None]:
    """One dossier's waiting updates, in order, until the first failure; returns how many were
    acknowledged and the dossier's (agency, year), or None when another worker holds it or its
    first update still waits for its back-off at ``due`` (None: send whatever the back-off)."""
    with transaction.atomic():
        rows = list(waiting().filter(dossier_id=dossier_id, pk__lte=ceiling)
                    .select_for_update(skip_locked=True).order_by("event_id"))
        everything = set(waiting().filter(dossier_id=dossier_id, pk__lte=ceiling)
                         .values_list("pk", flat=True))
        if not rows or {r.pk for r in rows} != everything:
            return 0, None  # being sent by another worker: the order is its to keep
        first = rows[0].next_attempt_at
        if due is not None and first is not None and first > due:
            return 0, None
        sent = 0
        for row in rows:
            if not _send_one(connector, row):
                break
            sent += 1
        EventSync.objects.bulk_update(rows, ["acknowledged_at", "attempts", "next_attempt_at",
                                             "error"])
        return sent, (rows[0].unit_id, rows[0].year)


def _send_one(connector: Connector, row: EventSync) -> bool:
    update = Update(id=update_id(row.event_id), dossier=str(row.payload.get("dossier", "")),
                    payload=row.payload)
    try:
        connector.send(update)
    except Exception as exc:  # any failure: the update waits, with its error
        now = timezone.now()
        row.attempts += 1
        row.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        cap = timedelta(seconds=_seconds("TINHSO_PORTAL_RETRY_MAX_SECONDS", 900))
        row.next_attempt_at = now + rules.retry_delay(row.attempts, cap)
        logger.warning("update %s of dossier %s not acknowledged: %s", update.id,
                       update.dossier, row.error)
        return False
    row.acknowledged_at, row.error, row.next_attempt_at = timezone.now(), "", None
    return True
