"""The value blocks' rebuild: set-wise on PostgreSQL, one by one elsewhere, the same bytes."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest
from django.db import IntegrityError, connection

from tests.factories import IndicatorFactory
from tinhso.core.periods import parse_period
from tinhso.indicators import blocks
from tinhso.indicators.models import Indicator, IndicatorValue, ValueBlock

pytestmark = pytest.mark.django_db

VALUES = [Decimal("0.1"), Decimal("-3.25"), Decimal("1234567.123456"), Decimal("0"),
          Decimal("12345678901.5"), Decimal("-0.000001"), Decimal("42")]
STATUSES = ["approved", "approved", "approved", "draft", "submitted", "returned"]


@pytest.fixture
def filled(reference_units):
    """Three indicators (one with no approved value), values of several kinds of period for
    units in no particular order, some not approved; bulk-written, so the blocks are stale."""
    rng = random.Random(17)
    units = sorted(reference_units.values(), key=lambda u: u.code)[:40]
    rng.shuffle(units)
    indicators = [IndicatorFactory(code=f"blocks_{i}") for i in range(3)]
    rows = []
    for indicator, periods in zip(indicators[:2], (["2024", "2025", "2025Q3", "202511"],
                                                   ["2023S2", "2025"]), strict=True):
        for period in periods:
            for unit in units[:rng.randint(5, 40)]:
                rows.append(IndicatorValue(
                    indicator=indicator, unit=unit, period=period,
                    period_start=parse_period(period).start, value=rng.choice(VALUES),
                    status=rng.choice(STATUSES), source="test"))
    rows.append(IndicatorValue(indicator=indicators[2], unit=units[0], period="2025",
                               period_start="2025-01-01", value=1, status="draft", source="t"))
    IndicatorValue.objects.bulk_create(rows)
    blocks.values_changed([i.pk for i in indicators])
    return indicators


def stored() -> dict[tuple[int, str], tuple[bytes, bytes]]:
    return {(i, p): (bytes(u), bytes(v)) for i, p, u, v in ValueBlock.objects.values_list(
        "indicator_id", "period", "unit_ids", "values")}


def test_rebuild_writes_the_same_bytes_as_one_by_one(filled, monkeypatch):
    ids = [i.pk for i in filled]
    blocks.rebuild_one_by_one(ids)
    reference = stored()
    # Many indicators per statement, or one per statement and two blocks per fetch.
    for first, chunk_bytes, fetch in ((blocks.FIRST_CHUNK, blocks.CHUNK_BYTES, blocks._FETCH),
                                      (1, 1, 2)):
        monkeypatch.setattr(blocks, "FIRST_CHUNK", first)
        monkeypatch.setattr(blocks, "CHUNK_BYTES", chunk_bytes)
        monkeypatch.setattr(blocks, "_FETCH", fetch)
        blocks.values_changed(ids)
        blocks.rebuild(ids)
        assert stored() == reference
    assert {p for i, p in reference if i == filled[0].pk} == {"2024", "2025", "2025Q3", "202511"}
    assert not any(i == filled[2].pk for i, _p in reference)  # drafts only: no block


def test_a_block_holds_the_approved_values_in_unit_order(filled):
    blocks.rebuild([i.pk for i in filled])
    for (indicator_id, period), (unit_bytes, value_bytes) in stored().items():
        expected = sorted(IndicatorValue.objects.filter(
            indicator_id=indicator_id, period=period, status="approved").values_list(
            "unit_id", "value"))
        assert np.frombuffer(unit_bytes, "<i8").tolist() == [u for u, _v in expected]
        assert np.frombuffer(value_bytes, "<f8").tolist() == pytest.approx(
            [float(v) for _u, v in expected], rel=1e-15)


def test_rebuild_replaces_stale_blocks_and_records_the_version(filled):
    ids = [i.pk for i in filled]
    blocks.rebuild(ids)
    IndicatorValue.objects.filter(indicator=filled[1], status="approved").update(
        status="returned")
    ValueBlock.objects.create(indicator=filled[2], period="1999", unit_ids=b"", values=b"")
    blocks.values_changed(ids)
    blocks.rebuild([*ids, max(ids) + 1000])  # an indicator that is no more: nothing to do
    assert {i for i, _p in stored()} == {filled[0].pk}
    versions = Indicator.objects.filter(pk__in=ids).values_list(
        "values_version", "blocks_version")
    assert all(v == b for v, b in versions)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-wise path")
def test_blocks_written_at_the_same_time_by_another_process_stand(filled, monkeypatch):
    """A unique violation on writing a chunk (another rebuild got there first): each of its
    indicators is tried again alone; one that collides again keeps the other's blocks."""
    ids = [i.pk for i in filled]
    blocks.rebuild_one_by_one(ids)
    reference = stored()
    blocks.values_changed(ids)
    copy_in = blocks._copy_in
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), "
                       "current_setting('cursor_tuple_fraction')")
        work_mem = cursor.fetchone()

    def colliding(conn, built):
        indicators = {b[0] for b in built}
        if len(indicators) > 1 or filled[0].pk in indicators:
            raise IntegrityError("duplicate key value violates unique constraint")
        copy_in(conn, built)

    monkeypatch.setattr(blocks, "_copy_in", colliding)
    blocks.rebuild(ids)
    assert stored() == reference  # the first indicator's blocks: the other process's
    with connection.cursor() as cursor:  # the planner's settings as they were
        cursor.execute("SELECT current_setting('work_mem'), "
                       "current_setting('cursor_tuple_fraction')")
        assert cursor.fetchone() == work_mem
    fresh = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "blocks_version"))
    values = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "values_version"))
    assert fresh[filled[0].pk] != values[filled[0].pk]  # still stale: rebuilt when read
    assert fresh[filled[1].pk] == values[filled[1].pk]
