"""Small database helpers shared by the domains."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, str]:
    """Create the row matching ``lookup`` or bring it to ``values``, writing only on a change.

    Returns the row and 'created', 'updated' or 'same', so that loaders can be run again and
    again and say truthfully whether they changed anything.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return obj, "same"
    for field in changed:
        setattr(obj, field, values[field])
    obj.full_clean()
    obj.save()
    return obj, "updated"


def bound_cursor(connection: Any) -> Any:
    """A cursor for a statement run again and again on a hot path: on PostgreSQL one whose
    parameters travel apart from the text, so the statement is prepared once per connection
    (``core.pgbackend``); elsewhere Django's cursor."""
    make = getattr(connection, "bound_cursor", None)
    return make() if make is not None else connection.cursor()


def within_paths(field: str, paths: list[str]) -> Q:
    """Rows whose unit path (``field``) lies within any of ``paths`` (a role's scope)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition
