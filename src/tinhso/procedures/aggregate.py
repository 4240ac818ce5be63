"""The dossier statistics' aggregate: a rebuildable table (DossierStat) the dashboards read.

Each dossier contributes counts to (agency, procedure, month, channel) rows: received and its
flags in the month it was received; resolved (approved, returned or refused), on time and with
an electronic result in the month it was resolved; withdrawn in the month it was withdrawn; its
rating in the month it was rated. Every dossier action applies the difference between the
dossier's contribution before and after, in the same transaction (:func:`apply_change`);
:func:`rebuild` recomputes the table set-wise in the database, in one SELECT that states
:func:`contribution` as query expressions (from the same ``rule_queries``): the dossiers grouped
by agency, procedure, channel and one integer key of their months (received, and resolved or
withdrawn), summed in parallel workers on PostgreSQL, those groups unfolded into their months
and summed again with the ratings' counts. Both must agree (tests/procedures/test_aggregate.py
compares the rebuild with the summed contributions, month boundaries at local midnight
included); :func:`add` adds the contributions of new dossiers (an import's) with the same
SELECT. ``procedures.publication`` sums it into indicators.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from tinhso.core import batch
from tinhso.procedures import aggregate_write
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


# The rebuild (:func:`rebuild`). Each dossier's months are one integer key: its month of receipt
# * MONTHS + its month of decision or withdrawal (0 if none), months numbered year * 12 + month - 1
# (:func:`month_number`).
MONTHS = 2 ** 20

# Its counts by the month they fall in (a part of :func:`contribution`), each a condition on the
# rows of :func:`_dossier_rows` (None: every row), the month's number and which groups have it.
# ``kind``: 1 finished (but not refused), 2 refused, 3 withdrawn, 0 none of these.
RECEIVED = {"received": None, "fee_payable": "fee_payable", "paid_online": "paid_online",
            "digitised": "digitised", "reused_data": "reused_data",
            "population_data": "population_data"}
RESOLVED = {"resolved": "kind IN (1, 2)", "resolved_on_time": "kind IN (1, 2) AND on_time",
            "refused": "kind = 2", "electronic_result": "kind = 1 AND electronic_result"}
WITHDRAWN = {"withdrawn": "kind = 3"}
RATED = {"rated": "ratings", "satisfied": "satisfied_ratings"}  # columns of _rated_rows
assert sorted([*RECEIVED, *RESOLVED, *WITHDRAWN, *RATED]) == sorted(COUNTS)


def month_number(month: date) -> int:
    return month.year * 12 + month.month - 1


class _MonthIndex(Func):
    """PostgreSQL: the number (:func:`month_number`) of a moment's month in the current time
    zone, found in the local month starts ``starts`` (computed in Python by
    :func:`month_starts`, as :func:`month_of` does) with ``width_bucket``, a binary search over
    instants: many times cheaper per row than converting each moment to local time. Only for
    moments within the starts (see :func:`_month_number`)."""

    output_field = IntegerField()

    def __init__(self, moment: str, starts: list[datetime]) -> None:
        super().__init__(F(moment))
        self.starts = starts

    def as_sql(self, compiler: Any, connection: Any, function: str | None = None,
               template: str | None = None, arg_joiner: str | None = None,
               **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        before = month_number(month_of(self.starts[0])) - 1
        return f"({before} + width_bucket({sql}, %s::timestamptz[]))", [*params, self.starts]


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


def _month_number(moment: str, starts: list[datetime] | None) -> Any:
    """The number of ``moment``'s month in the current time zone, the province's
    (:func:`month_of`), null for no moment: from its year and month (``AT TIME ZONE`` on
    PostgreSQL, Django's date functions on SQLite); on PostgreSQL, moments within ``starts``
    through :class:`_MonthIndex`."""
    exact = Cast(ExtractYear(moment) * 12 + ExtractMonth(moment) - 1, IntegerField())
    if not starts:
        return exact
    within = Q(**{f"{moment}__gte": starts[0], f"{moment}__lt": starts[-1]})
    return Case(When(within, then=_MonthIndex(moment, starts)), default=exact,
                output_field=IntegerField())


def _dossier_rows(dossiers: QuerySet[Dossier], starts: list[datetime] | None
                  ) -> QuerySet[Dossier, Any]:
    """A row per dossier: its agency, procedure, channel, ``months`` key, ``kind`` and flags.

    On PostgreSQL also ``clock_timestamp()``, read by no one: a volatile column keeps this
    SELECT a subquery of its own under the GROUP BY of :func:`_rebuild_select`, whose key then
    counts for the planner as a few hundred thousand groups (not as many as dossiers), so it
    is summed in parallel workers (partial aggregation), each dossier's kind computed once."""
    finished, withdrawn = finished_q(), withdrawn_q()
    kind = Case(When(finished & Q(status=DossierStatus.REFUSED), then=2), When(finished, then=1),
                When(withdrawn, then=3), default=0, output_field=IntegerField())
    decided = Case(When(withdrawn, then=_month_number("withdrawn_at", starts)),
                   default=_month_number("finished_at", starts), output_field=IntegerField())
    months = (Cast(_month_number("received_at", starts), BigIntegerField()) * MONTHS
              + Coalesce(decided, 0))
    extra: dict[str, Any] = {"kind": kind, "months": months}
    if connection.vendor == "postgresql":
        extra["fence"] = Func(function="clock_timestamp", output_field=DateTimeField())
    return dossiers.order_by().values(
        "unit_id", "procedure_id", "channel", "fee_payable", "paid_online", "digitised",
        "reused_data", "population_data", "on_time", "electronic_result", **extra)


def _rated_rows(ratings: QuerySet[Rating], starts: list[datetime] | None
                ) -> QuerySet[Rating, dict[str, Any]]:
    """The ratings counted per agency, procedure, channel and month's number, from the ratings
    alone: each carries its dossier's key (rating_keys)."""
    return ratings.order_by().values(
        unit_id=F("dossier_unit_id"), procedure_id=F("dossier_procedure_id"),
        channel=F("dossier_channel"), month=_month_number("at", starts),
    ).annotate(ratings=Count("pk"),
               satisfied_ratings=Count("pk", filter=Q(level__gte=Rating.Level.ACCEPTABLE)))


def _month_date(number: str) -> str:
    """SQL: the first day of the month numbered ``number`` (SQL too)."""
    if connection.vendor == "postgresql":
        return (f"make_date(({number} / 12)::integer, ({number} - {number} / 12 * 12 + 1)"
                f"::integer, 1)")
    return f"date('0000-01-01', '+' || ({number}) || ' months')"


def _counted(condition: str | None) -> str:
    if condition is None:
        return "COUNT(*)"
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


def _rebuild_select(dossiers: QuerySet[Dossier], ratings: QuerySet[Rating],
                    starts: list[datetime] | None = None) -> tuple[str, tuple[Any, ...]]:
    """:func:`contribution` summed over ``dossiers`` and ``ratings`` in one SELECT ... GROUP BY
    unit_id, procedure_id, month, channel (the columns of :data:`COUNTS` after those): the
    dossiers grouped by their ``months`` key (a few per agency, procedure, channel and month),
    those groups unfolded into their parts (UNION ALL, with the ratings' counts) and summed by
    month number (integer sums; the month's date made once per row of the result)."""
    quote = connection.ops.quote_name
    rows, row_params = _dossier_rows(dossiers, starts).query.get_compiler(
        connection=connection).as_sql()
    rated, rated_params = _rated_rows(ratings, starts).query.get_compiler(
        connection=connection).as_sql()
    fine_counts = {**RECEIVED, **RESOLVED, **WITHDRAWN}
    fine = ("SELECT unit_id, procedure_id, channel, months, "
            + ", ".join(f"{_counted(c)} AS {quote(n)}" for n, c in fine_counts.items())
            + f" FROM ({rows}) dossier_rows GROUP BY unit_id, procedure_id, channel, months")
    decided = f"(months - months / {MONTHS} * {MONTHS})"
    parts: list[tuple[str, str, dict[str, str], str]] = [  # source, month, counts (their columns)
        ("fine", f"months / {MONTHS}", {c: c for c in RECEIVED}, "1 = 1"),
        ("fine", decided, {c: c for c in RESOLVED}, f"{decided} <> 0 AND {quote('resolved')} > 0"),
        ("fine", decided, {c: c for c in WITHDRAWN},
         f"{decided} <> 0 AND {quote('withdrawn')} > 0"),
        ("rated", "month", RATED, "month IS NOT NULL")]
    selects = []
    for source, number, counts, where in parts:
        # integers (SUM over bigint keeps a wider state per group on PostgreSQL)
        columns = ", ".join(f"{f'CAST({quote(counts[c])} AS integer)' if c in counts else 0} "
                            f"AS {quote(c)}" for c in COUNTS)
        selects.append(f"SELECT unit_id, procedure_id, {number} AS month_number, channel, "
                       f"{columns} FROM {source} WHERE {where}")
    sums = ", ".join(f"SUM({quote(c)}) AS {quote(c)}" for c in COUNTS)
    sql = (f"WITH fine AS ({fine}), rated AS ({rated}) "
           f"SELECT unit_id, procedure_id, {_month_date('month_number')} AS month, channel, "
           f"{', '.join(quote(c) for c in COUNTS)} FROM ("
           f"SELECT unit_id, procedure_id, month_number, channel, {sums} "
           f"FROM ({' UNION ALL '.join(selects)}) parts "
           f"GROUP BY unit_id, procedure_id, month_number, channel) summed")
    return sql, (*row_params, *rated_params)


def _starts() -> list[datetime] | None:
    """PostgreSQL: the local month starts from the first dossier's month to a year ahead
    (:class:`_MonthIndex`); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    return month_starts(first, timezone.now() + timedelta(days=366)) if first else None


@transaction.atomic
def rebuild(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Recompute the aggregate from the dossiers (all of them when ``dossiers`` is None;
    otherwise only the rows of the agencies those dossiers belong to), set-wise in the database,
    in one transaction: the rows of :func:`_rebuild_select` put in place of the stale ones
    (``aggregate_write.replace``); returns the rows of the rebuilt aggregate."""
    source, ratings = Dossier.objects.all(), Rating.objects.all()
    stale = DossierStat.objects.all()
    if dossiers is not None:
        unit_ids = list(dossiers.order_by().values_list("unit_id", flat=True).distinct())
        stale = stale.filter(unit_id__in=unit_ids)
        source = source.filter(unit_id__in=unit_ids)
        ratings = ratings.filter(dossier_unit_id__in=unit_ids)
    return aggregate_write.replace(stale, *_rebuild_select(source, ratings, _starts()), COUNTS)


@transaction.atomic
def add(dossiers: QuerySet[Dossier], ratings: QuerySet[Rating] | None = None) -> int:
    """Adds the contributions of ``dossiers`` and of their ratings (``ratings``, when the
    caller can say them more cheaply than "of those dossiers") to the aggregate, set-wise in the
    database (``aggregate_write.write``): for dossiers counted nowhere yet (those an import has just
    written), whose agencies' other dossiers need no rereading. Returns the aggregate rows
    written or added to."""
    if ratings is None:
        ratings = Rating.objects.filter(dossier__in=dossiers.order_by().values("pk"))
    return aggregate_write.write(*_rebuild_select(dossiers, ratings, _starts()), COUNTS,
                                 add=True)


def totals(qs: QuerySet[DossierStat]) -> dict[str, int]:
    """Sums of every count over ``qs``."""
    got = qs.aggregate(**{c: Sum(c) for c in COUNTS})
    return {c: int(got[c] or 0) for c in COUNTS}
