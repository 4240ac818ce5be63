from __future__ import annotations

from datetime import date

import pytest

from tests.factories import IndicatorFactory
from tinhso.indicators.models import IndicatorValue
from tinhso.indicators.selectors import compute
from tinhso.scoring.engine import load_framework
from tinhso.scoring.selectors import scores_from_indicators

pytestmark = pytest.mark.django_db


def test_the_766_index_of_departments_from_their_indicator_values(reference_units):
    u = reference_units
    values = {"56.STC": {"on_time_rate": 100, "online_payment_rate": 60,
                         "service_satisfaction_rate": 95},
              "56.SYT": {"on_time_rate": 80, "online_payment_rate": 25,
                         "service_satisfaction_rate": 81}}
    for code in ("on_time_rate", "online_payment_rate", "service_satisfaction_rate"):
        indicator = IndicatorFactory(code=code, measure="percent", aggregation="average")
        for unit, by_code in values.items():
            IndicatorValue.objects.create(indicator=indicator, unit=u[unit], period="2026",
                                          value=by_code[code], source="t")
    departments = list(u["56"].children.valid_on(date(2026, 6, 1)).order_by("level", "name"))
    result = scores_from_indicators(load_framework("service-quality-766"), departments, "2026",
                                    root=u["56"])
    points = dict(zip([x.code for x in result.units], result.scores.points, strict=True))
    # 2.1 linear of 20; 3.6 linear of 6; 5.4 full from 90 %, below rate x 6 / 90
    assert points["56.STC"] == pytest.approx(20 + 6 * 0.6 + 6)
    assert points["56.SYT"] == pytest.approx(20 * 0.8 + 6 * 0.25 + 6 * 81 / 90)
    ranks = dict(zip([x.code for x in result.units], result.ranks, strict=True))
    assert ranks["56.STC"] == 1 and ranks["56.SYT"] == 2
    assert "digitisation_rate" in result.inputs_missing  # said, not hidden


def test_scores_from_values_already_computed_are_the_same_without_querying_again(
        reference_units, django_assert_num_queries):
    u = reference_units
    indicator = IndicatorFactory(code="on_time_rate", measure="percent", aggregation="average")
    IndicatorValue.objects.create(indicator=indicator, unit=u["56.STC"], period="2026",
                                  value=90, source="t")
    framework = load_framework("service-quality-766")
    units = [u["56"], u["56.STC"], u["56.SYT"]]
    alone = scores_from_indicators(framework, units, "2026", root=u["56"])
    computed = compute(codes=["on_time_rate", "satisfaction_rate"], periods=["2026"],
                       root=u["56"])
    with django_assert_num_queries(0):
        given = scores_from_indicators(framework, units, "2026", computed=computed)
    assert given.scores.points.tolist() == alone.scores.points.tolist()
    assert given.inputs_found == alone.inputs_found == ["on_time_rate"]
