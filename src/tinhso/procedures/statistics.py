"""From dossiers to indicators and the Decision 766 index.

The aggregate (``procedures.stats``) is summed per agency and year into the count indicators
of ``data/service_indicators.json`` (dossiers received, online, resolved, on time...), stored
as approved values with the platform as their source. The rates are formulas over those counts,
so the indicators engine gives every unit's rate (a commune, a department, the province: sums'
ratios, not averages of rates) and the scoring engine its 766 score. Publishing runs as a
background task after each dossier action commits; :func:`publish` can be called directly (the
import command and the demo do).

Every figure can be traced back: :func:`trace` gives the dossiers behind a count, and the two
counts behind a rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django_tasks import task

from tinhso.procedures.models import (
    Channel,
    Dossier,
    DossierStat,
    DossierStatus,
    PendingPublication,
    Rating,
)
from tinhso.units.models import Unit

RESOLVED = (DossierStatus.APPROVED, DossierStatus.RETURNED, DossierStatus.REFUSED)

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
RATE_INDICATORS = ("online_dossiers_rate", "on_time_rate", "online_payment_rate",
                   "digitisation_rate", "electronic_result_rate", "satisfaction_rate")
SOURCE = "tỉnh số: hồ sơ một cửa"


def year_counts(unit_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """unit id -> count indicator -> the year's figure, from the aggregate (one query)."""
    ids = sorted(set(unit_ids))
    sums: dict[str, Any] = {}
    for code, (column, online_only) in COUNT_INDICATORS.items():
        sums[code] = Sum(column, filter=Q(channel=Channel.ONLINE)) if online_only else Sum(column)
    rows = (DossierStat.objects.filter(unit_id__in=ids, month__year=year)
            .values("unit_id").annotate(**sums).order_by())
    found = {row["unit_id"]: {c: int(row[c] or 0) for c in COUNT_INDICATORS} for row in rows}
    return {uid: found.get(uid, dict.fromkeys(COUNT_INDICATORS, 0)) for uid in ids}


@transaction.atomic
def publish(unit_ids: Iterable[int], years: Iterable[int]) -> int:
    """Write the count indicators of these agencies and years from the aggregate; returns the
    values written. Zero counts are written too (a unit whose last dossier was withdrawn)."""
    from tinhso.indicators.blocks import values_changed
    from tinhso.indicators.models import Indicator, IndicatorValue

    indicators = dict(Indicator.objects.filter(code__in=COUNT_INDICATORS)
                      .values_list("code", "pk"))
    if not indicators:
        return 0
    written = 0
    for year in sorted(set(years)):
        period = str(year)
        counts = year_counts(unit_ids, year)
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
                                              status="approved", source=SOURCE))
                elif row.value != value or row.status != "approved":
                    row.value, row.status, row.source = value, "approved", SOURCE
                    changed.append(row)
        IndicatorValue.objects.bulk_create(new, batch_size=1000)
        IndicatorValue.objects.bulk_update(changed, ["value", "status", "source"],
                                           batch_size=1000)
        written += len(new) + len(changed)
    if written:
        values_changed(indicators.values())
    return written


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
        transaction.on_commit(lambda: publish_statistics.enqueue(unit_ids, fresh))


def publish_all() -> int:
    """Every agency and year with dossiers (after an import or a rebuild)."""
    pairs = DossierStat.objects.values_list("unit_id", "month__year").distinct()
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in pairs:
        by_year[year].add(unit_id)
    return sum(publish(units, [year]) for year, units in by_year.items())


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
    codes = [*COUNT_INDICATORS, *RATE_INDICATORS]
    computed = compute(codes=codes, periods=[period], root=root)
    framework = load_framework("service-quality-766")
    inputs = {code: [computed.value(code, u, period) if code in computed.matrices else None
                     for u in units] for code in framework.inputs}
    scores = score(framework, [u.code for u in units], inputs)
    out = []
    for position, unit in enumerate(units):
        counts = {c: computed.value(c, unit, period) for c in COUNT_INDICATORS}
        rates = {c: computed.value(c, unit, period) for c in RATE_INDICATORS}
        has_any = bool(counts["dossiers_received"])
        out.append(UnitFigures(unit, counts, rates,
                               float(scores.points[position]) if has_any else None))
    return out


def trace(code: str, unit: Unit, year: int) -> QuerySet[Dossier]:
    """The dossiers behind a count indicator for ``unit`` (and the units below) in ``year``."""
    if code not in COUNT_INDICATORS:
        raise KeyError(code)
    qs = Dossier.objects.filter(unit__path__startswith=unit.path).select_related(
        "procedure", "unit")
    received = Q(received_at__year=year)
    resolved = Q(status__in=RESOLVED, finished_at__year=year)
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
    }
    return qs.filter(filters[code]).order_by("received_at", "code")


def rate_parts(code: str) -> tuple[str, str]:
    """(numerator, denominator) count indicators of a rate."""
    from tinhso.indicators.formula import parse
    from tinhso.indicators.models import Indicator

    formula = Indicator.objects.get(code=code).formula
    names = [c for c in parse(formula).codes if c in COUNT_INDICATORS]
    numerator = next(c for c in names if formula.strip().startswith(c))
    denominator = next(c for c in names if c != numerator)
    return numerator, denominator
