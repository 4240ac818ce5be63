"""Recording audit events. Called by every service function that changes data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from tinhso.audit.events import is_registered
from tinhso.audit.models import AuditEvent
from tinhso.core.batch import save_new


def _actor_repr(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "username", actor))


@dataclass(frozen=True)
class AuditRecord:
    """One event for :func:`audit_record_many`: :func:`audit_record`'s arguments. The object is
    either ``obj`` or, for rows written in bulk whose instances are not at hand, its
    ``object_type`` (``app.model``), ``object_id`` and ``object_repr``."""

    actor: Any
    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    unit: Any = None
    details: dict[str, Any] | None = None
    ip_address: str | None = None
    actor_label: str | None = None


def _check_registered(action: str) -> None:
    if not is_registered(action):
        raise ValueError(f"unregistered audit event {action!r}; register it in its app's "
                         "audit_events module")


def _event(record: AuditRecord) -> AuditEvent:
    """The unsaved event for ``record``."""
    actor, obj = record.actor, record.obj
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) is not None else None,
        actor_repr=record.actor_label or _actor_repr(actor),
        action=record.action,
        object_type=obj._meta.label_lower if obj is not None else record.object_type,
        object_id=str(obj.pk) if obj is not None else record.object_id,
        object_repr=str(obj)[:250] if obj is not None else record.object_repr[:250],
        unit=record.unit,
        details=record.details or {},
        ip_address=record.ip_address,
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one event. Call it inside the service's transaction, so both land or neither.

    ``actor`` None is the system (command line, start-up); ``actor_label`` names an actor that
    is neither a user nor the system, such as an anonymous visitor. ``action`` must be a
    registered event (``tinhso/<app>/audit_events.py``); anything else is a ValueError.
    """
    _check_registered(action)
    event = _event(AuditRecord(actor=actor, action=action, obj=obj, unit=unit, details=details,
                               ip_address=ip_address, actor_label=actor_label))
    save_new(event)  # at once, or with the action's batch (core.batch)
    return event


def audit_record_many(records: Iterable[AuditRecord]) -> list[AuditEvent]:
    """Write many events in one insert (a file import's event per row), with
    :func:`audit_record`'s rules; one unregistered action refuses them all, before any is
    written. Call it inside the service's transaction."""
    pending = list(records)
    for action in sorted({r.action for r in pending}):
        _check_registered(action)
    return AuditEvent.objects.bulk_create([_event(r) for r in pending])
