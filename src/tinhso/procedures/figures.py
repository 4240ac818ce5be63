"""Reading the public-service figures: each unit's counts, rates and Decision 766 score, and
what is behind each figure.

The counts are the indicator values ``procedures.publication`` wrote, the rates their formulas
(the indicators engine), the score the scoring engine's over those rates
(``scoring.selectors.scores_from_indicators``). Every figure can be traced back: :func:`trace`
gives the dossiers behind a count, :func:`rate_inputs` the counts behind a rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.indicators.selectors import catalogue, compute
from tinhso.procedures.models import Channel, Dossier, DossierStat, DossierStatus, Rating
from tinhso.procedures.publication import (
    ALL_COUNTS,
    CATALOGUE_INDICATORS,
    CATALOGUE_RATES,
    RATE_INDICATORS,
    period_end,
)
from tinhso.procedures.rule_queries import finished_q, late_at_period_end_q, open_at_q
from tinhso.scoring.engine import load_framework
from tinhso.scoring.selectors import scores_from_indicators
from tinhso.units.models import Unit
from tinhso.units.selectors import units_within

FRAMEWORK_766 = "service-quality-766"


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    counts: dict[str, float | None]
    rates: dict[str, float | None]
    score_766: float | None

    @property
    def has_dossiers(self) -> bool:
        """The one rule for "this unit had dossiers in the year": received in it, resolved in
        it or still open at its end. The page's cards, its empty message, the rows of the
        units below and the 766 score all ask this."""
        return any(self.counts.get(c) for c in
                   ("dossiers_received", "dossiers_resolved", "dossiers_in_progress"))

    @property
    def on_time_counted(self) -> int:
        """The on-time rate's numerator, as the formula computes it (Decision 766): resolved
        on time, plus dossiers still open at the period's end that are not late."""
        c = self.counts
        return int((c.get("dossiers_resolved_on_time") or 0) + (c.get("dossiers_in_progress") or 0)
                   - (c.get("dossiers_open_overdue") or 0))

    @property
    def on_time_base(self) -> int:
        """The on-time rate's denominator: dossiers resolved in the year plus those still open
        at its end."""
        c = self.counts
        return int((c.get("dossiers_resolved") or 0) + (c.get("dossiers_in_progress") or 0))


def service_figures(root: Unit, year: int, on: date | None = None) -> list[UnitFigures]:
    """The year's counts and rates for ``root`` then each unit directly below it (valid on
    ``on``), with each one's Decision 766 score (a fixed number of queries)."""
    on = on or timezone.localdate()
    period = str(year)
    units = [root, *root.children.valid_on(on).order_by("level", "name")]
    counted = (*ALL_COUNTS, *CATALOGUE_INDICATORS)
    rated = (*RATE_INDICATORS, *CATALOGUE_RATES)
    framework = load_framework(FRAMEWORK_766)
    computed = compute(codes=[*counted, *rated, *framework.inputs], periods=[period], root=root)
    scored = scores_from_indicators(framework, units, period, root=root, computed=computed)
    out = []
    for position, unit in enumerate(units):
        counts = {c: computed.value(c, unit, period) for c in counted}
        rates = {c: computed.value(c, unit, period) for c in rated}
        figures = UnitFigures(unit, counts, rates, None)
        if figures.has_dossiers:
            figures = UnitFigures(unit, counts, rates, float(scored.scores.points[position]))
        out.append(figures)
    return out


@dataclass(frozen=True)
class Month:
    """One month of a unit's dossiers: received (and online) by month of receipt, resolved
    and resolved on time by month of decision."""

    month: date
    received: int
    online: int
    resolved: int
    on_time: int


def monthly_trend(root: Unit, year: int, today: date | None = None) -> list[Month]:
    """The months of ``year`` for ``root`` and every unit below it, from the aggregate (one
    GROUP BY query; months without dossiers are zeros; the current year stops at this month)."""
    today = today or timezone.localdate()
    last = today.month if year == today.year else (0 if year > today.year else 12)
    rows = (DossierStat.objects.filter(unit__path__startswith=root.path, month__year=year)
            .values("month").order_by("month")
            .annotate(n_received=Sum("received"),
                      n_online=Sum("received", filter=Q(channel=Channel.ONLINE)),
                      n_resolved=Sum("resolved"), n_on_time=Sum("resolved_on_time")))
    found = {row["month"]: row for row in rows}
    months = []
    for number in range(1, last + 1):
        first = date(year, number, 1)
        row = found.get(first, {})
        months.append(Month(first, *(int(row.get(f"n_{c}") or 0)
                                     for c in ("received", "online", "resolved", "on_time"))))
    return months


