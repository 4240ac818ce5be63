"""Writes gathered during one action and sent together at its end, so that an action writing a
row in each of several tables (a dossier's event, its update for the national portal, its audit
record, its statistics delta, its publication mark, the applicant's notification) costs one
round trip to the database instead of one per row.

Inside ``with gathered():`` the writers that know of it (``save_new``, ``run``) hand their rows
and statements to the batch instead of the database; at the end of the block the batch sends
them: on PostgreSQL as one statement of data-modifying ``WITH`` queries, each new row's key
returned; elsewhere (SQLite: no round trip to save) one statement after another, in the order
they were gathered. Outside such a block the writers write at once, as before.

A new row may point at another row of the same batch (``EventSync(event=event)`` with ``event``
gathered before it): the key is filled in from the earlier row's insert. A statement whose result
the action needs (``run(sql, params, then=...)``) is given its rows, as dictionaries, once the
batch is sent, still inside the action's transaction. Rows are inserted without ``save()``, so
the rows of a model with a ``save`` of its own or a ``post_save`` listener are saved at once
instead (``batchable``).
Every row and statement is written in the caller's transaction, or none is.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.db.models.sql import InsertQuery

from tinhso.core.db import bound_cursor

Then = Callable[[list[dict[str, Any]]], None]
_CURRENT: contextvars.ContextVar[Batch | None] = contextvars.ContextVar(
    "tinhso_batch", default=None)


@dataclass
class _Statement:
    sql: str
    params: list[Any]
    then: Then | None = None


@dataclass
class Batch:
    using: str = "default"
    rows: list[models.Model] = field(default_factory=list)
    statements: list[_Statement] = field(default_factory=list)

    def add(self, obj: models.Model) -> None:
        if obj.pk is not None:
            raise ValueError(f"{obj!r} already has a key: a batch inserts new rows only")
        self.rows.append(obj)

    def send(self) -> None:
        """Write what was gathered (one statement on PostgreSQL), give each new row its key
        and each statement's ``then`` its rows."""
        if not self.rows and not self.statements:
            return
        connection = connections[self.using]
        if connection.vendor == "postgresql":
            self._send_as_one(connection)
        else:
            self._send_one_by_one(connection)
        self.rows, self.statements = [], []

    def _send_as_one(self, connection: Any) -> None:
        parts, params, results = [], [], []
        for i, obj in enumerate(self.rows):
            sql, values = _insert(obj, connection, self._reference)
            parts.append(f"tinhso_w{i} AS ({sql})")
            params += values
            results.append(f"(SELECT {_pk_column(obj, connection)} FROM tinhso_w{i})")
        for k, statement in enumerate(self.statements):
            parts.append(f"tinhso_s{k} AS ({statement.sql})")
            params += statement.params
            if statement.then is not None:
                results.append(f"(SELECT coalesce(json_agg(s), '[]') FROM tinhso_s{k} s)")
        sql = f"WITH {', '.join(parts)} SELECT {', '.join(results) or '1'}"
        with bound_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = list(cursor.fetchone())
        for obj, pk in zip(self.rows, row, strict=False):
            _saved(obj, pk, self.using)
        answers = iter(row[len(self.rows):])
        for statement in self.statements:
            if statement.then is not None:
                statement.then(next(answers))

    def _send_one_by_one(self, connection: Any) -> None:
        with connection.cursor() as cursor:
            for obj in self.rows:
                sql, values = _insert(obj, connection, _saved_key)
                cursor.execute(sql, values)
                _saved(obj, cursor.fetchone()[0], self.using)
            for statement in self.statements:
                _execute(cursor, statement)

    def _reference(self, target: models.Model, connection: Any) -> RawSQL:
        """A row gathered earlier, as its key in the one statement (PostgreSQL)."""
        for i, obj in enumerate(self.rows):
            if obj is target:
                return RawSQL(f"(SELECT {_pk_column(obj, connection)} FROM tinhso_w{i})", [])
        raise ValueError(f"{target!r} is neither saved nor gathered before the row naming it")


def _pk_column(obj: models.Model, connection: Any) -> str:
    return str(connection.ops.quote_name(obj._meta.pk.column))


def _saved_key(target: models.Model, connection: Any) -> Any:
    if target.pk is None:
        raise ValueError(f"{target!r} is neither saved nor gathered before the row naming it")
    return target.pk


def insert_sql(obj: models.Model, connection: Any, returning: tuple[str, ...] = ()
               ) -> tuple[str, list[Any]]:
    """``INSERT ... RETURNING`` the key (and the fields named in ``returning``) for ``obj``, a
    new row whose related rows are saved; a field may hold an expression (``RawSQL``)."""
    return _insert(obj, connection, _saved_key, returning)


def _insert(obj: models.Model, connection: Any,
            reference: Callable[[models.Model, Any], Any], returning: tuple[str, ...] = ()
            ) -> tuple[str, list[Any]]:
    """``INSERT ... RETURNING`` the key for ``obj``, a key of a related new row given by
    ``reference``."""
    meta = obj._meta
    relations = []
    for f in meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.is_cached(obj):
            target = f.get_cached_value(obj)
            if target is not None and target.pk is None:
                relations.append((f, target))
                obj.__dict__[f.attname] = reference(target, connection)
            elif target is not None:  # saved since it was named (earlier in the batch)
                obj.__dict__[f.attname] = target.pk
    try:
        shape = _shape(type(obj), obj.pk is not None, returning, connection)
        if shape is None:
            sql, params = _compiled(obj, connection, returning)
        else:
            sql, params = _written(obj, shape, connection, returning)
    finally:
        for f, target in relations:
            obj.__dict__[f.attname] = target.pk
    return sql, params


