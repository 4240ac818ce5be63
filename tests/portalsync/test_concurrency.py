"""Concurrent submissions lose no event (PostgreSQL): a transaction that wrote its event first
but commits last is still sent, though later events were sent meanwhile (a "last id sent"
cursor would have skipped it), and senders running side by side send each event once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection, transaction

from tinhso.portalsync.connectors import FakePortal, update_id
from tinhso.portalsync.models import EventSync
from tinhso.units.models import Unit


def _in_thread(errors: list[BaseException], work: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_lose_no_event(
        portal: FakePortal, submit: Any, reference_units: dict[str, Unit], now: datetime
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite runs one writer)")
    communes = sorted(code for code, unit in reference_units.items()
                      if unit.level == "commune" and code != "22366")[:6]
    errors: list[BaseException] = []
    written, release = threading.Event(), threading.Event()

    def slow() -> None:  # writes its event first, commits last
        with transaction.atomic():
            submit("Đăng ký khai sinh", unit="22366", at=now)
            written.set()
            assert release.wait(30)

    first = _in_thread(errors, slow)
    assert written.wait(30)
    others = [_in_thread(errors, lambda code=code: submit("Đăng ký khai sinh", unit=code,
                                                             at=now)) for code in communes]
    for thread in others:
        thread.join(60)
    assert len(portal.received) == len(communes)  # sent while the first was still open
    release.set()
    first.join(60)
    assert not errors, errors
    events = EventSync.objects.order_by("event_id")
    assert events.count() == len(communes) + 1
    assert not events.filter(acknowledged_at__isnull=True).exists()
    assert sorted(u.id for u in portal.received) == sorted(
        update_id(pk) for pk in events.values_list("event_id", flat=True))
    slowest = events.first()
    assert slowest is not None and slowest.payload["agency"] == "22366"
