"""Writing the outbox: each public dossier event gets its :class:`EventSync` row in the
transaction that writes the event (``record``, registered with
``procedures.services.listen_to_events``), so an update exists if and only if its action
committed, and none is lost between the commit and the sending, whatever order concurrent
transactions commit in (no "last id sent" cursor: each event has its own row). After the
commit the sender is woken (``sending.wake``). Events written without the services (the
demo's bulk dossiers, events from before this app) are found by an anti-join and given their
row by :func:`backfill` (``tinhso portalsync send`` runs it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from tinhso.core.batch import save_new
from tinhso.portalsync.models import EventSync
from tinhso.portalsync.sending import wake
from tinhso.procedures.selectors import events_without

if TYPE_CHECKING:
    from tinhso.procedures.models import DossierEvent

BACKFILL_BATCH = 2000


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def payload(event: DossierEvent) -> dict[str, Any]:
    """What the portal is told of one event: the dossier, its procedure (the national
    database's code when it has one), its agency, and its state after the event (no name,
    phone, form or file of the applicant)."""
    dossier = event.dossier
    procedure = dossier.procedure
    return {
        "dossier": dossier.code, "procedure": procedure.national_code or procedure.code,
        "agency": dossier.unit.code, "channel": dossier.channel, "action": event.action,
        "status": event.status, "at": _iso(event.at), "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at), "finished_at": _iso(dossier.finished_at),
        "returned_at": _iso(dossier.returned_at), "on_time": dossier.on_time,
    }


def _row(event: DossierEvent) -> EventSync:
    dossier = event.dossier
    return EventSync(event=event, dossier_id=dossier.pk, unit_id=dossier.unit_id,
                     year=timezone.localtime(dossier.received_at).year,
                     happened_at=event.at, payload=payload(event))


def record(event: DossierEvent) -> None:
    """The event's update, written in the event's transaction; the sender is woken after the
    commit (robust: the action has committed whatever happens there; an update left waiting is
    sent by the next run)."""
    save_new(_row(event))  # at once, or with the action's batch (core.batch)
    transaction.on_commit(wake, robust=True)


def backfill(limit: int | None = None) -> int:
    """Give every event without an update its update (oldest first); returns how many."""
    written = 0
    while limit is None or written < limit:
        size = BACKFILL_BATCH if limit is None else min(BACKFILL_BATCH, limit - written)
        events = list(events_without(EventSync.objects.all())[:size])
        if not events:
            break
        with transaction.atomic():  # an event given its row meanwhile is skipped
            EventSync.objects.bulk_create([_row(e) for e in events], ignore_conflicts=True)
        written += len(events)
        if len(events) < size:
            break
    return written
