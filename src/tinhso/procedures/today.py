"""What needs a person today, from the one-stop side: the desk's counts with its first overdue
and due-today dossiers (``queues``' rules), and what is asked of an applicant account: dossiers
waiting for its supplement, results ready to collect, ratings it may still give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from tinhso.procedures import workflow
from tinhso.procedures.models import Dossier, DossierStatus
from tinhso.procedures.queues import QueueCounts, QueueFilter, queue, queue_counts
from tinhso.procedures.selectors import applicant_dossiers

FIRST = 5  # how many of each list a landing page shows


@dataclass(frozen=True)
class DeskToday:
    counts: QueueCounts
    overdue: list[Dossier]
    due_today: list[Dossier]
    waiting: list[Dossier]  # every open dossier, the earliest due first


def desk_today(user: Any, now: datetime | None = None, first: int = FIRST) -> DeskToday:
    """The desk's counts and its first overdue, due-today and open dossiers (four
    queries)."""
    now = now or timezone.now()
    return DeskToday(
        counts=queue_counts(user, now=now),
        overdue=list(queue(user, QueueFilter(mark="overdue"), now=now)[:first]),
        due_today=list(queue(user, QueueFilter(mark="today"), now=now)[:first]),
        waiting=list(queue(user, now=now)[:first]))


@dataclass(frozen=True)
class ApplicantToday:
    supplement: list[Dossier]  # waiting for the applicant's supplement
    results: list[Dossier]  # resolved, the result ready to collect
    to_rate: list[Dossier]  # finished, not rated yet
    counts: dict[str, int]  # the three lists' full sizes, and "open"


def applicant_today(account: Any, first: int = FIRST) -> ApplicantToday:
    """What is asked of an applicant account now (four queries): the dossiers waiting for its
    supplement, the results ready to collect, the finished dossiers it may still rate
    (``workflow``'s "rate": a finished dossier, once)."""
    mine = applicant_dossiers(account)
    supplement_q = Q(status=DossierStatus.SUPPLEMENT)
    results_q = Q(status=DossierStatus.APPROVED)
    rate_q = Q(status__in=workflow.FINISHED, rating__isnull=True)
    counts = mine.order_by().aggregate(
        supplement=Count("pk", filter=supplement_q), results=Count("pk", filter=results_q),
        to_rate=Count("pk", filter=rate_q),
        open=Count("pk", filter=Q(status__in=workflow.OPEN)))
    return ApplicantToday(
        supplement=list(mine.filter(supplement_q)[:first]),
        results=list(mine.filter(results_q)[:first]),
        to_rate=list(mine.filter(rate_q)[:first]), counts=counts)
