"""From dossiers to indicators: publishing the counts the Decision 766 index is computed from.

The aggregate (``procedures.aggregate``) is summed per agency and year into the count indicators
of ``data/service_indicators.json`` (dossiers received, online, resolved, on time...), stored
through ``indicators.services.values_publish_computed`` as approved values with the platform as
their source. The rates are formulas over those counts, so the indicators engine gives every
unit's rate (a commune, a department, the province: sums' ratios, not averages of rates) and the
scoring engine its 766 score (``procedures.figures``). Publishing runs as a background task
after a dossier action commits, at most ``TINHSO_PUBLISH_DELAY_SECONDS`` later (the changes made
meanwhile go together); :func:`publish` can be called directly (the import command and the demo
do).

Two counts are not in the aggregate: the dossiers still open at the period's end, and those of
them late at the period's end (Decision 766, ``rules.late_at_period_end``). A dossier turns late
with no action to record it, so these are read from the open dossiers when publishing (an index
scan of one agency's open dossiers), and ``tinhso dossiers publish`` refreshes the current year
daily.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_tasks import task

from tinhso.core import batch
from tinhso.core.tasks import deferred, enqueue_with_transaction
from tinhso.indicators.selectors import units_with_values
from tinhso.indicators.services import values_publish_computed
from tinhso.procedures.catalogue import (
    agencies,
    home_unit,
    published_in_full,
    receives,
    sample_procedures,
)
from tinhso.procedures.catalogue_counts import ANNOUNCEMENT_INDICATORS, announcement_counts
from tinhso.procedures.counts766 import counts_766, procedures_paid_province
from tinhso.procedures.models import (
    Channel,
    Dossier,
    DossierStat,
    OnlineLevel,
    PendingPublication,
    Procedure,
)
from tinhso.procedures.rule_queries import late_at_period_end_q, open_at_q, open_q
from tinhso.procedures.versions import catalogue_on

# count indicator -> (aggregate column, only the online channel)
COUNT_INDICATORS: dict[str, tuple[str, bool]] = {
    "dossiers_received": ("received", False),
    "dossiers_online": ("received", True),
    "dossiers_resolved": ("resolved", False),
    "dossiers_resolved_on_time": ("resolved_on_time", False),
    "dossiers_fee_payable": ("fee_payable", False),
    "dossiers_paid_online": ("paid_online", False),
    "dossiers_digitised": ("digitised", False),
    "dossiers_reused_data": ("reused_data", False),
    "dossiers_population_data": ("population_data", False),
    "dossiers_electronic_result": ("electronic_result", False),
    "ratings_received": ("rated", False),
    "ratings_satisfied": ("satisfied", False),
}
# count indicators read from the dossiers open at the period's end: all of them, and those
# late at the period's end (Decision 766)
OPEN_INDICATORS = ("dossiers_in_progress", "dossiers_open_overdue")
ALL_COUNTS = (*COUNT_INDICATORS, *OPEN_INDICATORS)  # each traces back to its dossiers
# and the other counts of Decision 766 items (counts766): published too
# count indicators read from the catalogue (see publish_catalogue; and the 766 announcement
# counts, catalogue_counts.ANNOUNCEMENT_INDICATORS)
CATALOGUE_INDICATORS = ("procedures_total", "procedures_online", "procedures_published_in_full",
                        "procedures_fee_payable", "procedures_payment_integrated")
RATE_INDICATORS = ("online_dossiers_rate", "on_time_rate", "online_payment_rate",
                   "digitisation_rate", "electronic_result_rate", "satisfaction_rate")
CATALOGUE_RATES = ("online_services_rate", "procedures_published_rate")
SOURCE = "tỉnh số: hồ sơ một cửa"


def period_end(year: int, now: datetime | None = None) -> datetime:
    """The end of ``year`` in Vietnam's time, or now while the year runs."""
    now = now or timezone.now()
    return min(now, datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone()))


