"""The Decision 766 input: per agency and year, the dossiers synchronised with the national
portal (``dossiers_synchronised``; its rate is the indicator ``dossiers_synchronised_rate``,
a formula over the dossiers received), published as approved computed values through
``indicators.services.values_publish_computed``, as ``procedures.publication`` publishes the
other dossier counts. A dossier counts in the year it was received when it has events and
each of them was acknowledged by the portal within ``TINHSO_PORTAL_REAL_TIME_SECONDS``
(``rules.dossier_synchronised``; :func:`not_in_time_q` is its query form). While no connector
is switched on nothing is published: the item has no source, not zero."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q

from tinhso.indicators.selectors import units_with_values
from tinhso.indicators.services import values_publish_computed
from tinhso.portalsync.connectors import enabled
from tinhso.portalsync.models import EventSync
from tinhso.procedures.selectors import dossiers_received

CODE = "dossiers_synchronised"
SOURCE = "tỉnh số: đồng bộ Cổng Dịch vụ công quốc gia"


def threshold() -> timedelta:
    """How soon after an event the portal must have it for the dossier to count."""
    return timedelta(seconds=float(getattr(settings, "TINHSO_PORTAL_REAL_TIME_SECONDS", 3600)))


def not_in_time_q(limit: timedelta) -> Q:
    """The updates that keep their dossier from counting (``rules.in_time`` is false): not
    acknowledged, or acknowledged later than ``limit`` after the event."""
    return Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=F("happened_at") + limit)


def synchronised_counts(unit_ids: Iterable[int], year: int) -> dict[int, int]:
    """agency id -> its dossiers received in ``year`` that count as synchronised (one query);
    every agency asked for is there, 0 when none."""
    ids = sorted(set(unit_ids))
    rows = (EventSync.objects.filter(unit_id__in=ids, year=year).values("unit_id")
            .annotate(dossiers=Count("dossier_id", distinct=True),
                      late=Count("dossier_id", distinct=True,
                                 filter=not_in_time_q(threshold())))
            .order_by())
    found = {row["unit_id"]: row["dossiers"] - row["late"] for row in rows}
    return {uid: found.get(uid, 0) for uid in ids}


@transaction.atomic
def publish(unit_ids: Iterable[int], year: int) -> int:
    """Write ``dossiers_synchronised`` for these agencies and year; returns the values written
    or changed (none while synchronisation is off)."""
    if enabled() is None:
        return 0
    counts = synchronised_counts(unit_ids, year)
    return values_publish_computed(source=SOURCE, year=year,
                                   values={uid: {CODE: n} for uid, n in counts.items()})


def publish_all(years: Collection[int]) -> int:
    """Every agency with dossiers received, updates or a published count in these years."""
    written = 0
    for year in sorted(set(years)):
        units = set(dossiers_received(year))
        units.update(EventSync.objects.filter(year=year).values_list("unit_id", flat=True)
                     .distinct())
        units.update(units_with_values([CODE], str(year)))
        written += publish(units, year) if units else 0
    return written
