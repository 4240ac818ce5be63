"""Each dossier event reaches the national portal, in order per dossier, through the outbox:
nothing for a rolled-back action, a failure kept with its error and tried again later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tinhso.portalsync.connectors import FakePortal, update_id
from tinhso.portalsync.models import EventSync
from tinhso.portalsync.sending import send
from tinhso.procedures.services import dossier_approve, dossier_assign, dossier_return_result

pytestmark = pytest.mark.django_db


def actions(portal: FakePortal, code: str) -> list[str]:
    return [u.payload["action"] for u in portal.received if u.dossier == code]


def test_every_event_reaches_the_portal_in_order_with_a_stable_id(
        portal: FakePortal, submit: Any, desk: dict[str, Any], now: datetime,
        committed: Any) -> None:
    portal.delay = 0.05  # a slow portal: the same order
    dossier = committed(submit, "Cấp Phiếu lý lịch tư pháp", unit="56.STP", at=now)
    committed(dossier_assign, actor=desk["justice"], dossier=dossier, unit=dossier.unit,
              officer=desk["justice"], now=now + timedelta(minutes=1))
    committed(dossier_approve, actor=desk["approver"], dossier=dossier,
              now=now + timedelta(minutes=2))
    committed(dossier_return_result, actor=desk["justice"], dossier=dossier,
              now=now + timedelta(minutes=3))
    assert actions(portal, dossier.code) == ["submit", "assign", "approve", "return_result"]
    first = portal.received[0]
    assert first.payload["status"] == "received" and first.payload["agency"] == "56.STP"
    assert "applicant" not in str(first.payload) and "0905" not in str(first.payload)
    events = list(dossier.events.order_by("id").values_list("pk", flat=True))
    assert [u.id for u in portal.received] == [update_id(pk) for pk in events]
    assert not EventSync.objects.filter(acknowledged_at__isnull=True).exists()


def test_a_failure_is_kept_with_its_error_retried_later_and_then_sent(
        portal: FakePortal, submit: Any, desk: dict[str, Any], now: datetime,
        committed: Any) -> None:
    portal.fail.add("*")
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    committed(dossier_approve, actor=desk["commune"], dossier=dossier,
              now=now + timedelta(minutes=1))
    assert portal.received == []
    first, second = EventSync.objects.filter(dossier_id=dossier.pk).order_by("event_id")
    # tried after the submission; after the approval its back-off had not passed
    assert first.attempts == 1 and "unavailable" in first.error
    assert second.attempts == 0  # waits behind the first: never overtakes it
    assert first.next_attempt_at is not None and first.next_attempt_at > now
    portal.fail.clear()
    assert send() == 0  # the back-off has not passed
    assert send(now=first.next_attempt_at + timedelta(seconds=1)) == 2
    assert actions(portal, dossier.code) == ["submit", "approve"]
    first.refresh_from_db()
    assert first.acknowledged_at is not None and first.error == "" and first.attempts == 1


def test_the_command_retries_every_failed_update_at_once(
        portal: FakePortal, submit: Any, now: datetime, committed: Any) -> None:
    portal.fail.add("*")
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    portal.fail.clear()
    call_command("portalsync", "send")
    assert actions(portal, dossier.code) == ["submit"]


def test_a_rolled_back_action_sends_nothing(
        portal: FakePortal, submit: Any, desk: dict[str, Any], now: datetime) -> None:
    dossier = submit("Đăng ký khai sinh", at=now)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_approve(actor=desk["commune"], dossier=dossier, now=now)
        raise RuntimeError("the action fails after writing its event")
    send(force=True)
    assert actions(portal, dossier.code) == ["submit"]
    assert EventSync.objects.filter(dossier_id=dossier.pk).count() == 1


def test_off_nothing_is_sent_but_nothing_is_lost(
        settings: Any, portal: FakePortal, submit: Any, now: datetime) -> None:
    settings.TINHSO_PORTAL = ""
    dossier = submit("Đăng ký khai sinh", at=now)
    assert send() == 0 and portal.received == []
    settings.TINHSO_PORTAL = "fake"
    assert send() == 1
    assert actions(portal, dossier.code) == ["submit"]


def test_events_written_without_the_services_are_backfilled_and_sent(
        portal: FakePortal, submit: Any, now: datetime) -> None:
    dossier = submit("Đăng ký khai sinh", at=now)
    EventSync.objects.all().delete()  # as for an event of the demo's bulk dossiers
    portal.reset()
    call_command("portalsync", "send")
    assert actions(portal, dossier.code) == ["submit"]
    call_command("portalsync", "send")
    assert len(portal.received) == 1
