"""The rules of ``procedures.rules`` as query expressions on dossiers, for lists and counts.

Each function here states one predicate of ``rules`` for the database; a test checks both forms
agree on generated dossiers (tests/procedures/test_rules.py). Change a rule in both places.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from tinhso.procedures.feedback_models import Complaint
from tinhso.procedures.workflow import FINISHED, OPEN, SUPPLEMENT, WITHDRAWN


def open_q() -> Q:
    return Q(status__in=OPEN)


def finished_q() -> Q:
    return Q(status__in=FINISHED)


def overdue_q(now: datetime) -> Q:
    """rules.is_overdue."""
    running = Q(paused_at__isnull=True, due_at__lt=now)
    stopped = Q(paused_at__isnull=False, remaining_seconds__lt=0)
    return open_q() & (running | stopped)


def due_today_q(now: datetime, end_of_today: datetime) -> Q:
    """rules.is_due_today."""
    return open_q() & Q(paused_at__isnull=True, due_at__gte=now, due_at__lt=end_of_today)


def end_of_today(now: datetime) -> datetime:
    """Midnight after ``now`` in the platform's time zone (what "due today" is due before)."""
    local = timezone.localtime(now)
    return datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)


def open_at_q(end: datetime) -> Q:
    """Dossiers received before ``end`` and neither finished nor withdrawn by then."""
    return (Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end)))


def late_at_period_end_q(end: datetime) -> Q:
    """rules.late_at_period_end, of the dossiers open at ``end`` (for a past year the due time
    is the last one set)."""
    paused = Q(status=SUPPLEMENT, finished_at__isnull=True)
    return (Q(supplement_count__gt=1) | (paused & Q(remaining_seconds__lt=0))
            | (~paused & Q(due_at__lt=end)))


def feedback_on_time_q(end: datetime) -> Q:
    """rules.feedback_on_time, of feedback (Complaint) sent before ``end``."""
    answered = Q(answered_at__isnull=False, answered_at__lt=end)
    return (answered & Q(answered_at__lte=F("due_at"))) | (~answered & Q(due_at__gte=end))


def unsatisfactory_q(end: datetime) -> Q:
    """rules.unsatisfactory, of dossiers received before ``end`` (a dossier withdrawn before
    ``end`` is neither late nor open)."""
    dissatisfied = Q(rating__level__lt=3)  # Rating.Level.ACCEPTABLE
    feedback = Q(Exists(Complaint.objects.filter(dossier=OuterRef("pk"))))
    resolved_late = Q(finished_at__lt=end, on_time=False)
    return dissatisfied | feedback | resolved_late | (open_at_q(end) & late_at_period_end_q(end))


def withdrawn_q() -> Q:
    return Q(status=WITHDRAWN)
