"""The reads the landing pages added to other apps (their ``today.py``) agree with the rules
those apps already have."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import IndicatorFactory
from tinhso.indicators.models import CollectionRound, IndicatorValue, ValueStatus
from tinhso.indicators.rounds import completeness
from tinhso.indicators.today import completeness_of, rounds_owned
from tinhso.scoring.today import unit_ranks

pytestmark = pytest.mark.django_db


def test_completeness_of_many_rounds_is_each_rounds_completeness(
        reference_units: dict[str, Any], people: dict[str, Any], work: dict[str, Any]) -> None:
    u = reference_units
    extra = IndicatorFactory(reporting_levels=["commune"])  # owed by no department
    second = CollectionRound.objects.create(title="Quý 2", period="2026Q2",
                                            deadline=work["round"].deadline, owner_unit=u["56"])
    second.indicators.set([work["round"].indicators.first(), extra])
    second.units.set([u["56.STC"], u["22366"]])
    for status, unit in ((ValueStatus.APPROVED, "56.STC"), (ValueStatus.RETURNED, "22366")):
        IndicatorValue.objects.create(indicator=extra if unit == "22366" else
                                      work["round"].indicators.first(), unit=u[unit],
                                      period="2026Q2", value=1, status=status, source="x")
    boards = completeness_of(rounds_owned(people["coordinator"]))
    assert set(boards) == {work["round"].pk, second.pk}
    for collection in (work["round"], second):
        assert boards[collection.pk].units == completeness(collection).units
    assert rounds_owned(people["reporter"]) == []  # reporters run no round


def test_unit_ranks_carry_the_field_size(reference_units: dict[str, Any]) -> None:
    from tinhso.scoring.models import PublishedResult

    provinces = [u for u in reference_units.values() if u.level == "province"][:5]
    for rank, unit in enumerate(provinces, start=1):
        PublishedResult.objects.create(framework="dti-province-922", year=2022, unit=unit,
                                       rank=rank, field_size=5, source="Bộ TT&TT")
    [point] = unit_ranks("dti-province-922", provinces[3])
    assert (point.year, point.rank, point.of) == (2022, 4, 5)
    assert point.method  # the framework's name, shown as the method
