"""Telling applicants what happened to their dossier, and staff what needs them, through
pluggable connectors.

Services call :func:`notify` (an applicant, about a dossier) or :func:`notify_staff` (a member
of staff, about a ``topic`` such as a programme task) inside their transaction. It writes a
:class:`Notification` row, which commits or rolls back with the action it tells about (an
outbox: no message for a rolled-back action, none lost between the commit and the sending).
After the commit the task worker is woken (:func:`wake_delivery`: one ``deliver_notifications``
task waits at a time, however many messages are written meanwhile; it waits
``TINHSO_NOTIFY_DELAY_SECONDS`` for them) and sends the waiting messages in batches, each
batch through one connection per connector (one SMTP session for many e-mails), so a slow mail
server never holds up a request and a busy desk does not queue one task per message. Each
message is recorded as sent in its own short transaction right after it is sent, so a worker
killed mid-batch sends again at most the one message it was sending (at-least-once: none is
lost); every e-mail carries a ``Message-ID`` made from the notification's id and the
installation (:func:`message_id`), the same at each sending, so mail servers and clients can
recognise and drop a duplicate. A failed
delivery stays waiting and is tried again by the next delivery, at most
``Notification.MAX_ATTEMPTS`` times; ``tinhso dossiers notify`` delivers by hand (after an
outage of the worker).

A connector has a name and ``send(message)``, and may offer ``batch()``, a context manager
entered around each batch (e-mail opens its connection there). E-mail is built in; SMS or Zalo
connectors are registered the same way (:func:`register`) and switched on in
``settings.TINHSO_NOTIFY``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from tinhso.core.batch import save_new
from tinhso.core.tasks import deferred
from tinhso.procedures.models import Dossier, Notification

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass(frozen=True)
class Message:
    dossier_code: str  # "" for a message to staff
    email: str
    phone: str
    subject: str
    body: str
    topic: str = ""  # what a message to staff is about, e.g. programme.overdue:56.STC
    notification_id: int | None = None  # None: a message queued before the outbox existed


def message_id(notification_id: int) -> str:
    """The ``Message-ID`` of a notification's e-mail, the same each time it is sent:
    ``<notification-ID.INSTANCE@domain of DEFAULT_FROM_EMAIL>`` (``TINHSO_INSTANCE`` tells
    apart installations that send from one domain)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    instance = re.sub(r"[^A-Za-z0-9-]+", "-",
                      str(getattr(settings, "TINHSO_INSTANCE", ""))).strip("-") or "tinhso"
    return f"<notification-{notification_id}.{instance}@{domain}>"


class Connector(Protocol):
    name: str

    def send(self, message: Message) -> bool:
        """Send; False when the message has no address this connector can use."""
        ...


