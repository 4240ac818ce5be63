"""The value blocks: a rebuildable, read-optimised projection of approved values.

For each indicator and period, one row holds the approved values of every unit as two binary
arrays (unit ids little-endian int64 in ascending order, values little-endian float64).
Recomputing a year of 200 indicators reads 2,400 such rows instead of millions of value rows.
Blocks are never edited: every change of an indicator's values bumps its ``values_version``
(signals below, and :func:`values_changed` for bulk writes), and blocks built from an older
version are rebuilt, from IndicatorValue, before they are read.

The rebuild on PostgreSQL is set-wise (issue 17): per transaction, as many indicators as make
about ``CHUNK_BYTES`` of blocks; one query has the server group their values by hashing into
one byte string per block, streamed from a server-side cursor; NumPy orders each block by unit
and swaps its bytes; binary COPY writes them. 24,000,000 values: see ``bench/value_blocks.py``
(172 s one indicator at a time before). SQLite keeps the one-by-one path through the ORM,
which is also the reference the set-wise path is tested against, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, F, Value, When

from tinhso.core.periods import parse_period
from tinhso.indicators.loading import value_columns
from tinhso.indicators.models import Indicator, IndicatorValue, ValueBlock, ValueStatus

COUNTED = (ValueStatus.APPROVED,)


def values_changed(indicator_ids: Iterable[int]) -> None:
    """Say that these indicators' values changed (after bulk writes that bypass save())."""
    Indicator.objects.filter(pk__in=set(indicator_ids)).update(
        values_version=F("values_version") + 1)


def rebuild(indicator_ids: Iterable[int]) -> None:
    """Rebuild the blocks of these indicators from their approved values.

    On PostgreSQL set-wise (:func:`_rebuild_chunk`: many indicators per statement); elsewhere
    one indicator at a time (:func:`rebuild_one_by_one`). Both write the same bytes.
    """
    ids = sorted(set(indicator_ids))
    connection = connections[router.db_for_write(ValueBlock)]
    if connection.vendor != "postgresql":
        rebuild_one_by_one(ids)
        return
    done, built, start = 0, 0, 0
    while start < len(ids):
        # As many indicators as fill about CHUNK_BYTES, judging by those built so far.
        size = FIRST_CHUNK if not done else min(MAX_CHUNK, max(
            1, CHUNK_BYTES * done // max(built, 1)))
        chunk = ids[start:start + size]
        built += _rebuild_chunk(connection, chunk)
        done += len(chunk)
        start += size


def rebuild_one_by_one(indicator_ids: Iterable[int]) -> None:
    """Rebuild the blocks of these indicators one at a time, through the ORM (SQLite's path,
    and the reference the set-wise path is held to)."""
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


# PostgreSQL: each block comes in one row, its (unit id, value) pairs concatenated by the server
# as int8send || float8send (16 big-endian bytes each) in no particular order (grouping by
# hashing, without sorting 24 million rows); NumPy puts each block in unit order, little-endian.
_BLOCKS = """
    SELECT indicator_id, period,
           string_agg(int8send(unit_id::int8) || float8send(value::float8), ''::bytea)
    FROM {values}
    WHERE indicator_id = ANY(%s) AND status = ANY(%s)
    GROUP BY indicator_id, period
"""
_PAIR = np.dtype([("unit", ">i8"), ("value", ">f8")])
# Per transaction, as many indicators as make about CHUNK_BYTES of blocks: each chunk's query
# reads the pages holding its values, which are shared with other indicators' (a page holds
# some 60 values of one unit and period), so few large chunks read the table fewest times.
# The server holds a chunk's blocks (its hash table, within work_mem, below); this process holds
# _FETCH blocks at a time.
CHUNK_BYTES = 128 * 2**20
FIRST_CHUNK, MAX_CHUNK = 16, 2000  # indicators per transaction
# The chunk's hash table in memory, and a plan for all the rows, so hashed (a cursor's plan
# favours the first rows, which means sorting every value).
_PLANNING = {"work_mem": "320MB", "cursor_tuple_fraction": "1"}
_FETCH = 256


def _rebuild_chunk(connection: BaseDatabaseWrapper, indicator_ids: list[int]) -> int:
    """Rebuild these indicators' blocks in one transaction: one query builds them, streamed
    from a server-side cursor into COPY, some blocks at a time. The bytes built."""
    alias, built = connection.alias, 0
    try:
        with transaction.atomic(using=alias):
            versions = dict(Indicator.objects.using(alias).filter(pk__in=indicator_ids)
                            .values_list("pk", "values_version"))  # read before the values
            ids = sorted(versions)
            if not ids:
                return 0
            ValueBlock.objects.using(alias).filter(indicator_id__in=ids).delete()
            with _planning(connection), connection.chunked_cursor() as cursor:
                cursor.execute(_BLOCKS.format(values=connection.ops.quote_name(
                    IndicatorValue._meta.db_table)), [ids, list(COUNTED)])
                while rows := cursor.fetchmany(_FETCH):
                    blocks = [_block(*row) for row in rows]
                    built += sum(len(b[2]) + len(b[3]) for b in blocks)
                    _copy_in(connection, blocks)
            Indicator.objects.using(alias).filter(pk__in=ids).update(
                blocks_version=Case(*[When(pk=i, then=Value(v)) for i, v in versions.items()]))
    except IntegrityError:  # another process rebuilt some of them at the same time
        if len(indicator_ids) > 1:  # theirs stand; ours are built one by one
            for indicator_id in indicator_ids:
                _rebuild_chunk(connection, [indicator_id])
    return built


@contextmanager
def _planning(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """``_PLANNING`` for the enclosed statements, then the settings as they were (a SET LOCAL
    alone would last to the end of a transaction enclosing the rebuild's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in _PLANNING),
                       list(_PLANNING))
        before = cursor.fetchone()
        for name, value in _PLANNING.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    with connection.cursor() as cursor:
        for name, value in zip(_PLANNING, before, strict=True):
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _block(indicator_id: int, period: str, pairs: bytes) -> tuple[int, str, bytes, bytes]:
    pair = np.frombuffer(pairs, dtype=_PAIR)
    units = pair["unit"].astype("<i8")
    order = np.argsort(units)  # a unit once per indicator and period (indicator_value_unique)
    return (indicator_id, period, units[order].tobytes(),
            pair["value"].astype("<f8")[order].tobytes())


def _copy_in(connection: BaseDatabaseWrapper, blocks: list[tuple[int, str, bytes, bytes]]
             ) -> None:
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN (FORMAT BINARY)".format(
        quote(ValueBlock._meta.db_table),
        ", ".join(quote(c) for c in ("indicator_id", "period", "unit_ids", "values")))
    with connection.cursor() as cursor, connection.wrap_database_errors, \
            cursor.copy(sql) as copy:
        copy.set_types(["int8", "text", "bytea", "bytea"])
        for block in blocks:
            copy.write_row(block)


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
