from __future__ import annotations

from datetime import date

import pytest

from tests.factories import IndicatorFactory
from tinhso.indicators.models import Aggregation, IndicatorValue, Target, ValueStatus
from tinhso.indicators.selectors import compute, indicator_progress, indicator_series

pytestmark = pytest.mark.django_db


def put(indicator, unit, period, value, status=ValueStatus.APPROVED):
    return IndicatorValue.objects.create(indicator=indicator, unit=unit, period=period,
                                         value=value, status=status, source="test")


def test_a_province_rate_from_its_communes_dossiers(reference_units,
                                                    django_assert_max_num_queries):
    u = reference_units
    received = IndicatorFactory(code="received", measure="count")
    online = IndicatorFactory(code="online", measure="count")
    IndicatorFactory(code="online_rate", formula="online / received * 100",
                     aggregation=Aggregation.FORMULA)
    put(received, u["22366"], "2026", 100)
    put(online, u["22366"], "2026", 80)
    put(received, u["22333"], "2026", 300)
    put(online, u["22333"], "2026", 120)
    put(online, u["22390"], "2026", 999, status=ValueStatus.DRAFT)  # not counted
    compute(codes=["online_rate"], periods=["2026"])  # builds the value blocks
    with django_assert_max_num_queries(4):
        computed = compute(codes=["online_rate"], periods=["2026"])
    assert computed.value("online_rate", u["56"], "2026") == pytest.approx(50)
    assert computed.value("online_rate", u["22366"], "2026") == pytest.approx(80)
    assert computed.value("online_rate", u["VN"], "2026") == pytest.approx(50)
    assert computed.value("online_rate", u["22390"], "2026") is None
    assert computed.value("received", u["56"], "2026") == 400


def test_series_and_progress_against_the_next_target(reference_units):
    u = reference_units
    rate = IndicatorFactory(code="services_online")
    for year, value in [(2020, 64.06), (2021, 70), (2022, 76)]:
        put(rate, u["56"], str(year), value)
    Target.objects.create(indicator=rate, unit=u["56"], year=2025, value=90,
                          baseline_year=2020, baseline_value=64.06)
    series = indicator_series(rate, u["56"])
    assert [p.period.code for p in series] == ["2020", "2021", "2022"]
    target, progress = indicator_progress(rate, u["56"], series, today=date(2023, 1, 1))
    assert target.year == 2025
    assert progress.status == "on_track"  # +6 a year: 94 by 2025
    assert progress.projection == pytest.approx(94, abs=0.5)


def test_value_blocks_follow_every_change(reference_units):
    u = reference_units
    count = IndicatorFactory(code="count", measure="count")
    value = put(count, u["22366"], "2026", 5)
    assert compute(codes=["count"], periods=["2026"]).value("count", u["56"], "2026") == 5
    value.value = 7
    value.save()  # a plain save: the blocks are stale and rebuilt before the next read
    assert compute(codes=["count"], periods=["2026"]).value("count", u["56"], "2026") == 7
    value.status = ValueStatus.RETURNED
    value.save()
    assert compute(codes=["count"], periods=["2026"]).value("count", u["56"], "2026") is None
    value.delete()
    put(count, u["22333"], "2026", 3)
    assert compute(codes=["count"], periods=["2026"]).value("count", u["56"], "2026") == 3


def test_blocks_and_raw_rows_agree(reference_units):
    u = reference_units
    amount = IndicatorFactory(code="amount", measure="count", aggregation="average")
    for i, code in enumerate(["22366", "22333", "22390", "56.STC"]):
        for year in (2024, 2025):
            put(amount, u[code], str(year), i * 10 + year - 2024)
    from_blocks = compute(codes=["amount"])
    from_rows = compute(codes=["amount"], statuses=[ValueStatus.APPROVED, "x"])
    assert from_blocks.periods == from_rows.periods == ["2024", "2025"]
    for unit in ("56", "VN", "22333", "56.STC"):
        assert from_blocks.series("amount", u[unit]) == from_rows.series("amount", u[unit])
