"""Notifications to applicants: an outbox written with the action, delivered in batches after
the commit by one waiting task, failures tried again without sending twice; the statistics
publication deferred so that a busy desk's changes are published together."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.procedures import notifications
from tinhso.procedures.models import Dossier, Notification, PendingPublication
from tinhso.procedures.notifications import Message, deliver, notify, notify_staff

pytestmark = pytest.mark.django_db


class Recorder:
    """A connector that records what it sent and how many batches it opened; ``fail`` makes
    it raise for the listed dossier codes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[str] = []
        self.batches = 0
        self.fail: set[str] = set()

    @contextmanager
    def batch(self) -> Iterator[None]:
        self.batches += 1
        yield

    def send(self, message: Message) -> bool:
        if message.dossier_code in self.fail:
            raise ConnectionError("gateway unreachable")
        self.sent.append(message.dossier_code)
        return True


@pytest.fixture
def sms(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder("sms")
    monkeypatch.setitem(notifications.CONNECTORS, "sms", recorder)  # type: ignore[arg-type]
    settings.TINHSO_NOTIFY = ["email", "sms"]
    return recorder


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_deliveries() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path="tinhso.procedures.notifications.deliver_notifications").count()


def test_a_rolled_back_action_writes_no_message_and_a_committed_one_is_sent_after_commit(
        submit: Callable[..., Dossier], django_capture_on_commit_callbacks: Any) -> None:
    dossier = submit()
    mail.outbox.clear()
    Notification.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(dossier=dossier, subject="Hồ sơ đã tiếp nhận", body="...")
        raise RuntimeError("the action failed")
    assert not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        notify(dossier=dossier, subject="Hồ sơ đã tiếp nhận", body="Nội dung")
        assert not mail.outbox  # written, not sent, until the commit
    message = Notification.objects.get()
    assert message.sent_at is not None and message.channels == "email"
    assert [(m.subject, m.to) for m in mail.outbox] == [("Hồ sơ đã tiếp nhận",
                                                          ["an@example.vn"])]


def test_a_message_to_staff_goes_through_the_same_outbox_as_the_applicants(
        submit: Callable[..., Dossier], django_capture_on_commit_callbacks: Any) -> None:
    dossier = submit()  # its message to the applicant waits (no commit in a test)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff = notify_staff(email="baocao@stc.khanhhoa.gov.vn", subject="[tỉnh số] Nhắc",
                             body="Nội dung", topic="programme.overdue:56.STC")
        assert not mail.outbox
    # one delivery after the commit sends both, each through the e-mail connector
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn",
                                                    "baocao@stc.khanhhoa.gov.vn"]
    staff.refresh_from_db()
    assert staff.dossier is None and staff.sent_at is not None and staff.channels == "email"
    assert Notification.objects.get(dossier=dossier).sent_at is not None
    assert "programme.overdue:56.STC" in str(staff)

    with pytest.raises(ValueError):
        notify_staff(email="a@example.vn", subject="s", body="b", topic="")
    with pytest.raises(IntegrityError), transaction.atomic():  # about nothing: refused
        Notification.objects.create(email="a@example.vn", subject="s", body="b")


