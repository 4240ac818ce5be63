from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tinhso.audit.models import AuditEvent
from tinhso.core.db import within_paths


def audit_events(
    *, action: str = "", actor: str = "", object_type: str = "", unit_paths: list[str] | None = None
) -> QuerySet[AuditEvent]:
    """Events newest first, filtered; ``unit_paths`` limits them to units in a scope."""
    qs = AuditEvent.objects.select_related("unit", "actor")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_repr__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if unit_paths is not None:
        qs = qs.filter(within_paths("unit__path", unit_paths))
    return qs


def object_history(obj: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def latest_event_id(*, excluding_prefix: str = "") -> int:
    """The id of the latest event (0 when none), leaving out the actions starting with
    ``excluding_prefix`` (the reports' own events, which change no figure)."""
    events = AuditEvent.objects.all()
    if excluding_prefix:
        events = events.exclude(action__startswith=excluding_prefix)
    return events.order_by("-id").values_list("id", flat=True).first() or 0
