"""The value blocks: a rebuildable, read-optimised projection of approved values.

For each indicator and period, one row holds the approved values of every unit as two binary
arrays. Recomputing a year of 200 indicators reads 2,400 such rows instead of millions of value
rows. Blocks are never edited: every change of an indicator's values bumps its
``values_version`` (signals below, and :func:`values_changed` for bulk writes), and blocks
built from an older version are rebuilt, from IndicatorValue, before they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F

from tinhso.core.periods import parse_period
from tinhso.indicators.loading import value_columns
from tinhso.indicators.models import Indicator, IndicatorValue, ValueBlock, ValueStatus

COUNTED = (ValueStatus.APPROVED,)


def values_changed(indicator_ids: Iterable[int]) -> None:
    """Say that these indicators' values changed (after bulk writes that bypass save())."""
    Indicator.objects.filter(pk__in=set(indicator_ids)).update(
        values_version=F("values_version") + 1)


def rebuild(indicator_ids: Iterable[int]) -> None:
    """Rebuild the blocks of these indicators from their approved values, one at a time."""
    for indicator_id in sorted(set(indicator_ids)):
        version = Indicator.objects.filter(pk=indicator_id).values_list(
            "values_version", flat=True).first()
        if version is None:
            continue
        rows = IndicatorValue.objects.filter(indicator_id=indicator_id, status__in=COUNTED)
        periods = sorted(set(rows.order_by().values_list("period", flat=True).distinct()))
        _ids, units, positions, values = value_columns(rows, periods)
        order = np.lexsort((units, positions))
        units, positions, values = units[order], positions[order], values[order]
        bounds = np.searchsorted(positions, np.arange(len(periods) + 1))
        blocks = [
            ValueBlock(indicator_id=indicator_id, period=period,
                       unit_ids=units[bounds[i]:bounds[i + 1]].astype("<i8").tobytes(),
                       values=values[bounds[i]:bounds[i + 1]].astype("<f8").tobytes())
            for i, period in enumerate(periods)
        ]
        try:
            with transaction.atomic():
                ValueBlock.objects.filter(indicator_id=indicator_id).delete()
                ValueBlock.objects.bulk_create(blocks, batch_size=500)
                Indicator.objects.filter(pk=indicator_id).update(blocks_version=version)
        except IntegrityError:  # another process rebuilt them at the same time: theirs stand
            continue


def ensure_fresh(indicator_ids: Iterable[int]) -> None:
    ids = set(indicator_ids)
    stale = list(Indicator.objects.filter(pk__in=ids).exclude(
        blocks_version=F("values_version")).values_list("pk", flat=True))
    if stale:
        rebuild(stale)


def read(indicator_ids: Iterable[int], periods: Sequence[str] | None
         ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(periods, indicator ids, unit ids, period positions, values) from fresh blocks.

    With ``periods`` None, every period that has blocks, in the order of their codes' starts.
    """
    ids = set(indicator_ids)
    ensure_fresh(ids)
    blocks = ValueBlock.objects.filter(indicator_id__in=ids)
    if periods is not None:
        blocks = blocks.filter(period__in=list(periods))
    rows = list(blocks.values_list("indicator_id", "period", "unit_ids", "values"))
    if periods is None:
        periods = sorted({r[1] for r in rows}, key=lambda p: (parse_period(p).start, p))
    position = {p: i for i, p in enumerate(periods)}
    indicators, units, positions, values = [], [], [], []
    for indicator_id, period, unit_bytes, value_bytes in rows:
        unit = np.frombuffer(bytes(unit_bytes), dtype="<i8")
        indicators.append(np.full(len(unit), indicator_id, dtype=np.int64))
        units.append(unit.astype(np.int64))
        positions.append(np.full(len(unit), position[period], dtype=np.int64))
        values.append(np.frombuffer(bytes(value_bytes), dtype="<f8").astype(float))
    if not rows:
        empty = np.empty(0, np.int64)
        return list(periods), empty, empty, empty, np.empty(0, float)
    return (list(periods), np.concatenate(indicators), np.concatenate(units),
            np.concatenate(positions), np.concatenate(values))
