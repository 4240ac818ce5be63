"""Recording audit events. Called by every service function that changes data."""

from __future__ import annotations

from typing import Any

from django.db import models

from tinhso.audit.events import is_registered
from tinhso.audit.models import AuditEvent


def _actor_repr(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "username", actor))


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
    if not is_registered(action):
        raise ValueError(f"unregistered audit event {action!r}; register it in its app's "
                         "audit_events module")
    actor_obj = actor if getattr(actor, "pk", None) is not None else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_repr=actor_label or _actor_repr(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:250] if obj is not None else "",
        unit=unit,
        details=details or {},
        ip_address=ip_address,
    )
