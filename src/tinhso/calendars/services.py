"""Changing the working-day calendar: a day set by an administrator, the shipped announcements.

The calendar itself (its models, its reading and its cache) is ``tinhso.core.calendar``; the
checked and audited writes are here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.calendars import audit_events
from tinhso.core.calendar import calendar_day_store, stored_day

if TYPE_CHECKING:
    from tinhso.core.models import CalendarDay

ANNOUNCEMENTS = Path(__file__).resolve().parent / "data" / "calendar_announcements.json"


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, kind: str, name: str, source: str = ""
                     ) -> CalendarDay:
    require(actor, "calendar.manage", None)
    row = calendar_day_store(day=day, kind=kind, name=name, source=source)
    audit_record(actor=actor, action=audit_events.CALENDAR_CHANGED, obj=row,
                 details={"day": day.isoformat(), "kind": kind, "name": name})
    return row


@transaction.atomic
def announcements_load(*, actor: Any) -> int:
    """Load the shipped announcements (idempotent); returns how many days changed."""
    require(actor, "calendar.manage", None)
    changed = 0
    for entry in json.loads(ANNOUNCEMENTS.read_text(encoding="utf-8"))["days"]:
        day = date.fromisoformat(entry["day"])
        current = stored_day(day)
        if current and (current.kind, current.name, current.source) == (
                entry["kind"], entry["name"], entry["source"]):
            continue
        calendar_day_set(actor=actor, day=day, kind=entry["kind"], name=entry["name"],
                         source=entry["source"])
        changed += 1
    return changed
