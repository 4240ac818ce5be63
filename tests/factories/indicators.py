"""Indicators."""

from __future__ import annotations

import factory

from tinhso.indicators.models import Indicator, Measure, PeriodType


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu thử {n}")
    measure = Measure.PERCENT
    period_type = PeriodType.YEAR
