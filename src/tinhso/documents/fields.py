"""A set of whole numbers in one column (``Document.reach``), and the one question asked of it:
does it hold any of these (``overlaps``)?

On PostgreSQL it is a ``bigint[]`` (a GIN index answers ``reach && ARRAY[...]`` together with
the words of a search, migration 0005); on SQLite a JSON list (``json_each``), for the small
installations and the tests. The numbers are kept sorted and without repeats."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Lookup


def as_ids(values: Iterable[Any] | None) -> list[int]:
    return sorted({int(v) for v in values or ()})


class IdSet(models.Field):
    description = "A set of whole numbers"

    def db_type(self, connection: Any) -> str:
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value: Any) -> Any:
        return as_ids(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        ids = as_ids(value)
        return ids if connection.vendor == "postgresql" else json.dumps(ids)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[int]:
        return self.to_python(value)

    def to_python(self, value: Any) -> list[int]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = json.loads(value)
        return as_ids(value)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))


@IdSet.register_lookup
class Overlaps(Lookup):
    """``reach__overlaps=[3, 7]``: the set holds 3 or 7 (an empty list matches nothing)."""

    lookup_name = "overlaps"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = as_ids(self.rhs)
        if not ids:
            return "1 = 0", []
        marks = ", ".join(["%s"] * len(ids))
        return (f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({marks}))",
                [*params, *ids])

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} && %s::bigint[]", [*params, as_ids(self.rhs)]
