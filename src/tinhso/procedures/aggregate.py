"""The dossier statistics' aggregate: a rebuildable table (DossierStat) the dashboards read.

Each dossier contributes counts to (agency, procedure, month, channel) rows: received and its
flags in the month it was received; resolved (approved, returned or refused), on time and with
an electronic result in the month it was resolved; withdrawn in the month it was withdrawn; its
rating in the month it was rated. Every dossier action applies the difference between the
dossier's contribution before and after, in the same transaction (:func:`apply_change`);
:func:`rebuild` recomputes the whole table from the dossiers with a few GROUP BY queries, and
both must agree (a test checks it). ``procedures.publication`` sums it into indicators.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tinhso.procedures.models import Dossier, DossierStat, DossierStatus, Rating
from tinhso.procedures.rule_queries import finished_q
from tinhso.procedures.rules import is_finished

COUNTS = ("received", "resolved", "resolved_on_time", "refused", "withdrawn", "fee_payable",
          "paid_online", "digitised", "reused_data", "population_data", "electronic_result",
          "rated", "satisfied")

Key = tuple[int, int, date, str]  # unit id, procedure id, first day of the month, channel


def month_of(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


@dataclass(frozen=True)
class Snapshot:
    """What of a dossier counts (taken before and after each action)."""

    unit_id: int
    procedure_id: int
    channel: str
    status: str
    received_at: datetime
    finished_at: datetime | None
    withdrawn_at: datetime | None
    on_time: bool | None
    fee_payable: bool
    paid_online: bool
    digitised: bool
    electronic_result: bool
    rated_at: datetime | None = None
    satisfied: bool = False
    reused_data: bool = False
    population_data: bool = False


def snapshot(dossier: Dossier, rating: Rating | None = None) -> Snapshot:
    return Snapshot(dossier.unit_id, dossier.procedure_id, dossier.channel, dossier.status,
                    dossier.received_at, dossier.finished_at, dossier.withdrawn_at,
                    dossier.on_time, dossier.fee_payable, dossier.paid_online, dossier.digitised,
                    dossier.electronic_result, rating.at if rating else None,
                    bool(rating and rating.satisfied), dossier.reused_data,
                    dossier.population_data)


def contribution(s: Snapshot) -> dict[Key, Counter[str]]:
    out: dict[Key, Counter[str]] = defaultdict(Counter)
    base = (s.unit_id, s.procedure_id)
    got = out[(*base, month_of(s.received_at), s.channel)]
    got["received"] += 1
    got["fee_payable"] += s.fee_payable
    got["paid_online"] += s.paid_online
    got["digitised"] += s.digitised
    got["reused_data"] += s.reused_data
    got["population_data"] += s.population_data
    if is_finished(s.status) and s.finished_at is not None:
        done = out[(*base, month_of(s.finished_at), s.channel)]
        done["resolved"] += 1
        done["resolved_on_time"] += bool(s.on_time)
        done["refused"] += s.status == DossierStatus.REFUSED
        done["electronic_result"] += s.electronic_result and s.status != DossierStatus.REFUSED
    if s.status == DossierStatus.WITHDRAWN and s.withdrawn_at is not None:
        out[(*base, month_of(s.withdrawn_at), s.channel)]["withdrawn"] += 1
    if s.rated_at is not None:
        rated = out[(*base, month_of(s.rated_at), s.channel)]
        rated["rated"] += 1
        rated["satisfied"] += s.satisfied
    return out


def difference(before: Snapshot | None, after: Snapshot | None) -> dict[Key, Counter[str]]:
    delta: dict[Key, Counter[str]] = defaultdict(Counter)
    for key, counts in (contribution(after) if after else {}).items():
        delta[key].update(counts)
    for key, counts in (contribution(before) if before else {}).items():
        delta[key].subtract(counts)
    return {k: c for k, c in delta.items() if any(c.values())}


def _upsert_sql() -> str:
    table = connection.ops.quote_name(DossierStat._meta.db_table)
    columns = ", ".join(COUNTS)
    marks = ", ".join(["%s"] * (4 + len(COUNTS)))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
    return (f"INSERT INTO {table} (unit_id, procedure_id, month, channel, {columns}) "
            f"VALUES ({marks}) ON CONFLICT (unit_id, procedure_id, month, channel) "
            f"DO UPDATE SET {updates}")


def apply(delta: dict[Key, Counter[str]]) -> None:
    """Add ``delta`` to the aggregate (in sorted key order, so concurrent writers queue rather
    than deadlock)."""
    if not delta:
        return
    rows: list[tuple[Any, ...]] = [(*key, *(int(delta[key][c]) for c in COUNTS))
                                   for key in sorted(delta)]
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)


def apply_change(before: Snapshot | None, after: Snapshot | None) -> None:
    apply(difference(before, after))


def _grouped(qs: QuerySet[Dossier], moment: str, counts: Mapping[str, Any]
             ) -> Iterable[tuple[Key, dict[str, int]]]:
    rows = (qs.annotate(m=TruncMonth(moment)).values("unit_id", "procedure_id", "m", "channel")
            .annotate(**counts).order_by())
    for row in rows:
        month = row["m"]
        month = month.date() if isinstance(month, datetime) else month
        yield ((row["unit_id"], row["procedure_id"], month, row["channel"]),
               {c: int(row[c] or 0) for c in counts})


@transaction.atomic
def rebuild(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Recompute the aggregate from the dossiers (all of them when ``dossiers`` is None;
    otherwise only the rows of the agencies those dossiers belong to); returns the rows
    written."""
    qs = dossiers if dossiers is not None else Dossier.objects.all()
    stale = DossierStat.objects.all()
    if dossiers is not None:
        unit_ids = list(qs.order_by().values_list("unit_id", flat=True).distinct())
        stale = stale.filter(unit_id__in=unit_ids)
        qs = Dossier.objects.filter(unit_id__in=unit_ids)
    stale.delete()
    totals: dict[Key, Counter[str]] = defaultdict(Counter)
    one = Count("id")
    parts = [
        (qs, "received_at", {"received": one,
                             "fee_payable": Count("id", filter=Q(fee_payable=True)),
                             "paid_online": Count("id", filter=Q(paid_online=True)),
                             "digitised": Count("id", filter=Q(digitised=True)),
                             "reused_data": Count("id", filter=Q(reused_data=True)),
                             "population_data": Count("id", filter=Q(population_data=True))}),
        (qs.filter(finished_q(), finished_at__isnull=False), "finished_at", {
            "resolved": one,
            "resolved_on_time": Count("id", filter=Q(on_time=True)),
            "refused": Count("id", filter=Q(status=DossierStatus.REFUSED)),
            "electronic_result": Count("id", filter=Q(electronic_result=True)
                                       & ~Q(status=DossierStatus.REFUSED))}),
        (qs.filter(status=DossierStatus.WITHDRAWN, withdrawn_at__isnull=False), "withdrawn_at",
         {"withdrawn": one}),
        (qs.filter(rating__isnull=False), "rating__at", {
            "rated": one,
            "satisfied": Count("id", filter=Q(rating__level__gte=Rating.Level.ACCEPTABLE))}),
    ]
    for part_qs, moment, counts in parts:
        for key, values in _grouped(part_qs, moment, counts):
            totals[key].update(values)
    DossierStat.objects.bulk_create(
        [DossierStat(unit_id=k[0], procedure_id=k[1], month=k[2], channel=k[3],
                     **{c: totals[k][c] for c in COUNTS}) for k in sorted(totals)],
        batch_size=2000)
    return len(totals)


def totals(qs: QuerySet[DossierStat]) -> dict[str, int]:
    """Sums of every count over ``qs``."""
    got = qs.aggregate(**{c: Sum(c) for c in COUNTS})
    return {c: int(got[c] or 0) for c in COUNTS}