def open_counts(unit_ids: Iterable[int], year: int, now: datetime | None = None
                ) -> dict[int, dict[str, int]]:
    """unit id -> the dossiers open at the end of ``year`` and those late at the period's end
    (Decision 766) (one query)."""
    end = period_end(year, now)
    dossiers = Dossier.objects.filter(unit_id__in=sorted(set(unit_ids))).filter(open_at_q(end))
    if end < datetime(year + 1, 1, 1, tzinfo=end.tzinfo):
        dossiers = dossiers.filter(open_q())  # the same rows, by the index
    rows = dossiers.values("unit_id").annotate(
        open=Count("id"), late=Count("id", filter=late_at_period_end_q(end))).order_by()
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
    """unit id -> every count indicator -> the year's figure: the aggregate's sums, the
    dossiers open at the year's end and the other counts of Decision 766 (``counts766``)."""
    ids = sorted(set(unit_ids))
    still_open = open_counts(ids, year, now)
    more = counts_766(ids, year, period_end(year, now))
    zero = dict.fromkeys(OPEN_INDICATORS, 0)
    return {uid: {**counts, **still_open.get(uid, zero), **more[uid]}  # COUNTS_766 in more
            for uid, counts in aggregate_counts(ids, year).items()}


@transaction.atomic
def publish(unit_ids: Iterable[int], years: Iterable[int], now: datetime | None = None) -> int:
    """Write the count indicators of these agencies and years from the aggregate and the open
    dossiers (as of ``now``); returns the values written. Zero counts are written too (a unit
    whose last dossier was withdrawn)."""
    return sum(values_publish_computed(source=SOURCE, year=year,
                                       values=_with_province(year_counts(unit_ids, year, now),
                                                             year))
               for year in sorted(set(years)))


def _with_province(counts: dict[int, dict[str, int]], year: int) -> dict[int, dict[str, int]]:
    """The province's own count of procedures paid online (each procedure once), beside its
    agencies' (Decision 766 item 3.5b)."""
    home = home_unit()
    if home is not None:
        counts.setdefault(home.pk, {})["procedures_paid_online"] = procedures_paid_province(
            home.path, year)
    return counts


# --- the catalogue's figures -----------------------------------------------------------------


def _catalogue_figures(procedures: list[Procedure]) -> dict[str, int]:
    # a procedure with a fee offered online takes the fee online on this platform (the online
    # submission's payment step): this platform's reading of "integrated for online payment"
    return {"procedures_total": len(procedures),
            "procedures_online": sum(p.online_level != OnlineLevel.NONE for p in procedures),
            "procedures_published_in_full": sum(published_in_full(p) for p in procedures),
            "procedures_fee_payable": sum(p.fee_payable for p in procedures),
            "procedures_payment_integrated": sum(p.fee_payable and p.online_level !=
                                                 OnlineLevel.NONE for p in procedures)}


def _catalogue_moment(year: int | None, now: datetime) -> tuple[int, datetime]:
    """The year and the moment its catalogue is read at: now for the current year, the last
    day of a past year."""
    current = timezone.localtime(now).year
    year = year or current
    if year >= current:
        return current, now
    return year, datetime(year, 12, 31, 12, tzinfo=timezone.get_default_timezone())


def catalogue_counts(now: datetime | None = None, year: int | None = None
                     ) -> dict[int, dict[str, int]]:
    """unit id -> the procedures it implements, those offered online and those published in
    full, from the catalogue as it stood at ``year``'s end (or now: ``versions.catalogue_on``):
    each agency counts the procedures it receives dossiers of (``catalogue.receives``, the
    submission's rule), the province each procedure once (its own value, not the sum of its
    agencies', which would count a commune procedure once per commune). With them, the year's
    procedures announced and published, and on time (``catalogue_counts``, Decision 766 items
    1.1 and 1.2), when any version has its decision dated in the year."""
    home = home_unit()
    if home is None:
        return {}
    now = now or timezone.now()
    year, on = _catalogue_moment(year, now)
    # this year: the rows (the current state), streamed; a past year: its versions
    procedures: Iterable[Procedure] = (
        Procedure.objects.filter(in_force=True).order_by("pk").iterator(chunk_size=500)
        if on is now else catalogue_on(timezone.localtime(on).date()))
    units = list(agencies(on))
    counts: dict[int, dict[str, int]] = {}
    province = _catalogue_figures([])
    for procedure in procedures:  # each procedure's share added to its agencies' figures
        receivers = [unit.pk for unit in units if receives(procedure, unit, on)]
        share = _catalogue_figures([procedure]) if receivers else {}
        for unit_id in receivers:
            figures = counts.setdefault(unit_id, _catalogue_figures([]))
            for code, value in share.items():
                figures[code] += value
        for code, value in share.items():
            province[code] += value
    counts[home.pk] = province
    announced = announcement_counts(year, units, home.pk, on)
    if announced:
        zero = dict.fromkeys(ANNOUNCEMENT_INDICATORS, 0)
        for unit_id in counts.keys() | announced.keys():
            counts.setdefault(unit_id, {}).update(announced.get(unit_id, zero))
    return counts