@dataclass(frozen=True)
class _Shape:
    """What an INSERT of a model's row says besides its values, written once per process."""

    fields: tuple[Any, ...]
    head: str  # INSERT INTO "table" ("column", ...)
    tail: str  # RETURNING ...


_SHAPES: dict[tuple[Any, ...], _Shape | None] = {}


def _shape(model: type[models.Model], with_pk: bool, returning: tuple[str, ...],
           connection: Any) -> _Shape | None:
    """The model's INSERT as Django's compiler writes it, for the rows that it writes with
    one ``%s`` a value (None, and the compiler's way, for a field with a placeholder of its
    own, such as a geometry)."""
    key = (model, with_pk, returning, connection.vendor)
    if key not in _SHAPES:
        meta = model._meta
        fields = tuple(f for f in meta.local_concrete_fields
                       if not (f is meta.auto_field and not with_pk))
        qn = connection.ops.quote_name
        tail, _ = connection.ops.return_insert_columns(
            [meta.pk, *(meta.get_field(name) for name in returning)])
        _SHAPES[key] = None if any(hasattr(f, "get_placeholder") for f in fields) else _Shape(
            fields, f"{connection.ops.insert_statement(on_conflict=None)} "
                    f"{qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)})", tail)
    return _SHAPES[key]


def _written(obj: models.Model, shape: _Shape, connection: Any, returning: tuple[str, ...]
             ) -> tuple[str, list[Any]]:
    """The statement of :func:`_compiled`, without building a query: each field's value as
    the compiler takes it (``pre_save``, then ``get_db_prep_save``), a raw SQL expression
    (a key of the batch, a code written in SQL) in its place."""
    placeholders, params = [], []
    for f in shape.fields:
        value = f.pre_save(obj, True)
        if isinstance(value, RawSQL):
            placeholders.append(f"({value.sql})")
            params += value.params
        elif hasattr(value, "resolve_expression"):  # any other expression: the compiler's way
            return _compiled(obj, connection, returning)
        else:
            placeholders.append("%s")
            params.append(f.get_db_prep_save(value, connection=connection))
    return f"{shape.head} VALUES ({', '.join(placeholders)}) {shape.tail}", params


def _compiled(obj: models.Model, connection: Any, returning: tuple[str, ...]
              ) -> tuple[str, list[Any]]:
    """``obj``'s INSERT ... RETURNING its key and ``returning``, by Django's compiler."""
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields
              if not (f is meta.auto_field and obj.pk is None)]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk, *(meta.get_field(name) for name in returning)]
    ((sql, params),) = compiler.as_sql()
    return sql, list(params)


def _saved(obj: models.Model, pk: Any, using: str) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
    for f in obj._meta.concrete_fields:  # keys of related rows saved in the same batch
        if isinstance(f, models.ForeignKey) and f.is_cached(obj):
            target = f.get_cached_value(obj)
            if target is not None:
                obj.__dict__[f.attname] = target.pk


def current() -> Batch | None:
    return _CURRENT.get()


@contextmanager
def gathered(using: str = "default") -> Iterator[Batch]:
    """Gather the writes of the block and send them at its end (nothing is sent when it
    raises). Inside another such block, the outer batch gathers them."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    batch = Batch(using)
    token = _CURRENT.set(batch)
    try:
        yield batch
    finally:
        _CURRENT.reset(token)
    batch.send()  # no longer gathering: what the answers' ``then`` write is written at once


def batchable(model: type[models.Model]) -> bool:
    """Rows of ``model`` can be inserted without ``save()``: it has no ``save`` of its own and
    no ``post_save`` listener (else they are saved at once, even inside a batch)."""
    return model.save is models.Model.save and not post_save.has_listeners(model)


def save_new(obj: models.Model) -> models.Model:
    """Insert ``obj`` (a new row): at once, or with the batch being gathered."""
    batch = _CURRENT.get()
    if batch is None or not batchable(type(obj)):
        obj.save(force_insert=True)
    else:
        batch.add(obj)
    return obj


def run(sql: str, params: list[Any], then: Then | None = None) -> None:
    """Run a data-modifying statement (``INSERT``, ``UPDATE``, ``DELETE``; with ``RETURNING``
    when ``then`` wants its rows): at once, or with the batch being gathered."""
    statement = _Statement(sql, list(params), then)
    batch = _CURRENT.get()
    if batch is not None:
        batch.statements.append(statement)
        return
    with connections["default"].cursor() as cursor:
        _execute(cursor, statement)


def _execute(cursor: Any, statement: _Statement) -> None:
    """Run one statement, and give its rows (as dictionaries) to its ``then``."""
    cursor.execute(statement.sql, statement.params)
    if statement.then is not None:
        names = [column[0] for column in cursor.description]
        statement.then([dict(zip(names, r, strict=True)) for r in cursor.fetchall()])
