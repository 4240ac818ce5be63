"""The officers' actions on a dossier. Each one takes its rules from the workflow registry
(``procedures.workflow``: the statuses it may start from, where it leads, the permission it
needs), runs in one transaction with the dossier row locked, records its public event and its
audit event, updates the statistics aggregate and queues the applicant's notification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.audit.services import audit_record
from tinhso.core.uploads import check_upload
from tinhso.procedures import aggregate, audit_events, rules, workflow
from tinhso.procedures.models import ApologyLetter, Dossier, FileKind, Rating
from tinhso.procedures.notifications import notify
from tinhso.procedures.publication import publish_after_commit
from tinhso.procedures.selectors import event_label
from tinhso.procedures.services.base import (
    calendar_for,
    label,
    lock,
    now_local,
    reason_given,
    record_event,
    require_act,
    store_file,
)
from tinhso.units.models import Unit

# The audit event each workflow action records.
AUDIT_EVENTS = {
    "assign": audit_events.DOSSIER_ASSIGNED,
    "request_supplement": audit_events.DOSSIER_SUPPLEMENT_REQUESTED,
    "answer_supplement": audit_events.DOSSIER_SUPPLEMENT_ANSWERED,
    "resume": audit_events.DOSSIER_RESUMED,
    "approve": audit_events.DOSSIER_APPROVED,
    "refuse": audit_events.DOSSIER_REFUSED,
    "return_result": audit_events.DOSSIER_RESULT_RETURNED,
    "withdraw": audit_events.DOSSIER_WITHDRAWN,
    "apologise": audit_events.DOSSIER_APOLOGISED,
}

Change = Callable[[Dossier, datetime], None]


def transition(*, actor: Any, dossier: Dossier, action: str, now: datetime | None,
               note: str = "", change: Change | None = None,
               details: dict[str, Any] | None = None, actor_label: str | None = None
               ) -> Dossier:
    """Lock, check, change, record: the common shape of every dossier action. Staff actions
    need their registered permission; the applicant's are checked by their service."""
    spec = workflow.action(action)
    locked = lock(dossier)
    if spec.by == workflow.STAFF and spec.permission is not None:
        require_act(actor, spec.permission, locked)
    at = now_local(now)
    try:
        new_status = workflow.next_status(action, locked.status)
    except workflow.TransitionError as exc:
        raise ValidationError({"status": [
            _("%(action)s is not possible: dossier %(code)s is %(status)s.")
            % {"action": event_label(action), "code": locked.code,
               "status": locked.get_status_display()}]}) from exc
    rating = Rating.objects.filter(dossier=locked).first()
    before = aggregate.snapshot(locked, rating)
    locked.status = new_status
    if change is not None:
        change(locked, at)
    locked.save()
    record_event(locked, action, actor, at, note, actor_label)
    audit_record(actor=actor, action=AUDIT_EVENTS[action], obj=locked, unit=locked.unit,
                 details={"status": new_status, **({"note": note} if note else {}),
                          **(details or {})}, actor_label=actor_label)
    aggregate.apply_change(before, aggregate.snapshot(locked, rating))
    publish_after_commit(locked)
    dossier.__dict__.update({k: v for k, v in locked.__dict__.items()
                             if not k.startswith("_")})
    return locked


@transaction.atomic
def dossier_assign(*, actor: Any, dossier: Dossier, unit: Unit, officer: Any = None,
                   note: str = "", now: datetime | None = None) -> Dossier:
    if officer is not None and not may(officer, "dossiers.process", unit):
        raise ValidationError({"officer": [_("%(officer)s does not process dossiers at "
                                             "%(unit)s.") % {"officer": label(officer),
                                                             "unit": unit.name}]})

    def change(d: Dossier, at: datetime) -> None:
        d.assigned_unit = unit
        d.assigned_to = officer

    return transition(actor=actor, dossier=dossier, action="assign", now=now, note=note,
                      change=change, details={"unit": unit.code,
                                              "officer": getattr(officer, "username", None)})


@transaction.atomic
def dossier_request_supplement(*, actor: Any, dossier: Dossier, reason: str,
                               now: datetime | None = None) -> Dossier:
    """Ask the applicant for more; the clock stops with the working time left kept."""
    reason = reason_given(reason)

    def change(d: Dossier, at: datetime) -> None:
        left = rules.remaining_working_time(calendar_for(at), at, d.due_at)
        d.paused_at = at
        d.remaining_seconds = int(left.total_seconds())
        d.supplement_count += 1

    done = transition(actor=actor, dossier=dossier, action="request_supplement", now=now,
                      note=reason, change=change)
    notify(dossier=done, subject=_("Dossier %(code)s: please supplement") % {"code": done.code},
           body=_("The agency asks you to supplement dossier %(code)s: %(reason)s")
           % {"code": done.code, "reason": reason})
    return done