def months_chart(months: list[Month]) -> dict[str, object]:
    """The monthly trend as the chart script reads it (web/static/web/charts.js)."""
    return {
        "labels": [f"{m.month.month:02d}/{m.month.year}" for m in months],
        "series": [
            {"label": _("Received"), "values": [m.received for m in months]},
            {"label": _("Submitted online"), "values": [m.online for m in months]},
            {"label": _("Resolved on time"), "values": [m.on_time for m in months]},
        ],
    }


def illustrative_dossiers(year: int, within: Unit | None = None) -> int:
    """How many dossiers received in ``year`` (at ``within`` and below) are illustrative."""
    qs = Dossier.objects.filter(is_illustrative=True, received_at__year=year)
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    return qs.count()


def trace(code: str, unit: Unit, year: int, now: datetime | None = None) -> QuerySet[Dossier]:
    """The dossiers behind a count indicator for ``unit`` (and the units below) in ``year``."""
    if code not in ALL_COUNTS:
        raise KeyError(code)
    qs = Dossier.objects.filter(unit__path__startswith=unit.path).select_related(
        "procedure", "unit")
    received = Q(received_at__year=year)
    resolved = finished_q() & Q(finished_at__year=year)
    end = period_end(year, now)
    filters = {
        "dossiers_received": received,
        "dossiers_online": received & Q(channel=Channel.ONLINE),
        "dossiers_resolved": resolved,
        "dossiers_resolved_on_time": resolved & Q(on_time=True),
        "dossiers_fee_payable": received & Q(fee_payable=True),
        "dossiers_paid_online": received & Q(paid_online=True),
        "dossiers_digitised": received & Q(digitised=True),
        "dossiers_reused_data": received & Q(reused_data=True),
        "dossiers_population_data": received & Q(population_data=True),
        "dossiers_electronic_result": resolved & Q(electronic_result=True)
        & ~Q(status=DossierStatus.REFUSED),
        "ratings_received": Q(rating__at__year=year),
        "ratings_satisfied": Q(rating__at__year=year,
                               rating__level__gte=Rating.Level.ACCEPTABLE),
        "dossiers_in_progress": open_at_q(end),
        "dossiers_open_overdue": open_at_q(end) & late_at_period_end_q(end),
    }
    return qs.filter(filters[code]).order_by("received_at", "code")


def rate_inputs(code: str) -> tuple[str, ...]:
    """The count indicators a rate is computed from, in the order its formula names them."""
    names = re.findall(r"[a-z_][a-z0-9_]*", catalogue().get(code=code).formula)
    return tuple(dict.fromkeys(n for n in names if n in ALL_COUNTS))


@dataclass(frozen=True)
class UnitMonth:
    """One receiving unit's month, from the aggregate (the open data's dossier statistics)."""

    unit: Unit
    month: date
    received: int
    online: int
    resolved: int
    on_time: int


def monthly_by_unit(root: Unit) -> list[UnitMonth]:
    """Each unit below ``root`` and each month it had dossiers in, from the aggregate (one
    GROUP BY query and one for the units; never a dossier)."""
    rows = list(DossierStat.objects.filter(unit__path__startswith=root.path)
                .values("unit_id", "month").order_by("month")
                .annotate(n_received=Sum("received"),
                          n_online=Sum("received", filter=Q(channel=Channel.ONLINE)),
                          n_resolved=Sum("resolved"), n_on_time=Sum("resolved_on_time")))
    units = units_within(root).in_bulk({r["unit_id"] for r in rows})
    out = [UnitMonth(units[r["unit_id"]], r["month"],
                     *(int(r[f"n_{c}"] or 0) for c in ("received", "online", "resolved",
                                                       "on_time")))
           for r in rows]
    return sorted(out, key=lambda m: (m.unit.path, m.month))


def statistics_years() -> list[int]:
    """The years the aggregate holds dossiers of, latest first."""
    return sorted({d.year for d in DossierStat.objects.dates("month", "year")}, reverse=True)
