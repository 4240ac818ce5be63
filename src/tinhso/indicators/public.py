"""Reads of the values that may be public: approved ones only (the transparency portal and the
open data read these; ``selectors.headline_values`` and ``visible_values`` give any status)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Max, Min, QuerySet

from tinhso.indicators.models import IndicatorValue, ValueStatus


def approved_values() -> QuerySet[IndicatorValue]:
    """Every approved value with its indicator and unit."""
    return (IndicatorValue.objects.filter(status=ValueStatus.APPROVED)
            .select_related("indicator", "unit"))


def approved_span(codes: Iterable[str] | None = None) -> tuple[datetime | None, datetime | None]:
    """When the approved values (of ``codes``, or all) were first created and last changed."""
    values = IndicatorValue.objects.filter(status=ValueStatus.APPROVED)
    if codes is not None:
        values = values.filter(indicator__code__in=list(codes))
    row = values.aggregate(first=Min("created_at"), last=Max("updated_at"))
    return row["first"], row["last"]
