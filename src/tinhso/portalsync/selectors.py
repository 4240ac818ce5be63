"""What the synchronisation pages read: each agency's updates (acknowledged this year,
waiting, failing) and this year's Decision 766 rate, the failing updates with their error, and
one dossier's updates. Scoped to the agencies whose dossiers the user sees at the desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from tinhso.accounts.permissions import scope_paths
from tinhso.portalsync.counts import synchronised_counts
from tinhso.portalsync.models import EventSync
from tinhso.procedures.selectors import dossiers_received, event_label
from tinhso.units.selectors import all_units, unit_ids_within

VIEW = "dossiers.view"


@dataclass(frozen=True)
class AgencyState:
    unit: Any
    sent: int  # updates of this year's dossiers acknowledged by the portal
    waiting: int  # updates not yet sent (any year)
    failing: int  # updates whose last attempt failed (any year)
    synchronised: int  # this year's dossiers that count (Decision 766)
    received: int  # this year's dossiers received (the rate's denominator)

    @property
    def rate(self) -> float | None:
        """synchronised / received × 100 (the indicator's formula); None without dossiers."""
        return self.synchronised * 100 / self.received if self.received else None


def _scope(user: Any) -> list[int] | None:
    """The agencies whose dossiers ``user`` sees at the desk (None: all)."""
    paths = scope_paths(user, VIEW)
    return None if paths is None else unit_ids_within(paths)


def _scoped(scope: list[int] | None) -> QuerySet[EventSync]:
    rows = EventSync.objects.all()
    return rows if scope is None else rows.filter(unit_id__in=scope)


def agency_states(user: Any, year: int) -> list[AgencyState]:
    """One line per agency in the user's scope with updates or dossiers this year, by name (a
    fixed number of queries)."""
    scope = _scope(user)
    rows = _scoped(scope)
    waiting = {r["unit_id"]: r for r in rows.filter(acknowledged_at__isnull=True)
               .values("unit_id").annotate(
                   waiting=Count("id", filter=Q(attempts=0)),
                   failing=Count("id", filter=Q(attempts__gt=0))).order_by()}
    sent = dict(rows.filter(year=year, acknowledged_at__isnull=False).values("unit_id")
                .annotate(n=Count("id")).values_list("unit_id", "n").order_by())
    received = dossiers_received(year, scope)
    ids = set(waiting) | set(sent) | set(received)
    counted = synchronised_counts(ids, year)
    by_id = {u.pk: u for u in all_units().filter(pk__in=sorted(ids))}
    states = [AgencyState(unit=by_id[uid], sent=sent.get(uid, 0),
                          waiting=waiting.get(uid, {}).get("waiting", 0),
                          failing=waiting.get(uid, {}).get("failing", 0),
                          synchronised=counted.get(uid, 0), received=received.get(uid, 0))
              for uid in ids if uid in by_id]
    return sorted(states, key=lambda s: str(s.unit.name))


@dataclass(frozen=True)
class UpdateLine:
    row: EventSync
    label: str  # the event's name, translated


def failing_updates(user: Any, limit: int = 50) -> list[UpdateLine]:
    """The updates whose last attempt failed, oldest first, with their error."""
    return [UpdateLine(row=r, label=event_label(str(r.payload.get("action", ""))))
            for r in _scoped(_scope(user)).filter(acknowledged_at__isnull=True, attempts__gt=0)
            .order_by("event_id")[:limit]]


def dossier_updates(dossier_id: int) -> list[UpdateLine]:
    """One dossier's updates, in the order of its events."""
    return [UpdateLine(row=r, label=event_label(str(r.payload.get("action", ""))))
            for r in EventSync.objects.filter(dossier_id=dossier_id).order_by("event_id")]
