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
    qs = qs.filter(period__in=list(periods)).order_by()  # no ordering: no join, no sort
    connection = connections[qs.db]
    if connection.vendor == "postgresql":
        return _postgresql_arrays(connection, qs, periods)
    position = Case(*[When(period=p, then=Value(i)) for i, p in enumerate(periods)],
                    default=Value(-1), output_field=IntegerField())
    data = list(qs.annotate(_position=position).values_list(
        "indicator_id", "unit_id", "_position", Cast("value", FloatField())))
    return (np.fromiter((r[0] for r in data), np.int64, len(data)),
            np.fromiter((r[1] for r in data), np.int64, len(data)),
            np.fromiter((r[2] for r in data), np.int64, len(data)),
            np.fromiter((r[3] for r in data), float, len(data)))


def _array(payload: bytes | memoryview, kind: str) -> np.ndarray:
    data = bytes(payload)
    if len(data) <= _ARRAY_HEADER:
        return np.empty(0, _ELEMENTS[kind]["value"])
    return np.frombuffer(data, dtype=_ELEMENTS[kind], offset=_ARRAY_HEADER)["value"]


def _postgresql_arrays(connection, qs: QuerySet, periods: Sequence[str]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One row of four binary arrays (array_send): the driver handles four values instead of a
    Python tuple per stored value, and NumPy parses each array in one call."""
    sql, params = qs.values_list("indicator_id", "unit_id", "period", "value").query \
        .sql_with_params()
    query = (
        "SELECT array_send(array_agg(q.c1::int8)), array_send(array_agg(q.c2::int8)),"
        " array_send(array_agg(array_position(%s::text[], q.c3::text) - 1)),"
        " array_send(array_agg(q.c4::float8)) "
        f"FROM ({sql}) AS q(c1, c2, c3, c4)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [list(periods), *params])
        indicators, units, positions, values = cursor.fetchone()
    return (_array(indicators, "int8").astype(np.int64), _array(units, "int8").astype(np.int64),
            _array(positions, "int4").astype(np.int64), _array(values, "float8").astype(float))
