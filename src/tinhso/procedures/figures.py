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

from django.db.models import Q, QuerySet
from django.utils import timezone

from tinhso.indicators.selectors import catalogue, compute
from tinhso.procedures.models import Channel, Dossier, DossierStatus, Rating
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

FRAMEWORK_766 = "service-quality-766"


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    counts: dict[str, float | None]
    rates: dict[str, float | None]
    score_766: float | None


def service_figures(root: Unit, year: int, on: date | None = None) -> list[UnitFigures]:
    """The year's counts and rates for ``root`` then each unit directly below it (valid on
    ``on``), with each one's Decision 766 score (a fixed number of queries)."""
    on = on or timezone.localdate()
    period = str(year)
    units = [root, *root.children.valid_on(on).order_by("level", "name")]
    counted = (*ALL_COUNTS, *CATALOGUE_INDICATORS)
    rated = (*RATE_INDICATORS, *CATALOGUE_RATES)
    computed = compute(codes=[*counted, *rated], periods=[period], root=root)
    scored = scores_from_indicators(load_framework(FRAMEWORK_766), units, period,
                                    root=root, computed=computed)
    out = []
    for position, unit in enumerate(units):
        counts = {c: computed.value(c, unit, period) for c in counted}
        rates = {c: computed.value(c, unit, period) for c in rated}
        has_any = bool(counts["dossiers_received"])
        out.append(UnitFigures(unit, counts, rates,
                               float(scored.scores.points[position]) if has_any else None))
    return out


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
