"""The names of the things the audit log records: a registry, filled by the domains.

Each domain declares its own events in ``tinhso/<app>/audit_events.py`` with
:func:`register_event`, the way it declares its actions with
``tinhso.accounts.permissions.register_action``; the audit app knows none of them by name.
``AuditConfig.ready`` imports every installed app's ``audit_events`` module, so the registry is
complete before a page lists or labels the events. Adding an event needs no migration.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

_EVENTS: dict[str, AuditEventName] = {}


class AuditEventName(str):
    """An event's code (what is stored in ``AuditEvent.action``), carrying its label."""

    label: Any

    def __new__(cls, code: str, label: Any) -> AuditEventName:
        name = super().__new__(cls, code)
        name.label = label
        return name


def _same_label(a: Any, b: Any) -> bool:
    """Compare two labels without translating them (the translations may not be ready yet)."""
    if a is b:
        return True
    if isinstance(a, Promise) and isinstance(b, Promise):
        return bool(getattr(a, "_args", a) == getattr(b, "_args", b))
    return bool(a == b)


def register_event(code: str, label: Any) -> AuditEventName:
    """Declare an event; declaring the same code again with the same label returns it."""
    if not code or len(code) > 40:
        raise ValueError(f"audit event code {code!r}: 1 to 40 characters")
    known = _EVENTS.get(code)
    if known is not None:
        if not _same_label(known.label, label):
            raise ValueError(f"audit event {code!r} is already registered with another label")
        return known
    name = AuditEventName(code, label)
    _EVENTS[code] = name
    return name


def is_registered(code: str) -> bool:
    return code in _EVENTS


def event_label(code: str) -> Any:
    """The event's label; an unknown code (an event no domain declares any more) is itself."""
    known = _EVENTS.get(code)
    return known.label if known is not None else code


def registered_events() -> list[AuditEventName]:
    """Every declared event, in the order of their codes."""
    return [_EVENTS[code] for code in sorted(_EVENTS)]