def test_with_the_database_queue_one_delivery_waits_however_many_messages_are_written(
        submit: Callable[..., Dossier], database_queue: None, sms: Recorder, settings: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TINHSO_NOTIFY_DELAY_SECONDS = 1
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        dossiers = [submit() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        notify(dossier=dossiers[0], subject="Bổ sung", body="...")
    assert Notification.objects.filter(sent_at__isnull=True).count() == 4
    assert waiting_deliveries() == 1 and not mail.outbox
    task = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    # it waits a second for the messages written meanwhile, to send them in one batch
    assert before + timedelta(seconds=1) <= task.run_after <= timezone.now() + timedelta(
        seconds=1)

    assert deliver() == 4  # what the worker's task does
    assert len(mail.outbox) == 4 and sorted(sms.sent) == sorted(
        [d.code for d in dossiers] + [dossiers[0].code])
    assert sms.batches == 1  # one connection for the whole batch
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert deliver() == 0 and len(mail.outbox) == 4  # nothing sent twice


def test_a_delivery_already_running_does_not_count_as_waiting(
        submit: Callable[..., Dossier], database_queue: None, settings: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TINHSO_NOTIFY_DELAY_SECONDS = 0  # queued to run at once
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit()
    task = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    task.claim("worker-1")  # it may have read its batch before the next message commits
    with django_capture_on_commit_callbacks(execute=True):
        notify(dossier=dossier, subject="Bổ sung", body="...")
    assert waiting_deliveries() == 1


def test_a_failed_message_is_tried_again_without_sending_twice_then_given_up(
        submit: Callable[..., Dossier], sms: Recorder) -> None:
    first, second = submit(), submit()
    Notification.objects.update(sent_at=None, channels="")
    mail.outbox.clear()
    sms.fail = {first.code}

    assert deliver() == 1
    failed = Notification.objects.get(dossier=first)
    assert failed.sent_at is None and failed.attempts == 1 and failed.channels == "email"
    assert "sms: ConnectionError: gateway unreachable" in failed.error
    assert sms.sent == [second.code] and len(mail.outbox) == 2

    sms.fail = set()
    assert deliver() == 1  # the next delivery: SMS only, the e-mail went the first time
    assert sms.sent == [second.code, first.code] and len(mail.outbox) == 2
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.channels == "email,sms" and not failed.error

    sms.fail = {first.code}
    Notification.objects.filter(pk=failed.pk).update(sent_at=None, channels="email",
                                                     attempts=Notification.MAX_ATTEMPTS - 1)
    assert deliver() == 0
    assert deliver() == 0 and sms.sent.count(first.code) == 1  # given up: not tried again


def test_a_mail_server_down_leaves_the_batch_waiting(submit: Callable[..., Dossier],
                                                     settings: Any) -> None:
    submit()
    Notification.objects.update(sent_at=None, channels="")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    assert deliver() == 0
    message = Notification.objects.get()
    assert message.sent_at is None and message.attempts == 1 and message.error


def test_the_notify_command_delivers_and_reports(submit: Callable[..., Dossier],
                                                 sms: Recorder, capsys: Any) -> None:
    first, _second = submit(), submit()
    Notification.objects.update(sent_at=None, channels="")
    sms.fail = {first.code}
    call_command("dossiers", "notify")
    out = capsys.readouterr().out
    assert "1 notifications sent; 1 failed and will be tried again, 0 given up" in out


def test_the_statistics_publication_waits_for_the_changes_made_meanwhile(
        submit: Callable[..., Dossier], database_queue: None, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TINHSO_PUBLISH_DELAY_SECONDS = 10
    before = timezone.now()
    submit(), submit()  # the same agency and year: one publication for both
    task = DBTaskResult.objects.get(task_path__endswith="publish_statistics")
    assert before + timedelta(seconds=10) <= task.run_after <= timezone.now() + timedelta(
        seconds=10)
    assert not DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # not before its time

    DBTaskResult.objects.all().delete()
    PendingPublication.objects.all().delete()
    settings.TINHSO_PUBLISH_DELAY_SECONDS = 0
    submit()
    assert DBTaskResult.objects.ready().filter(task_path__endswith="publish_statistics"
                                               ).count() == 1


def test_a_delivery_sends_what_waited_when_it_started_and_ends_while_messages_keep_coming(
        submit: Callable[..., Dossier], sms: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = submit(), submit()
    Notification.objects.update(sent_at=None, channels="")
    send = sms.send

    def send_and_write_another(message: Message) -> bool:
        # a message written while the delivery runs (it gets its own wake-up, after commit)
        Notification.objects.create(dossier=first, email="", subject="Bổ sung", body="...")
        return send(message)

    monkeypatch.setattr(sms, "send", send_and_write_another)
    assert deliver() == 2
    assert sorted(sms.sent) == sorted([first.code, second.code])
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2  # the next run's


def test_a_process_that_knows_a_delivery_waits_does_not_ask_again_until_it_may_start(
        submit: Callable[..., Dossier], database_queue: None, settings: Any,
        monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TINHSO_NOTIFY_DELAY_SECONDS = 1
    dossier = submit()
    notifications.forget_waiting()
    DBTaskResult.objects.all().delete()
    notifications.wake_delivery()  # one query, and the task (deferred by a second)
    task = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    with django_assert_num_queries(0):  # it cannot start yet: nothing to ask
        notifications.wake_delivery()
    notifications.forget_waiting()  # another process: asks once, then knows
    with django_assert_num_queries(1):
        notifications.wake_delivery()
    with django_assert_num_queries(0):
        notifications.wake_delivery()

    # Its time has come (less the clock margin) and the worker has claimed it: a message
    # written now may come after its batch, so a new delivery is queued.
    task.claim("worker-1")
    later = task.run_after - notifications.CLOCK_MARGIN + timedelta(milliseconds=1)
    monkeypatch.setattr(notifications.timezone, "now", lambda: later)
    notify(dossier=dossier, subject="Bổ sung", body="...")
    notifications.wake_delivery()
    assert waiting_deliveries() == 1 and DBTaskResult.objects.count() == 2

    # Queued to run at once (no delay), a waiting delivery may start any moment: always ask.
    monkeypatch.undo()
    settings.TINHSO_NOTIFY_DELAY_SECONDS = 0
    notifications.forget_waiting()
    DBTaskResult.objects.all().delete()
    notifications.wake_delivery()
    for _ in range(2):
        with django_assert_num_queries(1):
            notifications.wake_delivery()
    assert waiting_deliveries() == 1


def test_a_delivery_whose_time_has_come_covers_this_message_and_the_next_is_queued_at_once(
        submit: Callable[..., Dossier], database_queue: None, settings: Any,
        monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any) -> None:
    """A waiting delivery whose time has come may start any moment: it reads the message just
    committed, and the process queues the next delivery rather than asking again for every
    message until a worker takes the first."""
    from django_tasks_db.models import DBTaskResult

    settings.TINHSO_NOTIFY_DELAY_SECONDS = 1
    dossier = submit()
    notifications.forget_waiting()
    DBTaskResult.objects.all().delete()
    notifications.wake_delivery()
    first = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    due = first.run_after - notifications.CLOCK_MARGIN + timedelta(milliseconds=1)
    monkeypatch.setattr(notifications.timezone, "now", lambda: due)
    notifications.forget_waiting()  # a process that has not asked yet
    notify(dossier=dossier, subject="Bổ sung", body="...")
    notifications.wake_delivery()  # the first, not taken yet, will read it; the next queued
    assert waiting_deliveries() == 2
    second = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert second.run_after == due + timedelta(seconds=1)
    for _ in range(3):  # the next messages: covered by the second, nothing to ask
        with django_assert_num_queries(0):
            notifications.wake_delivery()
    assert waiting_deliveries() == 2


# --- sent again after a cut: recognisable, and as little as possible ---------------------------


def test_a_notification_sent_twice_carries_the_same_message_id(
        submit: Callable[..., Dossier], settings: Any) -> None:
    """A worker killed after sending, before recording it, sends the message again at the
    next delivery (at-least-once): the copy has the same Message-ID, which mail servers and
    clients use to drop it."""
    settings.DEFAULT_FROM_EMAIL = "Tỉnh số <no-reply@tinhso.example.vn>"
    settings.TINHSO_INSTANCE = "prod 1"
    first, second = submit(), submit()
    Notification.objects.update(sent_at=None, channels="")
    mail.outbox.clear()
    assert deliver() == 2
    Notification.objects.update(sent_at=None, channels="")  # the record was lost
    assert deliver() == 2
    sent = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    expected = sorted(f"<notification-{n.pk}.prod-1@tinhso.example.vn>"
                      for n in Notification.objects.filter(dossier__in=[first, second]))
    assert len(expected) == 2 and sent == sorted(expected * 2)  # each twice, the same
    assert "Message-ID: <notification-" in mail.outbox[0].message().as_string()


class Killed(BaseException):
    """The worker process killed mid-batch (nothing after it runs)."""


def test_a_delivery_cut_mid_batch_has_recorded_the_messages_sent_before(
        submit: Callable[..., Dossier], sms: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    dossiers = [submit() for _ in range(4)]
    Notification.objects.update(sent_at=None, channels="")
    send = sms.send

    def killed_at_the_third(message: Message) -> bool:
        if len(sms.sent) == 2:
            raise Killed
        return send(message)

    monkeypatch.setattr(sms, "send", killed_at_the_third)
    with pytest.raises(Killed):
        deliver()
    sent = set(Notification.objects.filter(sent_at__isnull=False)
               .values_list("dossier__code", flat=True))
    assert sent == {d.code for d in dossiers[:2]} == set(sms.sent)
    monkeypatch.setattr(sms, "send", send)
    assert deliver() == 2  # the rerun sends the other two only
    assert sorted(sms.sent) == sorted(d.code for d in dossiers)
