"""From dossiers to indicators and the Decision 766 index.

The aggregate (``procedures.stats``) is summed per agency and year into the count indicators
of ``data/service_indicators.json`` (dossiers received, online, resolved, on time...), stored
as approved values with the platform as their source. The rates are formulas over those counts,
so the indicators engine gives every unit's rate (a commune, a department, the province: sums'
ratios, not averages of rates) and the scoring engine its 766 score. Publishing runs as a
background task after a dossier action commits, at most ``TINHSO_PUBLISH_DELAY_SECONDS`` later
(the changes made meanwhile go together); :func:`publish` can be called directly (the import
command and the demo do).

Two counts are not in the aggregate: the dossiers still open at the period's end, and those of
them already late (Decision 766: a dossier open at the period's end is on time if not yet past
its due time, the supplement waits not counted; more than one supplement request is late). A
dossier turns late with no action to record it, so these are read from the open dossiers when
publishing (an index scan of one agency's open dossiers), and ``tinhso dossiers publish``
refreshes the current year daily.

Every figure can be traced back: :func:`trace` gives the dossiers behind a count, and the counts
behind a rate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django_tasks import task

from tinhso.core.tasks import deferred, enqueue_with_transaction
from tinhso.procedures.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Channel,
    Dossier,
    DossierStat,
    DossierStatus,
    OnlineLevel,
    PendingPublication,
    Procedure,
    Rating,
)
from tinhso.units.models import Unit

# count indicator -> (aggregate column, only the online channel)
COUNT_INDICATORS: dict[str, tuple[str, bool]] = {
    "dossiers_received": ("received", False),
    "dossiers_online": ("received", True),
    "dossiers_resolved": ("resolved", False),
    "dossiers_resolved_on_time": ("resolved_on_time", False),
    "dossiers_fee_payable": ("fee_payable", False),
    "dossiers_paid_online": ("paid_online", False),
    "dossiers_digitised": ("digitised", False),
    "dossiers_electronic_result": ("electronic_result", False),
    "ratings_received": ("rated", False),
    "ratings_satisfied": ("satisfied", False),
}
# count indicator read from the dossiers open at the period's end (see above)
OPEN_INDICATORS = ("dossiers_in_progress", "dossiers_open_overdue")
ALL_COUNTS = (*COUNT_INDICATORS, *OPEN_INDICATORS)
# count indicators read from the catalogue (see publish_catalogue)
CATALOGUE_INDICATORS = ("procedures_total", "procedures_online", "procedures_published_in_full")
RATE_INDICATORS = ("online_dossiers_rate", "on_time_rate", "online_payment_rate",
                   "digitisation_rate", "electronic_result_rate", "satisfaction_rate")
CATALOGUE_RATES = ("online_services_rate", "procedures_published_rate")
SOURCE = "tỉnh số: hồ sơ một cửa"


def period_end(year: int, now: datetime | None = None) -> datetime:
    """The end of ``year`` in Vietnam's time, or now while the year runs."""
    now = now or timezone.now()
    return min(now, datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone()))


def open_at(end: datetime) -> Q:
    """Dossiers received before ``end`` and neither finished nor withdrawn by then."""
    return (Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end)))


def late_at(end: datetime) -> Q:
    """Of the dossiers open at ``end``, the late ones: past the due time with the clock running,
    paused for a supplement after the due time, or asked for a supplement more than once. (For
    a past year the due time is the last one set.)"""
    paused = Q(status=DossierStatus.SUPPLEMENT, finished_at__isnull=True)
    return (Q(supplement_count__gt=1) | (paused & Q(remaining_seconds__lt=0))
            | (~paused & Q(due_at__lt=end)))


def open_counts(unit_ids: Iterable[int], year: int, now: datetime | None = None
                ) -> dict[int, dict[str, int]]:
    """unit id -> the dossiers open at the end of ``year`` and the late ones (one query)."""
    end = period_end(year, now)
    dossiers = Dossier.objects.filter(unit_id__in=sorted(set(unit_ids))).filter(open_at(end))
    if end < datetime(year + 1, 1, 1, tzinfo=end.tzinfo):
        dossiers = dossiers.filter(status__in=OPEN_STATUSES)  # the same rows, by the index
    rows = dossiers.values("unit_id").annotate(
        open=Count("id"), late=Count("id", filter=late_at(end))).order_by()
    return {row["unit_id"]: {"dossiers_in_progress": row["open"],
                             "dossiers_open_overdue": row["late"]} for row in rows}