class EmailConnector:
    name = "email"

    def __init__(self) -> None:
        self._connection: Any = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One connection to the mail server for a whole batch."""
        connection = get_connection()
        connection.open()
        self._connection = connection
        try:
            yield
        finally:
            self._connection = None
            connection.close()

    def send(self, message: Message) -> bool:
        if not message.email:
            return False
        headers = ({"Message-ID": message_id(message.notification_id)}
                   if message.notification_id is not None else None)
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                     [message.email], connection=self._connection, headers=headers).send()
        return True


CONNECTORS: dict[str, Connector] = {}


def register(connector: Connector) -> None:
    CONNECTORS[connector.name] = connector


register(EmailConnector())


def enabled() -> list[Connector]:
    names = settings.TINHSO_NOTIFY
    return [CONNECTORS[name] for name in names if name in CONNECTORS]


# --- writing ---------------------------------------------------------------------------------


def notify(*, dossier: Dossier, subject: str, body: str) -> Notification:
    """Write a message to the applicant; it is sent once the current transaction commits."""
    notification = Notification(
        dossier=dossier, email=dossier.applicant_email or "", phone=dossier.applicant_phone or "",
        subject=subject[:255], body=body)
    save_new(notification)  # at once, or with the action's batch (core.batch)
    # robust: the action has committed whatever happens here; a message left waiting is sent
    # by the next delivery.
    transaction.on_commit(wake_delivery, robust=True)
    return notification


def notify_staff(*, email: str, subject: str, body: str, topic: str) -> Notification:
    """Write a message to a member of staff about ``topic`` (what it concerns, e.g.
    ``programme.overdue:56.STC``); like :func:`notify`, it is sent once the current
    transaction commits, through the same batches, retries and connectors."""
    if not topic:
        raise ValueError("a message to staff names its topic")
    notification = Notification.objects.create(
        email=email, subject=subject[:255], body=body, topic=topic[:100])
    transaction.on_commit(wake_delivery, robust=True)
    return notification


# backend alias -> the time before which a delivery task known to this process cannot start
_WAITING_UNTIL: dict[str, datetime] = {}
# how far the clocks of the web servers and the workers may disagree (NTP keeps them closer)
CLOCK_MARGIN = timedelta(milliseconds=250)


def wake_delivery() -> None:
    """Make sure a delivery will run after this (committed) message: with the database queue,
    a ``deliver_notifications`` task not yet started will read it, so a second one is queued
    only when none waits. (A task already running may have read its batch before this commit:
    it is no longer waiting, so a new one is queued.) A waiting task deferred until a time
    cannot start before it, so until then (less ``CLOCK_MARGIN``) this process knows it
    waits without asking the database: one query per process and delay, not per message.
    One whose time has come may start any moment: it will read this message, but perhaps not
    the next ones, so the next delivery is queued at once (rather than asking again for each
    message until a worker takes the first)."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = deliver_notifications.get_backend()
    now = timezone.now()
    if isinstance(backend, DatabaseBackend):
        if now < _WAITING_UNTIL.get(backend.alias, now):
            return
        latest = (DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias,
            task_path=deliver_notifications.module_path)
            .order_by("-run_after").values_list("run_after", flat=True).first())
        if latest is not None:
            if latest >= get_date_max():  # queued to run at once: may start any moment
                return
            if latest - CLOCK_MARGIN > now:  # deferred: cannot start before then
                _WAITING_UNTIL[backend.alias] = latest - CLOCK_MARGIN
                return
    delivery = deferred(deliver_notifications,
                        float(getattr(settings, "TINHSO_NOTIFY_DELAY_SECONDS", 0)), now)
    delivery.enqueue()
    if delivery.run_after is not None:
        _WAITING_UNTIL[backend.alias] = delivery.run_after - CLOCK_MARGIN


# --- delivering ------------------------------------------------------------------------------


@task()
def deliver_notifications() -> int:
    return deliver()


def forget_waiting() -> None:
    """Forget the delivery tasks this process knows to wait (the tests, between tests)."""
    _WAITING_UNTIL.clear()


