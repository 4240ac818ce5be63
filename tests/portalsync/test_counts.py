"""The Decision 766 input: a dossier counts as synchronised when each of its events reached
the portal within the real-time threshold; the count per agency and year equals a hand count,
the query agrees with the rule, and nothing is published while synchronisation is off."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tinhso.indicators.models import IndicatorValue
from tinhso.portalsync import counts, rules
from tinhso.portalsync.connectors import FakePortal
from tinhso.portalsync.models import EventSync
from tinhso.procedures.loaders import service_indicators_load
from tinhso.procedures.services import dossier_approve

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def indicators(reference_units: Any) -> None:
    service_indicators_load()


def published(unit_id: int, year: int) -> int | None:
    row = IndicatorValue.objects.filter(indicator__code="dossiers_synchronised",
                                        unit_id=unit_id, period=str(year)).first()
    return None if row is None else int(row.value)


def test_the_rule_in_plain_words() -> None:
    at = datetime(2026, 12, 1, 9)
    assert rules.in_time(at, at + HOUR, HOUR)
    assert not rules.in_time(at, at + HOUR + timedelta(seconds=1), HOUR)
    assert not rules.in_time(at, None, HOUR)
    assert rules.dossier_synchronised([(at, at), (at, at + HOUR)], HOUR)
    assert not rules.dossier_synchronised([(at, at), (at, None)], HOUR)
    assert not rules.dossier_synchronised([], HOUR)
    assert [rules.retry_delay(n, timedelta(minutes=15)).total_seconds()
            for n in (1, 2, 3, 5, 6, 20)] == [30, 60, 120, 480, 900, 900]


def test_the_count_equals_a_hand_count_and_is_published(
        indicators: None, portal: FakePortal, submit: Any, desk: dict[str, Any],
        now: datetime, committed: Any) -> None:
    synced = committed(submit, "Đăng ký khai sinh", at=now)
    committed(dossier_approve, actor=desk["commune"], dossier=synced, now=now)
    portal.fail.add("*")
    failing = committed(submit, "Đăng ký khai sinh", at=now)  # never reached the portal
    portal.fail.clear()
    late = committed(submit, "Đăng ký khai sinh", at=now - 2 * HOUR)  # sent 2 hours late
    half = committed(submit, "Đăng ký khai sinh", at=now)
    portal.fail.add(half.code)
    committed(dossier_approve, actor=desk["commune"], dossier=half, now=now)  # 1 of 2 sent
    portal.fail.clear()
    other = committed(submit, "Cấp Phiếu lý lịch tư pháp", unit="56.STP", at=now)
    commune, justice = synced.unit_id, other.unit_id
    # by hand: the commune's four dossiers, of which only the first counts; Justice's one
    assert {d.unit_id for d in (failing, late, half)} == {commune}
    assert counts.synchronised_counts([commune, justice], now.year) == {commune: 1, justice: 1}
    assert published(commune, now.year) == 1 and published(justice, now.year) == 1


def test_the_query_agrees_with_the_rule(portal: FakePortal, submit: Any, desk: dict[str, Any],
                                        now: datetime, committed: Any) -> None:
    dossiers = [committed(submit, "Đăng ký khai sinh", at=now) for _ in range(4)]
    for dossier in dossiers[:3]:
        committed(dossier_approve, actor=desk["commune"], dossier=dossier, now=now)
    delays = [timedelta(0), HOUR, HOUR + timedelta(seconds=1), None, 2 * HOUR, timedelta(0),
              timedelta(minutes=5)]
    for row, delay in zip(EventSync.objects.order_by("pk"), delays, strict=True):
        row.acknowledged_at = None if delay is None else row.happened_at + delay
        row.save()
    expected = sum(rules.dossier_synchronised(
        [(r.happened_at, r.acknowledged_at) for r in EventSync.objects.filter(dossier_id=d.pk)],
        counts.threshold()) for d in dossiers)
    assert expected == 1  # the second dossier only: both its events within the hour
    assert counts.synchronised_counts([dossiers[0].unit_id], now.year) == {
        dossiers[0].unit_id: expected}


def test_off_the_item_has_no_source_rather_than_zero(
        settings: Any, indicators: None, submit: Any, now: datetime, committed: Any) -> None:
    settings.TINHSO_PORTAL = ""
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    assert counts.publish_all([now.year]) == 0
    assert published(dossier.unit_id, now.year) is None