def aggregate_counts(unit_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """unit id -> count indicator -> the year's figure from the aggregate (one query)."""
    ids = sorted(set(unit_ids))
    sums: dict[str, Any] = {}
    for code, (column, online_only) in COUNT_INDICATORS.items():
        sums[code] = Sum(column, filter=Q(channel=Channel.ONLINE)) if online_only else Sum(column)
    rows = (DossierStat.objects.filter(unit_id__in=ids, month__year=year)
            .values("unit_id").annotate(**sums).order_by())
    found = {row["unit_id"]: {c: int(row[c] or 0) for c in COUNT_INDICATORS} for row in rows}
    return {uid: found.get(uid, dict.fromkeys(COUNT_INDICATORS, 0)) for uid in ids}


def year_counts(unit_ids: Iterable[int], year: int, now: datetime | None = None
                ) -> dict[int, dict[str, int]]:
    """unit id -> every count indicator -> the year's figure: the aggregate's sums and the
    dossiers open at the year's end (two queries)."""
    ids = sorted(set(unit_ids))
    still_open = open_counts(ids, year, now)
    zero = dict.fromkeys(OPEN_INDICATORS, 0)
    return {uid: {**counts, **still_open.get(uid, zero)}
            for uid, counts in aggregate_counts(ids, year).items()}


@transaction.atomic
def publish(unit_ids: Iterable[int], years: Iterable[int], now: datetime | None = None) -> int:
    """Write the count indicators of these agencies and years from the aggregate and the open
    dossiers (as of ``now``); returns the values written. Zero counts are written too (a unit
    whose last dossier was withdrawn)."""
    return sum(_write(ALL_COUNTS, year_counts(unit_ids, year, now), year)
               for year in sorted(set(years)))


def _write(codes: Iterable[str], counts: dict[int, dict[str, int]], year: int,
           illustrative: bool = False) -> int:
    """Store ``counts`` (unit id -> indicator code -> figure) as the year's approved values with
    the platform as their source; returns the values written or changed."""
    from tinhso.indicators.blocks import values_changed
    from tinhso.indicators.models import Indicator, IndicatorValue

    indicators = dict(Indicator.objects.filter(code__in=list(codes)).values_list("code", "pk"))
    if not indicators:
        return 0
    period = str(year)
    existing = {(v.indicator_id, v.unit_id): v for v in IndicatorValue.objects.filter(
        indicator_id__in=indicators.values(), unit_id__in=counts, period=period)}
    new, changed = [], []
    for unit_id, figures in counts.items():
        for code, pk in indicators.items():
            value = Decimal(figures[code])
            row = existing.get((pk, unit_id))
            if row is None:
                new.append(IndicatorValue(indicator_id=pk, unit_id=unit_id, period=period,
                                          period_start=date(year, 1, 1), value=value,
                                          status="approved", source=SOURCE,
                                          is_illustrative=illustrative))
            elif (row.value != value or row.status != "approved"
                  or row.is_illustrative != illustrative):
                row.value, row.status, row.source = value, "approved", SOURCE
                row.is_illustrative = illustrative
                changed.append(row)
    IndicatorValue.objects.bulk_create(new, batch_size=1000)
    IndicatorValue.objects.bulk_update(changed, ["value", "status", "source", "is_illustrative"],
                                       batch_size=1000)
    if new or changed:
        values_changed(indicators.values())
    return len(new) + len(changed)


# --- the catalogue's figures -----------------------------------------------------------------


def published_in_full(procedure: Procedure) -> bool:
    """This platform's reading of "publicly disclosed in full" (Decision 766, transparency):
    the catalogue names the time limit, the fee, the legal basis and the documents to bring,
    and an online procedure also has its electronic form."""
    return bool(procedure.time_limit.strip() and procedure.fee.strip()
                and procedure.legal_basis.strip() and procedure.required_documents
                and (procedure.online_level == OnlineLevel.NONE or procedure.form_schema))


def _catalogue_figures(procedures: list[Procedure]) -> dict[str, int]:
    return {"procedures_total": len(procedures),
            "procedures_online": sum(p.online_level != OnlineLevel.NONE for p in procedures),
            "procedures_published_in_full": sum(published_in_full(p) for p in procedures)}


def catalogue_counts(now: datetime | None = None) -> dict[int, dict[str, int]]:
    """unit id -> the procedures it implements, those offered online and those published in
    full: each agency counts the procedures it receives dossiers of (:func:`services.receives`,
    the submission's rule), the province each procedure once (its own value, not the sum of
    its agencies', which would count a commune procedure once per commune)."""
    from tinhso.procedures.services import receives

    home = Unit.objects.filter(code=settings.TINHSO_HOME_UNIT).first()
    if home is None:
        return {}
    now = now or timezone.now()
    procedures = list(Procedure.objects.order_by("pk"))
    counts: dict[int, dict[str, int]] = {}
    offered: dict[int, Procedure] = {}
    agencies = Unit.objects.within(home).valid_on(timezone.localtime(now).date()).exclude(
        pk=home.pk)
    for unit in agencies:
        mine = [p for p in procedures if receives(p, unit, now)]
        if mine:
            counts[unit.pk] = _catalogue_figures(mine)
            offered.update((p.pk, p) for p in mine)
    counts[home.pk] = _catalogue_figures(list(offered.values()))
    return counts


@transaction.atomic
def publish_catalogue(now: datetime | None = None) -> int:
    """Write the current year's procedure counts (the catalogue as it is now: it keeps no
    history, so past years keep what was written then). A unit that no longer implements any
    procedure gets zeros. The figures are illustrative while the catalogue holds procedures of
    the shipped sample, which is not a province's whole catalogue."""
    from tinhso.indicators.models import IndicatorValue
    from tinhso.procedures.selectors import sample_procedures

    now = now or timezone.now()
    year = timezone.localtime(now).year
    counts = catalogue_counts(now)
    zero = dict.fromkeys(CATALOGUE_INDICATORS, 0)
    for unit_id in IndicatorValue.objects.filter(
            indicator__code__in=CATALOGUE_INDICATORS, period=str(year)).values_list(
            "unit_id", flat=True):
        counts.setdefault(unit_id, zero)
    return _write(CATALOGUE_INDICATORS, counts, year, illustrative=sample_procedures() > 0)


@task()
def publish_statistics(unit_ids: list[int], years: list[int]) -> int:
    """Publish what is pending for these agencies and years. Deleting the pending rows first
    waits for any transaction still holding them, so the figures read next include it; a
    change committed later asks again."""
    with transaction.atomic():
        pending = PendingPublication.objects.filter(unit_id__in=unit_ids, year__in=years)
        pairs = set(pending.values_list("unit_id", "year"))
        pending.delete()
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in pairs:
        by_year[year].add(unit_id)
    return sum(publish(units, [year]) for year, units in by_year.items())


def _pending_sql() -> str:
    table = connection.ops.quote_name(PendingPublication._meta.db_table)
    return (f"INSERT INTO {table} (unit_id, year, requested) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_id, year) DO UPDATE SET requested = {table}.requested + 1 "
            "RETURNING requested")


def publish_after_commit(dossier: Dossier) -> None:
    """Ask for the publication of the dossier's agency's figures for the years it touches.
    One pending row per agency and year (locked until this transaction commits) and one task
    for it, however many dossiers change before the worker runs."""
    years = sorted({timezone.localtime(m).year for m in (
        dossier.received_at, dossier.finished_at, dossier.withdrawn_at, timezone.now()) if m})
    fresh = []
    with connection.cursor() as cursor:
        for year in years:
            cursor.execute(_pending_sql(), [dossier.unit_id, year])
            if cursor.fetchone()[0] == 1:
                fresh.append(year)
    if fresh:
        unit_ids = [dossier.unit_id]
        # waits TINHSO_PUBLISH_DELAY_SECONDS: a busy desk's changes go in one publication
        delay = float(getattr(settings, "TINHSO_PUBLISH_DELAY_SECONDS", 0))
        enqueue_with_transaction(deferred(publish_statistics, delay), unit_ids, fresh)


def publish_all(years: Collection[int] | None = None) -> int:
    """Every agency and year with dossiers (after an import or a rebuild), or only ``years``
    (the daily refresh of the current year: dossiers turn late with no action)."""
    pairs = DossierStat.objects.values_list("unit_id", "month__year").distinct()
    if years is not None:
        pairs = pairs.filter(month__year__in=list(years))
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in pairs:
        by_year[year].add(unit_id)
    # An agency whose only dossiers this year are still open from earlier years has no
    # aggregate row this year, but its open dossiers count in this year's figures.
    this_year = timezone.localdate().year
    written = 0
    if years is None or this_year in years:
        by_year[this_year].update(Dossier.objects.filter(status__in=OPEN_STATUSES)
                                  .values_list("unit_id", flat=True).distinct())
        written += publish_catalogue()
    return written + sum(publish(units, [year]) for year, units in by_year.items() if units)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    counts: dict[str, float | None]
    rates: dict[str, float | None]
    score_766: float | None


def service_figures(root: Unit, year: int, on: date | None = None) -> list[UnitFigures]:
    """The year's counts and rates for ``root`` then each unit directly below it (valid on
    ``on``), with each one's Decision 766 score (a fixed number of queries)."""
    from tinhso.indicators.selectors import compute
    from tinhso.scoring.engine import load_framework, score

    on = on or timezone.localdate()
    period = str(year)
    units = [root, *root.children.valid_on(on).order_by("level", "name")]
    counted = (*ALL_COUNTS, *CATALOGUE_INDICATORS)
    rated = (*RATE_INDICATORS, *CATALOGUE_RATES)
    codes = [*counted, *rated]
    computed = compute(codes=codes, periods=[period], root=root)
    framework = load_framework("service-quality-766")
    inputs = {code: [computed.value(code, u, period) if code in computed.matrices else None
                     for u in units] for code in framework.inputs}
    scores = score(framework, [u.code for u in units], inputs)
    out = []
    for position, unit in enumerate(units):
        counts = {c: computed.value(c, unit, period) for c in counted}
        rates = {c: computed.value(c, unit, period) for c in rated}
        has_any = bool(counts["dossiers_received"])
        out.append(UnitFigures(unit, counts, rates,
                               float(scores.points[position]) if has_any else None))
    return out


def trace(code: str, unit: Unit, year: int, now: datetime | None = None) -> QuerySet[Dossier]:
    """The dossiers behind a count indicator for ``unit`` (and the units below) in ``year``."""
    if code not in ALL_COUNTS:
        raise KeyError(code)
    qs = Dossier.objects.filter(unit__path__startswith=unit.path).select_related(
        "procedure", "unit")
    received = Q(received_at__year=year)
    resolved = Q(status__in=FINISHED_STATUSES, finished_at__year=year)
    end = period_end(year, now)
    filters = {
        "dossiers_received": received,
        "dossiers_online": received & Q(channel=Channel.ONLINE),
        "dossiers_resolved": resolved,
        "dossiers_resolved_on_time": resolved & Q(on_time=True),
        "dossiers_fee_payable": received & Q(fee_payable=True),
        "dossiers_paid_online": received & Q(paid_online=True),
        "dossiers_digitised": received & Q(digitised=True),
        "dossiers_electronic_result": resolved & Q(electronic_result=True)
        & ~Q(status=DossierStatus.REFUSED),
        "ratings_received": Q(rating__at__year=year),
        "ratings_satisfied": Q(rating__at__year=year,
                               rating__level__gte=Rating.Level.ACCEPTABLE),
        "dossiers_in_progress": open_at(end),
        "dossiers_open_overdue": open_at(end) & late_at(end),
    }
    return qs.filter(filters[code]).order_by("received_at", "code")


def rate_inputs(code: str) -> tuple[str, ...]:
    """The count indicators a rate is computed from, in the order its formula names them."""
    from tinhso.indicators.models import Indicator

    formula = Indicator.objects.get(code=code).formula
    names = re.findall(r"[a-z_][a-z0-9_]*", formula)
    return tuple(dict.fromkeys(n for n in names if n in ALL_COUNTS))