def deliver() -> int:
    """Send the messages waiting when the run starts, oldest first, in batches of
    ``BATCH_SIZE`` (one connection per connector and batch); returns how many were delivered.
    Each message is locked (another worker skips it), sent and its outcome saved in a
    transaction of its own, so what was sent is recorded at once; a message that failed is not
    tried twice in one run. A message committed after the start has had its own wake-up (this
    run no longer waited), so a run ends even while messages keep coming, and the worker's
    other tasks get their turn."""
    connectors = enabled()
    delivered = 0
    passed: set[int] = set()  # failed, or being sent by another worker
    ceiling = Notification.objects.aggregate(last=Max("pk"))["last"]
    while ceiling is not None:
        ids = list(_waiting().filter(pk__lte=ceiling).exclude(pk__in=passed)
                   .order_by("created_at", "id").values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return delivered
        sent = _deliver_batch(ids, connectors)
        delivered += len(sent)
        passed.update(set(ids) - sent)
    return delivered


def _waiting() -> Any:
    return Notification.objects.filter(sent_at__isnull=True,
                                       attempts__lt=Notification.MAX_ATTEMPTS)


def _deliver_batch(ids: list[int], connectors: Sequence[Connector]) -> set[int]:
    """Open each connector's connection, deliver the messages one by one; returns those sent.
    A connection that cannot be opened leaves the batch waiting (one attempt counted)."""
    stack = ExitStack()
    try:
        for connector in connectors:
            opener = getattr(connector, "batch", None)
            if opener is not None:
                stack.enter_context(opener())
    except Exception as exc:  # opening a connection: the batch waits
        _close(stack)
        _fail_all(ids, f"{exc.__class__.__name__}: {exc}")
        return set()
    try:
        return {pk for pk in ids if _deliver_one(pk, connectors)}
    finally:
        _close(stack)


def _deliver_one(pk: int, connectors: Sequence[Connector]) -> bool:
    """Lock the message (another worker skips it), send it and record the outcome, in one
    short transaction of two statements (:func:`_statements`): a few hundred microseconds of
    the worker's time per message besides the sending itself."""
    lock, sent_sql, failed_sql = _statements()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(lock, [pk, Notification.MAX_ATTEMPTS])
        row = cursor.fetchone()
        if row is None:  # sent, or being sent by another worker
            return False
        notification = Notification(pk=row[0], email=row[1], phone=row[2], subject=row[3],
                                    body=row[4], topic=row[5], channels=row[6],
                                    attempts=row[7])
        now = timezone.now()
        _send_one(notification, row[8] or "", connectors, now)
        if notification.sent_at is not None:
            cursor.execute(sent_sql, [now, notification.channels, pk])
        else:
            cursor.execute(failed_sql, [notification.channels, notification.attempts,
                                        notification.error, pk])
    return notification.sent_at is not None


@functools.cache
def _statements() -> tuple[str, str, str]:
    """The message with its dossier's code, locked (skipped when another worker holds it);
    the outcome when sent; the outcome when not. Written once per process."""
    table, dossiers = Notification._meta.db_table, Dossier._meta.db_table
    lock = (f"SELECT n.id, n.email, n.phone, n.subject, n.body, n.topic, n.channels, "
            f"n.attempts, d.code FROM {table} n LEFT JOIN {dossiers} d ON d.id = n.dossier_id "
            f"WHERE n.id = %s AND n.sent_at IS NULL AND n.attempts < %s")
    if connection.features.has_select_for_update_skip_locked:
        lock += " FOR UPDATE OF n SKIP LOCKED"
    return (lock,
            f"UPDATE {table} SET sent_at = %s, channels = %s, error = '' WHERE id = %s",
            f"UPDATE {table} SET channels = %s, attempts = %s, error = %s WHERE id = %s")


def _close(stack: ExitStack) -> None:
    """Close the connections; what was sent is already recorded, so a failure is only logged."""
    try:
        stack.close()
    except Exception:
        logger.exception("closing a notification connector failed")


def _fail_all(ids: list[int], error: str) -> None:
    with transaction.atomic():
        batch = list(_waiting().filter(pk__in=ids)
                     .select_for_update(skip_locked=True).order_by("pk"))
        for notification in batch:
            _failed(notification, [error])
        Notification.objects.bulk_update(batch, ["attempts", "error"])


def _send_one(notification: Notification, dossier_code: str, connectors: Sequence[Connector],
              now: datetime) -> None:
    message = Message(dossier_code=dossier_code,
                      email=notification.email, phone=notification.phone,
                      subject=notification.subject, body=notification.body,
                      topic=notification.topic, notification_id=notification.pk)
    done = {name for name in notification.channels.split(",") if name}
    errors = []
    for connector in connectors:
        if connector.name in done:  # sent by an earlier attempt: not twice
            continue
        try:
            if connector.send(message):
                done.add(connector.name)
        except Exception as exc:  # one connector failing leaves the others' work done
            errors.append(f"{connector.name}: {exc.__class__.__name__}: {exc}")
    notification.channels = ",".join(sorted(done))
    if errors:
        _failed(notification, errors)
    else:
        notification.sent_at, notification.error = now, ""


def _failed(notification: Notification, errors: list[str]) -> None:
    notification.attempts += 1
    notification.error = "; ".join(errors)[:2000]


@task()
def send_notification(payload: dict[str, Any]) -> list[str]:
    """A message queued as a task of its own before the outbox existed: still sent, so an
    upgrade loses none."""
    message = Message(**payload)
    return [c.name for c in enabled() if c.send(message)]
