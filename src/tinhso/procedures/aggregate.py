"""The dossier statistics' aggregate: a rebuildable table (DossierStat) the dashboards read.

Each dossier contributes counts to (agency, procedure, month, channel) rows: received and its
flags in the month it was received; resolved (approved, returned or refused), on time and with
an electronic result in the month it was resolved; withdrawn in the month it was withdrawn; its
rating in the month it was rated. Every dossier action applies the difference between the
dossier's contribution before and after, in the same transaction (:func:`apply_change`);
:func:`rebuild` recomputes the table set-wise in the database: one INSERT ... SELECT whose GROUP
BY states :func:`contribution` as query expressions (:func:`_months`, from the same
``rule_queries``), and both must agree (tests/procedures/test_aggregate.py compares the rebuild
with the summed contributions, month boundaries at local midnight included).
``procedures.publication`` sums it into indicators.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, Func, Min, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from tinhso.core import batch
from tinhso.procedures.models import Dossier, DossierStat, DossierStatus, Rating
from tinhso.procedures.rule_queries import finished_q, withdrawn_q
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


def _upsert_sql(rows: int) -> str:
    """Add ``rows`` rows of counts (distinct keys) in one statement."""
    table = connection.ops.quote_name(DossierStat._meta.db_table)
    columns = ", ".join(COUNTS)
    row = "(" + ", ".join(["%s"] * (4 + len(COUNTS))) + ")"
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTS)
    return (f"INSERT INTO {table} (unit_id, procedure_id, month, channel, {columns}) "
            f"VALUES {', '.join([row] * rows)} ON CONFLICT (unit_id, procedure_id, month, "
            f"channel) DO UPDATE SET {updates}")


def apply(delta: dict[Key, Counter[str]]) -> None:
    """Add ``delta`` to the aggregate (in sorted key order, so concurrent writers queue rather
    than deadlock)."""
    if not delta:
        return
    params = [v for key in sorted(delta) for v in (*key, *(int(delta[key][c]) for c in COUNTS))]
    # one statement: at once, or with the action's other writes (core.batch)
    batch.run(_upsert_sql(len(delta)), params)


def apply_change(before: Snapshot | None, after: Snapshot | None) -> None:
    apply(difference(before, after))


# The month each count falls in (a column of :func:`_months`), and the counts of that month: the
# parts of :func:`contribution`, for :func:`rebuild`.
PARTS: dict[str, tuple[str, ...]] = {
    "received_month": ("received", "fee_payable", "paid_online", "digitised", "reused_data",
                       "population_data"),
    "resolved_month": ("resolved", "resolved_on_time", "refused", "electronic_result"),
    "withdrawn_month": ("withdrawn",),
    "rated_month": ("rated", "satisfied"),
}
assert sorted(c for part in PARTS.values() for c in part) == sorted(COUNTS)


class _MonthOf(Func):
    """PostgreSQL: the first day of a moment's month in the current time zone, found in the local
    month starts ``starts`` (computed in Python by :func:`month_starts`, as :func:`month_of`
    does) with ``width_bucket``, a binary search over instants: many times cheaper per row than
    converting each moment to local time. Only for moments within the starts (see
    :func:`_month`)."""

    output_field = DateField()

    def __init__(self, moment: str, starts: list[datetime]) -> None:
        super().__init__(F(moment))
        self.starts = starts

    def as_sql(self, compiler: Any, connection: Any, function: str | None = None,
               template: str | None = None, arg_joiner: str | None = None,
               **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        months = [month_of(start) for start in self.starts[:-1]]
        return (f"(%s::date[])[width_bucket({sql}, %s::timestamptz[])]",
                [months, *params, self.starts])


def month_starts(first: datetime, last: datetime) -> list[datetime]:
    """The instants the local months from ``first``'s to the one after ``last``'s begin."""
    zone = timezone.get_current_timezone()
    month, end = month_of(first), month_of(last)
    starts = []
    while month <= end:
        starts.append(datetime(month.year, month.month, 1, tzinfo=zone))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    starts.append(datetime(month.year, month.month, 1, tzinfo=zone))
    return starts


def _month(moment: str, starts: list[datetime] | None) -> Any:
    """``moment``'s month in the current time zone, the province's (:func:`month_of`): TruncMonth
    (``AT TIME ZONE`` on PostgreSQL, Django's date functions on SQLite); on PostgreSQL, moments
    within ``starts`` through :class:`_MonthOf`."""
    exact = Cast(TruncMonth(moment, output_field=DateField()), DateField())
    if not starts:
        return exact
    within = Q(**{f"{moment}__gte": starts[0], f"{moment}__lt": starts[-1]})
    return Case(When(within, then=_MonthOf(moment, starts)), default=exact)


def _months(dossiers: QuerySet[Dossier], starts: list[datetime] | None = None
            ) -> QuerySet[Dossier, dict[str, Any]]:
    """:func:`contribution` as one GROUP BY over ``dossiers`` (and their ratings): a row per
    agency, procedure, channel and the months of receipt, decision, withdrawal and rating (null
    where the dossier has none), with the counts of each part (:data:`PARTS`)."""
    finished = finished_q() & Q(finished_at__isnull=False)
    withdrawn = withdrawn_q() & Q(withdrawn_at__isnull=False)
    not_refused = ~Q(status=DossierStatus.REFUSED)

    def month(moment: str, when: Q | None = None) -> Any:
        return _month(moment, starts) if when is None else Case(
            When(when, then=_month(moment, starts)))

    def count(when: Q | None = None) -> Count:
        return Count("pk", filter=when)

    return (dossiers.order_by().values(
        "unit_id", "procedure_id", "channel", received_month=month("received_at"),
        resolved_month=month("finished_at", finished),
        withdrawn_month=month("withdrawn_at", withdrawn), rated_month=month("rating__at"),
    ).annotate(
        received=count(), fee_payable=count(Q(fee_payable=True)),
        paid_online=count(Q(paid_online=True)), digitised=count(Q(digitised=True)),
        reused_data=count(Q(reused_data=True)), population_data=count(Q(population_data=True)),
        resolved=count(finished), resolved_on_time=count(finished & Q(on_time=True)),
        refused=count(finished & ~not_refused),
        electronic_result=count(finished & Q(electronic_result=True) & not_refused),
        withdrawn=count(withdrawn), rated=count(Q(rating__isnull=False)),
        satisfied=count(Q(rating__level__gte=Rating.Level.ACCEPTABLE)),
    ))


def _rebuild_sql(dossiers: QuerySet[Dossier], starts: list[datetime] | None = None
                 ) -> tuple[str, tuple[Any, ...]]:
    """One ``INSERT INTO dossierstat WITH months AS (...) SELECT ... GROUP BY``: the rows of
    :func:`_months` unfolded into one row per part (UNION ALL) and summed per key."""
    query = _months(dossiers, starts).query
    inner, params = query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    parts = []
    for moment, counts in PARTS.items():
        columns = ", ".join(quote(c) if c in counts else f"0 AS {quote(c)}" for c in COUNTS)
        parts.append(f"SELECT unit_id, procedure_id, {quote(moment)} AS month, channel, "
                     f"{columns} FROM months WHERE {quote(moment)} IS NOT NULL")
    sums = ", ".join(f"SUM({quote(c)})" for c in COUNTS)
    sql = (f"INSERT INTO {quote(DossierStat._meta.db_table)} "
           f"(unit_id, procedure_id, month, channel, {', '.join(COUNTS)}) "
           f"WITH months AS ({inner}) SELECT unit_id, procedure_id, month, channel, {sums} "
           f"FROM ({' UNION ALL '.join(parts)}) parts "
           f"GROUP BY unit_id, procedure_id, month, channel")
    return sql, tuple(params)


# PostgreSQL, for the rebuild's statement only (SET LOCAL): the planner takes the month
# expressions for as many groups as there are dossiers (the actual groups are a few per agency,
# procedure and month), so it would sort every dossier by text keys on disk; hash aggregation
# in memory instead, the scan and the join in parallel workers, and no JIT (compiling this
# statement took seconds and saved none).
PLANNER = ("jit = off", "work_mem = '256MB'", "enable_sort = off", "parallel_tuple_cost = 0")


@transaction.atomic
def rebuild(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Recompute the aggregate from the dossiers (all of them when ``dossiers`` is None;
    otherwise only the rows of the agencies those dossiers belong to), set-wise in the database:
    the stale rows deleted, then one INSERT ... SELECT ... GROUP BY (:func:`_rebuild_sql`), in
    one transaction; returns the rows written."""
    source = Dossier.objects.all()
    stale = DossierStat.objects.all()
    if dossiers is not None:
        unit_ids = list(dossiers.order_by().values_list("unit_id", flat=True).distinct())
        stale = stale.filter(unit_id__in=unit_ids)
        source = source.filter(unit_id__in=unit_ids)
    stale.delete()
    starts = None
    if connection.vendor == "postgresql":
        first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
        starts = month_starts(first, timezone.now() + timedelta(days=366)) if first else None
    sql, params = _rebuild_sql(source, starts)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in PLANNER:
                cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def totals(qs: QuerySet[DossierStat]) -> dict[str, int]:
    """Sums of every count over ``qs``."""
    got = qs.aggregate(**{c: Sum(c) for c in COUNTS})
    return {c: int(got[c] or 0) for c in COUNTS}
