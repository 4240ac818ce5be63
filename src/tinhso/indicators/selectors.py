from __future__ import annotations

from django.db.models import QuerySet

from tinhso.indicators.models import IndicatorValue
from tinhso.units.models import Unit


def headline_values(unit: Unit) -> QuerySet[IndicatorValue]:
    """The unit's values of headline indicators, in display order then period (one query)."""
    return (
        IndicatorValue.objects.filter(unit=unit, indicator__is_headline=True)
        .select_related("indicator")
        .order_by("indicator__display_order", "indicator__code", "period")
    )
