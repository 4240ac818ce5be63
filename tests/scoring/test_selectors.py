from __future__ import annotations

from datetime import date

import pytest

from tests.factories import IndicatorFactory
from tinhso.indicators.models import IndicatorValue
from tinhso.scoring.engine import load_framework
from tinhso.scoring.selectors import ranking_from_indicators

pytestmark = pytest.mark.django_db


def test_the_766_index_of_departments_from_their_indicator_values(reference_units):
    u = reference_units
    values = {"56.STC": {"on_time_rate": 100, "online_dossiers_rate": 60, "satisfaction_rate": 95},
              "56.SYT": {"on_time_rate": 80, "online_dossiers_rate": 25, "satisfaction_rate": 90}}
    for code in ("on_time_rate", "online_dossiers_rate", "satisfaction_rate"):
        indicator = IndicatorFactory(code=code, measure="percent", aggregation="average")
        for unit, by_code in values.items():
            IndicatorValue.objects.create(indicator=indicator, unit=u[unit], period="2026",
                                          value=by_code[code], source="t")
    result = ranking_from_indicators(load_framework("service-quality-766"), u["56"], "2026",
                                     date(2026, 6, 1))
    points = dict(zip([x.code for x in result.units], result.scores.points, strict=True))
    assert points["56.STC"] == pytest.approx(20 + 8 + 18)
    assert points["56.SYT"] == pytest.approx(20 * 0.8 + 8 * 0.5 + 18 * 90 / 95)
    ranks = dict(zip([x.code for x in result.units], result.ranks, strict=True))
    assert ranks["56.STC"] == 1 and ranks["56.SYT"] == 2
    assert "digitisation_rate" in result.inputs_missing  # said, not hidden
