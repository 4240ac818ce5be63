"""The counts of Decision 766 items that the aggregate's sums do not give, read from the
records when publishing (``publication.year_counts``), for agencies and a year:

- dossiers of procedures offered fully online, and those of them received online (item DVCTT);
- procedures whose dossiers were paid online at least once in the year (item 3.5b);
- feedback (``Complaint``) sent in the year, by its handling unit: all of it, about regulations
  and procedures (5.1), handled on time (5.2, ``rules.feedback_on_time``), whose submitter said
  whether the handling satisfied them and those satisfied (5.3);
- dossiers received in the year that count against satisfaction (5.4, ``rules.unsatisfactory``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Q, Sum

from tinhso.procedures.feedback_models import Complaint
from tinhso.procedures.models import Channel, Dossier, DossierStat, OnlineLevel
from tinhso.procedures.rule_queries import feedback_on_time_q, unsatisfactory_q

FEEDBACK_COUNTS = ("feedback_received", "feedback_about_procedures", "feedback_on_time",
                   "feedback_rated", "feedback_satisfied")
COUNTS_766 = ("dossiers_full_online_eligible", "dossiers_full_online", "procedures_paid_online",
              *FEEDBACK_COUNTS, "dossiers_unsatisfactory")


def _full_online(ids: list[int], year: int) -> dict[int, dict[str, int]]:
    full = DossierStat.objects.filter(unit_id__in=ids, month__year=year,
                                      procedure__online_level=OnlineLevel.FULL)
    rows = full.values("unit_id").annotate(
        eligible=Sum("received"),
        online=Sum("received", filter=Q(channel=Channel.ONLINE))).order_by()
    return {r["unit_id"]: {"dossiers_full_online_eligible": int(r["eligible"] or 0),
                           "dossiers_full_online": int(r["online"] or 0)} for r in rows}


def _paid_procedures(ids: list[int], year: int) -> dict[int, int]:
    rows = (DossierStat.objects.filter(unit_id__in=ids, month__year=year, paid_online__gt=0)
            .values("unit_id").annotate(n=Count("procedure_id", distinct=True)).order_by())
    return {r["unit_id"]: int(r["n"]) for r in rows}


def procedures_paid_province(home_path: str, year: int) -> int:
    """The procedures paid online at least once in ``year`` anywhere in the province: each
    procedure once (the sum of its agencies' would count a procedure once per commune)."""
    return (DossierStat.objects.filter(unit__path__startswith=home_path, month__year=year,
                                       paid_online__gt=0)
            .values("procedure_id").distinct().count())


def _feedback(ids: list[int], year: int, end: datetime) -> dict[int, dict[str, int]]:
    rows = (Complaint.objects.filter(handling_unit_id__in=ids, at__year=year, at__lt=end)
            .values("handling_unit_id").annotate(
                feedback_received=Count("id"),
                feedback_about_procedures=Count("id", filter=Q(
                    category=Complaint.Category.PROCEDURE)),
                feedback_on_time=Count("id", filter=feedback_on_time_q(end)),
                feedback_rated=Count("id", filter=Q(satisfied__isnull=False)),
                feedback_satisfied=Count("id", filter=Q(satisfied=True))).order_by())
    return {r["handling_unit_id"]: {c: int(r[c]) for c in FEEDBACK_COUNTS} for r in rows}


def _unsatisfactory(ids: list[int], year: int, end: datetime) -> dict[int, int]:
    rows = (Dossier.objects.filter(unit_id__in=ids, received_at__year=year, received_at__lt=end)
            .filter(unsatisfactory_q(end)).values("unit_id")
            .annotate(n=Count("id", distinct=True)).order_by())
    return {r["unit_id"]: int(r["n"]) for r in rows}


def counts_766(unit_ids: Iterable[int], year: int, end: datetime) -> dict[int, dict[str, int]]:
    """unit id -> each count of ``COUNTS_766`` for ``year`` as of ``end`` (five queries)."""
    ids = sorted(set(unit_ids))
    full, paid = _full_online(ids, year), _paid_procedures(ids, year)
    feedback, bad = _feedback(ids, year, end), _unsatisfactory(ids, year, end)
    out = {}
    for uid in ids:
        got = dict.fromkeys(COUNTS_766, 0)
        got.update(full.get(uid, {}))
        got.update(feedback.get(uid, {}))
        got["procedures_paid_online"] = paid.get(uid, 0)
        got["dossiers_unsatisfactory"] = bad.get(uid, 0)
        out[uid] = got
    return out
