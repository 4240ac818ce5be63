"""The HTTP connector against a local server standing in for the national portal: each update
posted as JSON with its stable id as the idempotency key and the configured credentials; an
error answer or a portal slower than the timeout leaves the update waiting with the error. And
the database queue: one waiting sender however many actions, and a retry queued for the end of
the back-off."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tinhso.portalsync.connectors import FakePortal, update_id
from tinhso.portalsync.models import EventSync
from tinhso.portalsync.sending import retry_updates, send, send_updates

pytestmark = pytest.mark.django_db


class Portal(BaseHTTPRequestHandler):
    answer = 200
    delay = 0.0
    received: list[tuple[dict[str, str], dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.delay)
        Portal.received.append((dict(self.headers), body))
        self.send_response(self.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def http_portal(settings: Any) -> Iterator[type[Portal]]:
    Portal.answer, Portal.delay, Portal.received = 200, 0.0, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TINHSO_PORTAL = "http"
    settings.TINHSO_PORTAL_URL = f"http://127.0.0.1:{server.server_address[1]}/sync"
    settings.TINHSO_PORTAL_TOKEN = "secret-token"
    settings.TINHSO_PORTAL_TIMEOUT_SECONDS = 0.5
    yield Portal
    server.shutdown()
    server.server_close()


def test_each_update_is_posted_with_its_id_and_credentials(
        http_portal: type[Portal], submit: Any, now: datetime, committed: Any) -> None:
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    (headers, body), = http_portal.received
    event = EventSync.objects.get(dossier_id=dossier.pk)
    assert body["id"] == update_id(event.event_id) == headers["Idempotency-Key"]
    assert body["dossier"] == dossier.code and body["action"] == "submit"
    assert headers["Authorization"] == "Bearer secret-token"
    assert event.acknowledged_at is not None


def test_an_error_answer_or_a_slow_portal_leaves_the_update_waiting(
        http_portal: type[Portal], submit: Any, now: datetime, committed: Any) -> None:
    http_portal.answer = 503
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    event = EventSync.objects.get(dossier_id=dossier.pk)
    assert event.acknowledged_at is None and "503" in event.error
    http_portal.answer, http_portal.delay = 200, 1.0
    assert send(force=True) == 0
    event.refresh_from_db()
    assert event.attempts == 2 and "timed out" in event.error
    http_portal.delay = 0.0
    assert send(force=True) == 1


def test_one_waiting_sender_and_a_retry_at_the_end_of_the_back_off(
        settings: Any, portal: FakePortal, submit: Any, now: datetime, committed: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(3):
        committed(submit, "Đăng ký khai sinh", at=now)
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert ready.filter(task_path=send_updates.module_path).count() == 1
    assert portal.received == []
    portal.fail.add("*")
    send_updates.call()
    send_updates.call()  # a second run before the back-off's end: one retry queued
    first = EventSync.objects.order_by("event_id").first()
    assert first is not None and first.attempts == 1 and first.next_attempt_at is not None
    retry, = ready.filter(task_path=retry_updates.module_path)
    assert retry.run_after == first.next_attempt_at