@transaction.atomic
def publish_catalogue(now: datetime | None = None, year: int | None = None) -> int:
    """Write a year's procedure counts (by default the current year's), from the catalogue as
    it stood then (its versions). A unit that no longer implements any procedure gets zeros.
    The figures are illustrative while the catalogue holds procedures of the shipped sample,
    which is not a province's whole catalogue."""
    now = now or timezone.now()
    year, _on = _catalogue_moment(year, now)
    counts = catalogue_counts(now, year)
    written = {code for figures in counts.values() for code in figures}
    codes = [c for c in (*CATALOGUE_INDICATORS, *ANNOUNCEMENT_INDICATORS) if c in written]
    zero = dict.fromkeys(codes, 0)
    for unit_id in units_with_values(codes, str(year)):
        counts.setdefault(unit_id, zero)
    return values_publish_computed(source=SOURCE, year=year, values=counts,
                                   illustrative=sample_procedures() > 0)


# --- when to publish -------------------------------------------------------------------------


@task()
def publish_statistics(unit_ids: list[int], years: list[int]) -> int:
    """Publish what is pending for these agencies and years. Deleting the pending rows first
    waits for any transaction still holding them, so the figures read next include it; a
    change committed meanwhile waits for this one and then asks again. The deletion and the
    publication are one transaction: a run cut before the end (the worker killed, the database
    gone) leaves the pending rows, and its rerun publishes them."""
    with transaction.atomic():
        pending = PendingPublication.objects.filter(unit_id__in=unit_ids, year__in=years)
        pairs = set(pending.values_list("unit_id", "year"))
        pending.delete()
        by_year: dict[int, set[int]] = defaultdict(set)
        for unit_id, year in pairs:
            by_year[year].add(unit_id)
        return sum(publish(units, [year]) for year, units in by_year.items())


def _pending_sql(years: int) -> str:
    """One pending row per year asked (``years`` of them), each answering its count."""
    table = connection.ops.quote_name(PendingPublication._meta.db_table)
    values = ", ".join(["(%s, %s, 1)"] * years)
    return (f"INSERT INTO {table} (unit_id, year, requested) VALUES {values} "
            f"ON CONFLICT (unit_id, year) DO UPDATE SET requested = {table}.requested + 1 "
            "RETURNING year, requested")


def publish_after_commit(dossier: Dossier) -> None:
    """Ask for the publication of the dossier's agency's figures for the years it touches.
    One pending row per agency and year (locked until this transaction commits) and one task
    for it, however many dossiers change before the worker runs."""
    years = sorted({timezone.localtime(m).year for m in (
        dossier.received_at, dossier.finished_at, dossier.withdrawn_at, timezone.now()) if m})

    def asked(rows: list[dict[str, Any]]) -> None:
        fresh = sorted(row["year"] for row in rows if row["requested"] == 1)
        if fresh:  # waits TINHSO_PUBLISH_DELAY_SECONDS: a busy desk's changes go in one
            delay = float(getattr(settings, "TINHSO_PUBLISH_DELAY_SECONDS", 0))
            enqueue_with_transaction(deferred(publish_statistics, delay), [dossier.unit_id],
                                     fresh)

    # one statement: at once, or with the action's other writes (core.batch)
    batch.run(_pending_sql(len(years)), [v for year in years for v in (dossier.unit_id, year)],
              then=asked)


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
        by_year[this_year].update(Dossier.objects.filter(open_q())
                                  .values_list("unit_id", flat=True).distinct())
        written += publish_catalogue()
    for year in sorted(set(years or ()) - {this_year}):  # a past year: its own catalogue
        written += publish_catalogue(year=year)
    return written + sum(publish(units, [year]) for year, units in by_year.items() if units)