def restart_clock(d: Dossier, at: datetime) -> None:
    """The clock runs again with the working time that was left (none left: due time kept)."""
    left = timedelta(seconds=d.remaining_seconds or 0)
    if left > timedelta(0):
        d.due_at = calendar_for(at).add_working_time(at, left)
    d.paused_at = None
    d.remaining_seconds = None


@transaction.atomic
def dossier_resume(*, actor: Any, dossier: Dossier, note: str = "",
                   now: datetime | None = None) -> Dossier:
    """The officer restarts the clock (the applicant answered at the desk, say)."""
    return transition(actor=actor, dossier=dossier, action="resume", now=now, note=note,
                      change=restart_clock)


def _finish(d: Dossier, at: datetime) -> None:
    d.finished_at = at
    d.on_time = rules.on_time(at, d.due_at, d.supplement_count)


def _apologise_if_late(actor: Any, dossier: Dossier, at: datetime) -> None:
    if dossier.on_time is False and not dossier.apologies.exists():
        letter = ApologyLetter.objects.create(
            dossier=dossier, issued_at=at, signed_by=label(actor) or dossier.unit.name,
            reason=_("The dossier was resolved after its due date (%(due)s).")
            % {"due": f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"})
        record_event(dossier, "apologise", actor, at, letter.reason)


@transaction.atomic
def dossier_approve(*, actor: Any, dossier: Dossier, note: str = "",
                    now: datetime | None = None) -> Dossier:
    done = transition(actor=actor, dossier=dossier, action="approve", now=now, note=note,
                      change=_finish)
    _apologise_if_late(actor, done, done.finished_at or now_local(now))
    notify(dossier=done, subject=_("Dossier %(code)s resolved") % {"code": done.code},
           body=_("Dossier %(code)s has been resolved; the result is ready.")
           % {"code": done.code})
    return done


@transaction.atomic
def dossier_refuse(*, actor: Any, dossier: Dossier, reason: str,
                   now: datetime | None = None) -> Dossier:
    reason = reason_given(reason)

    def change(d: Dossier, at: datetime) -> None:
        _finish(d, at)
        d.refusal_reason = reason
        d.paused_at = d.remaining_seconds = None

    done = transition(actor=actor, dossier=dossier, action="refuse", now=now, note=reason,
                      change=change)
    notify(dossier=done, subject=_("Dossier %(code)s refused") % {"code": done.code},
           body=_("Dossier %(code)s was refused: %(reason)s") % {"code": done.code,
                                                                  "reason": reason})
    return done


@transaction.atomic
def dossier_return_result(*, actor: Any, dossier: Dossier, result: UploadedFile | None = None,
                          now: datetime | None = None) -> Dossier:
    """Hand over the result: an electronic file the applicant downloads, or on paper."""
    if result is not None:
        check_upload(result)

    def change(d: Dossier, at: datetime) -> None:
        d.returned_at = at
        d.electronic_result = result is not None

    done = transition(actor=actor, dossier=dossier, action="return_result", now=now,
                      change=change, details={"electronic": result is not None})
    if result is not None:
        store_file(done, FileKind.RESULT, result)
    return done


@transaction.atomic
def dossier_withdraw(*, actor: Any, dossier: Dossier, reason: str,
                     now: datetime | None = None) -> Dossier:
    """Record that the applicant withdrew the dossier (asked in writing or at the desk)."""
    reason = reason_given(reason)

    def change(d: Dossier, at: datetime) -> None:
        d.withdrawn_at = at
        d.paused_at = d.remaining_seconds = None

    return transition(actor=actor, dossier=dossier, action="withdraw", now=now, note=reason,
                      change=change)


@transaction.atomic
def dossier_apologise(*, actor: Any, dossier: Dossier, reason: str, new_due_at: datetime,
                      now: datetime | None = None) -> ApologyLetter:
    """The apology letter with a new appointment, for a dossier that is or will be late."""
    reason = reason_given(reason)
    at = now_local(now)
    if not rules.lateness(dossier, dossier.on_time, at):
        raise ValidationError(_("Dossier %(code)s is on time: there is nothing to apologise "
                                "for.") % {"code": dossier.code})
    if new_due_at <= at:
        raise ValidationError({"new_due_at": [_("The new appointment must be in the future.")]})
    transition(actor=actor, dossier=dossier, action="apologise", now=at, note=reason,
               details={"new_due_at": new_due_at.isoformat()})
    letter = ApologyLetter.objects.create(dossier=dossier, issued_at=at, reason=reason,
                                          new_due_at=new_due_at, signed_by=label(actor))
    notify(dossier=dossier, subject=_("Dossier %(code)s: apology and new appointment")
           % {"code": dossier.code},
           body=_("We apologise: dossier %(code)s will be late (%(reason)s). New appointment: "
                  "%(due)s.") % {"code": dossier.code, "reason": reason,
                                 "due": f"{timezone.localtime(new_due_at):%H:%M %d/%m/%Y}"})
    return letter
