"""Each rule about a dossier's time, written once. Pure Python: no Django.

The pages, the API, the desk, the import and the statistics ask these predicates about one
dossier; ``procedures.rule_queries`` states the same rules as query expressions, and a test
checks that the two agree on generated dossiers.

- **Open**: received, processing, or waiting for the applicant's supplement.
- **Overdue** (the one word the desk, the applicant's page, the look-up and the API show): open
  and past its due time. While the clock is stopped for a supplement the due time does not
  pass; a dossier that was already past it when the clock stopped stays overdue (its kept
  remaining working time is negative).
- **Due today**: open, the clock running, not overdue, due before the end of today.
- **On time** (Decision 766/QĐ-TTg, on resolution): finished by its due time, with at most one
  supplement request.
- **Late at a period's end** (Decision 766, for the statistics only): a dossier still open at the
  period's end counts late when it is past its due time with the clock running, paused for a
  supplement after its due time, or asked for a supplement more than once. This is the
  decision's rule, not the desk's word: a dossier asked twice may be "not overdue" at the desk
  and still count late in the index.
- **Remaining working time**: the working time from now to the due time, negative when past it.
- **Feedback handled on time** (Decision 766 item 5.2): answered by its due time
  (``FEEDBACK_WORKING_DAYS`` working days after it was sent), or not answered at the period's
  end and not yet due then.
- **Unsatisfactory dossier** (item 5.4): rated dissatisfied, with feedback about it, or late
  (resolved late by the period's end, or open and late at it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from tinhso.core.workdays import WorkCalendar
from tinhso.procedures.workflow import FINISHED, SUPPLEMENT, is_open


class DossierTimes(Protocol):
    """What the rules read of a dossier (the model has these fields)."""

    status: str
    due_at: datetime
    paused_at: datetime | None
    remaining_seconds: int | None
    supplement_count: int


def is_finished(status: str) -> bool:
    """Resolved: approved, its result returned, or refused."""
    return status in FINISHED


def clock_stopped(dossier: DossierTimes) -> bool:
    """Waiting for the applicant: the due time does not pass meanwhile."""
    return dossier.paused_at is not None


def is_overdue(dossier: DossierTimes, now: datetime) -> bool:
    """Open and past its due time (see the module's text)."""
    if not is_open(dossier.status):
        return False
    if clock_stopped(dossier):
        return (dossier.remaining_seconds or 0) < 0
    return dossier.due_at < now


def is_due_today(dossier: DossierTimes, now: datetime, end_of_today: datetime) -> bool:
    """Open, the clock running, not yet overdue, due before ``end_of_today``."""
    return (is_open(dossier.status) and not clock_stopped(dossier)
            and now <= dossier.due_at < end_of_today)


def on_time(finished_at: datetime, due_at: datetime, supplement_count: int) -> bool:
    """Decision 766: resolved by the due time, with at most one supplement request."""
    return finished_at <= due_at and supplement_count <= 1


def late_at_period_end(dossier: DossierTimes, end: datetime) -> bool:
    """Decision 766, of a dossier open at ``end``: past its due time with the clock running,
    paused for a supplement after its due time, or asked for a supplement more than once."""
    if dossier.supplement_count > 1:
        return True
    if dossier.status == SUPPLEMENT:
        return (dossier.remaining_seconds or 0) < 0
    return dossier.due_at < end


FEEDBACK_WORKING_DAYS = 10  # the time to handle feedback (Decree 20/2008/NĐ-CP, art. 15)


def feedback_on_time(due_at: datetime, answered_at: datetime | None, end: datetime) -> bool:
    """Decision 766 item 5.2, of feedback sent before ``end`` (see the module's text)."""
    if answered_at is not None and answered_at < end:
        return answered_at <= due_at
    return due_at >= end


def unsatisfactory(dossier: DossierTimes, *, on_time_flag: bool | None,
                   finished_at: datetime | None, withdrawn_at: datetime | None,
                   dissatisfied: bool, has_feedback: bool, end: datetime) -> bool:
    """Decision 766 item 5.4, of a dossier received before ``end``: rated dissatisfied, with
    feedback about it, resolved late by ``end``, or open at ``end`` and late then."""
    if dissatisfied or has_feedback:
        return True
    if finished_at is not None and finished_at < end:
        return on_time_flag is False
    if withdrawn_at is not None and withdrawn_at < end:
        return False
    return late_at_period_end(dossier, end)


def remaining_working_time(calendar: WorkCalendar, at: datetime, due: datetime) -> timedelta:
    """The working time from ``at`` to ``due``; negative (the working time since) when past."""
    if at <= due:
        return calendar.working_time_between(at, due)
    return -calendar.working_time_between(due, at)


def lateness(dossier: DossierTimes, on_time_flag: bool | None, now: datetime) -> str:
    """The one word a page shows: 'overdue' (open, see :func:`is_overdue`), 'late' (resolved
    after its due time or asked twice: not on time), or ''."""
    if is_open(dossier.status):
        return "overdue" if is_overdue(dossier, now) else ""
    return "late" if on_time_flag is False else ""
