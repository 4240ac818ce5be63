"""Reading value rows into NumPy columns, fast.

On PostgreSQL each indicator's rows come back as binary arrays (``array_send``) parsed by
NumPy in one call (no Python object per row); elsewhere through Django's ``values_list``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.db import connections
from django.db.models import Case, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast

# array_send() of a one-dimensional array: ndim, has-nulls flag, element type, size, lower
# bound (five int4), then each element as its length (int4) and its bytes.
_ARRAY_HEADER = 20
_ELEMENTS = {
    "int8": np.dtype([("length", ">i4"), ("value", ">i8")]),
    "int4": np.dtype([("length", ">i4"), ("value", ">i4")]),
    "float8": np.dtype([("length", ">i4"), ("value", ">f8")]),
}


def value_columns(qs: QuerySet, periods: Sequence[str]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(indicator ids, unit ids, period positions in ``periods``, values) of the rows of ``qs``
    whose period is one of ``periods``."""
    if not periods:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, np.empty(0, float)
    position = Case(*[When(period=p, then=Value(i)) for i, p in enumerate(periods)],
                    default=Value(-1), output_field=IntegerField())
    rows = qs.filter(period__in=list(periods)).annotate(_position=position).values_list(
        "indicator_id", "unit_id", "_position", Cast("value", FloatField()))
    connection = connections[qs.db]
    if connection.vendor == "postgresql":
        return _postgresql_arrays(connection, rows)
    data = list(rows)
    return (np.fromiter((r[0] for r in data), np.int64, len(data)),
            np.fromiter((r[1] for r in data), np.int64, len(data)),
            np.fromiter((r[2] for r in data), np.int64, len(data)),
            np.fromiter((r[3] for r in data), float, len(data)))


def _array(payload: bytes | memoryview, kind: str) -> np.ndarray:
    data = bytes(payload)
    if len(data) <= _ARRAY_HEADER:
        return np.empty(0, _ELEMENTS[kind]["value"])
    return np.frombuffer(data, dtype=_ELEMENTS[kind], offset=_ARRAY_HEADER)["value"]


def _postgresql_arrays(connection, rows: QuerySet
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One row per indicator whose columns are binary arrays (array_send): the driver handles a
    few hundred values instead of a Python tuple per stored value."""
    sql, params = rows.query.sql_with_params()
    query = (
        "SELECT q.c1::int8, array_send(array_agg(q.c2::int8)), array_send(array_agg(q.c3::int4)),"
        " array_send(array_agg(q.c4::float8)) "
        f"FROM ({sql}) AS q(c1, c2, c3, c4) GROUP BY q.c1"
    )
    indicators, units, positions, values = [], [], [], []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for indicator_id, unit_bytes, position_bytes, value_bytes in cursor.fetchall():
            unit = _array(unit_bytes, "int8")
            indicators.append(np.full(len(unit), indicator_id, dtype=np.int64))
            units.append(unit.astype(np.int64))
            positions.append(_array(position_bytes, "int4").astype(np.int64))
            values.append(_array(value_bytes, "float8").astype(float))
    if not indicators:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, np.empty(0, float)
    return (np.concatenate(indicators), np.concatenate(units), np.concatenate(positions),
            np.concatenate(values))
