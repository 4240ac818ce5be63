"""``transparency.published``: what may be public, from factories (no demo): only approved
values, counts of people below the minimum withheld, the programme as counts by group."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import (
    DossierFactory,
    IndicatorFactory,
    UnitFactory,
    programme_document,
    programme_task,
    task_group,
)
from tinhso.indicators.models import IndicatorValue, Measure, ValueStatus
from tinhso.procedures import aggregate
from tinhso.transparency import published, published_services
from tinhso.units.models import Level

pytestmark = pytest.mark.django_db


def _value(indicator: Any, unit: Any, period: str, value: str, status: str) -> IndicatorValue:
    return IndicatorValue.objects.create(indicator=indicator, unit=unit, period=period,
                                         value=Decimal(value), status=status, source="Thử")


def test_only_approved_values_are_headline_figures_and_open_data(khanh_hoa: Any) -> None:
    rate = IndicatorFactory(code="rate_x", is_headline=True)
    for period, status in (("2021", ValueStatus.APPROVED), ("2022", ValueStatus.DRAFT),
                           ("2023", ValueStatus.SUBMITTED), ("2024", ValueStatus.RETURNED)):
        _value(rate, khanh_hoa, period, "12.5", status)
    assert [v.period for v in published.headline_figures(khanh_hoa)] == ["2021"]
    assert [r.period for r in published.indicator_values().rows] == ["2021"]


def test_a_count_of_people_below_the_minimum_is_withheld(khanh_hoa: Any, settings: Any) -> None:
    count = IndicatorFactory(code="people_x", measure=Measure.COUNT)
    commune = UnitFactory(parent=khanh_hoa, level=Level.COMMUNE)
    for period, value in (("2021", "3"), ("2022", "0"), ("2023", "5"), ("2024", "4.5")):
        _value(count, commune, period, value, ValueStatus.APPROVED)
    values = published.indicator_values()
    assert [(r.period, r.value) for r in values.rows] == [("2022", 0), ("2023", 5)]
    assert values.withheld == 2
    settings.TINHSO_PUBLIC_MIN_COUNT = 3
    assert [r.period for r in published.indicator_values().rows] == ["2021", "2022", "2023",
                                                                     "2024"]


def test_a_unit_with_three_dossiers_shows_no_count_and_no_rate(khanh_hoa: Any) -> None:
    commune = UnitFactory(parent=khanh_hoa, level=Level.COMMUNE, code="T0003")
    for _ in range(3):
        DossierFactory(unit=commune, received_at=timezone.now() - timedelta(minutes=5))
    aggregate.rebuild()
    months = [m for m in published_services.months_by_unit(khanh_hoa) if m.unit == "T0003"]
    assert months and all(m.received.suppressed and m.online_rate.suppressed for m in months)
    assert all(m.received.value is None for m in months)


def test_a_small_count_cannot_be_found_as_the_total_less_the_others(khanh_hoa: Any) -> None:
    small = UnitFactory(parent=khanh_hoa, level=Level.COMMUNE, code="T0003")
    middle = UnitFactory(parent=khanh_hoa, level=Level.COMMUNE, code="T0008")
    large = UnitFactory(parent=khanh_hoa, level=Level.COMMUNE, code="T0020")
    when = timezone.now() - timedelta(minutes=5)
    for unit, n in ((small, 3), (middle, 8), (large, 20)):
        for _ in range(n):
            DossierFactory(unit=unit, received_at=when)
    aggregate.rebuild()
    # the month's province total is published: it less 8 and 20 would give the 3 away, so the
    # next smallest (8) is hidden too, with its rates; 20 stays
    shown = {m.unit: m for m in published_services.months_by_unit(khanh_hoa)
             if m.month.month == when.month}
    assert shown["T0003"].received.suppressed
    assert shown["T0008"].received.suppressed and shown["T0008"].online_rate.suppressed
    assert shown["T0020"].received.value == 20


def test_the_programme_is_counted_by_the_four_groups(khanh_hoa: Any) -> None:
    document = programme_document(khanh_hoa)
    government = task_group(document, "1", area="digital_government")
    inner = task_group(document, "1.1", parent=government)  # inherits its parent's group
    society = task_group(document, "2", area="digital_society")
    long_ago = date(2020, 1, 1)
    programme_task(government, khanh_hoa, "a", start_on=long_ago, due_on=date(2021, 1, 4))
    programme_task(inner, khanh_hoa, "b", done_on=date(2026, 1, 5), progress=100)
    programme_task(society, khanh_hoa, "c", progress=40)
    areas = {a.area: a for a in published.programme_progress(khanh_hoa, date(2026, 6, 1))}
    assert (areas["digital_government"].tasks, areas["digital_government"].done,
            areas["digital_government"].overdue) == (2, 1, 1)
    assert (areas["digital_society"].tasks, areas["digital_society"].open) == (1, 1)
    assert areas["digital_economy"].tasks == 0 and areas["digital_economy"].progress is None
    assert areas[""].tasks == 3
