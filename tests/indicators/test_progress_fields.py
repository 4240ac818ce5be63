"""A rank carries its field: a target set among 63 provinces is not met or missed by a rank
among 34 (issue 12, point 1)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import IndicatorFactory, UnitFactory
from tinhso.indicators.models import IndicatorValue, Measure, Target
from tinhso.indicators.progress import (
    ACHIEVED,
    NOT_COMPARABLE,
    ON_TRACK,
    UNKNOWN,
    assess_rank,
    proportional_rank,
)
from tinhso.indicators.selectors import rank_eras, rank_history, targets_with_progress
from tinhso.units.models import Level

DTI_2022 = (date(2022, 12, 31), 41.0, 63)
DTI_2024 = (date(2024, 12, 31), 16.0, 34)


def test_a_rank_in_another_field_is_not_comparable_with_the_target():
    # The 2021 resolution's "top 20 by 2030" was set among 63; the latest rank is 16 of 34.
    result = assess_rank([DTI_2022, DTI_2024], 20, 2030, target_of=63)
    assert result.status == NOT_COMPARABLE
    assert (result.latest, result.latest_of, result.target_of) == (16, 34, 63)
    assert result.projection is None
    # The proportional reading: 16th of 34 is about 29.6th of 63, which would not be top 20.
    assert result.proportional == pytest.approx(16 * 63 / 34)


def test_a_rank_in_the_targets_field_is_judged_as_before():
    # Plan 4636 (2025): top 20 among 34 in 2025; 16 of 34 meets it.
    result = assess_rank([DTI_2022, DTI_2024], 20, 2025, target_of=34)
    assert result.status == ACHIEVED and result.latest_of == 34
    # Top 10 of 34 by 2030: one rank in that field, no trend yet.
    assert assess_rank([DTI_2022, DTI_2024], 10, 2030, target_of=34).status == UNKNOWN


def test_the_trend_uses_only_ranks_of_the_targets_field():
    points = [(date(2020, 12, 31), 54.0, 63), (date(2021, 12, 31), 47.0, 63),
              (date(2022, 12, 31), 41.0, 63), (date(2024, 12, 31), 16.0, 34)]
    # Among 63 the province climbs 6.5 places a year (about 21st by 2025); the 16 of 34 is not
    # part of that line.
    assert assess_rank(points[:3], 25, 2025, target_of=63).status == ON_TRACK
    assert assess_rank(points, 25, 2025, target_of=63).status == NOT_COMPARABLE


def test_proportional_rank():
    assert proportional_rank(16, 34, 63) == pytest.approx(29.647, abs=0.001)
    assert proportional_rank(34, 34, 63) == 63


@pytest.fixture
def dti(db):
    province = UnitFactory(code="56", name="Khánh Hòa", level=Level.PROVINCE)
    rank = IndicatorFactory(code="dti_rank", measure=Measure.RANK, direction="lower",
                            aggregation="none")
    for period, value, of in (("2022", 41, 63), ("2024", 16, 34)):
        IndicatorValue.objects.create(indicator=rank, unit=province, period=period, value=value,
                                      rank_of=of, source="DTI")
    Target.objects.create(indicator=rank, unit=province, year=2030, value=20, rank_of=63,
                          baseline_year=2022, baseline_value=41, source="16-NQ/TU")
    Target.objects.create(indicator=rank, unit=province, year=2025, value=25, rank_of=63,
                          source="16-NQ/TU")
    Target.objects.create(indicator=rank, unit=province, year=2025, value=20, rank_of=34,
                          source="4636/KH-UBND")
    return province, rank


def test_targets_with_progress_gives_one_target_per_field(dti, django_assert_max_num_queries):
    province, _rank = dti
    with django_assert_max_num_queries(3):
        statuses = targets_with_progress(province, today=date(2025, 6, 1))
    by_field = {(s.target.rank_of, s.target.year): s.progress for s in statuses}
    assert set(by_field) == {(63, 2025), (34, 2025)}
    assert by_field[(63, 2025)].status == NOT_COMPARABLE  # top 25 of 63 vs 16 of 34
    assert by_field[(34, 2025)].status == ACHIEVED  # top 20 of 34: 16 of 34
    # Once 2025 is past, the 63-field's next target is 2030's; still not comparable.
    later = {(s.target.rank_of, s.target.year): s.progress
             for s in targets_with_progress(province, today=date(2026, 6, 1))}
    assert later[(63, 2030)].status == NOT_COMPARABLE
    assert later[(63, 2030)].latest_of == 34


def test_rank_history_keeps_each_ranks_field_and_splits_into_eras(dti):
    province, rank = dti
    history = rank_history(rank, province)
    assert [(p.period.code, p.value, p.of) for p in history] == [
        ("2022", 41.0, 63), ("2024", 16.0, 34)]
    eras = rank_eras(history)
    assert [(e.of, [p.value for p in e.points]) for e in eras] == [(63, [41.0]), (34, [16.0])]


def test_two_targets_for_one_year_in_different_fields_but_not_twice_in_one(dti):
    from django.db import IntegrityError, transaction

    province, rank = dti
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(indicator=rank, unit=province, year=2025, value=19, rank_of=34)


def test_the_indicator_page_prefers_the_target_set_in_the_latest_ranks_field(dti):
    from tinhso.indicators.selectors import indicator_progress

    province, rank = dti
    Target.objects.create(indicator=rank, unit=province, year=2030, value=10, rank_of=34,
                          source="4636/KH-UBND")
    target, progress = indicator_progress(rank, province, [], today=date(2026, 1, 1))
    assert (target.year, target.rank_of, int(target.value)) == (2030, 34, 10)
    assert progress.latest_of == 34 and progress.status != NOT_COMPARABLE
    # In 2025 both fields have a target; the one of the latest rank's field (34) is chosen.
    target, progress = indicator_progress(rank, province, [], today=date(2025, 3, 1))
    assert (target.year, target.rank_of) == (2025, 34) and progress.status == ACHIEVED


def test_a_goals_target_is_the_one_of_its_rank_when_two_fields_share_a_year(dti):
    from tinhso.indicators.selectors import next_target

    province, rank = dti
    # 16-NQ/TU's goal for 2025 is top 25 (set among 63); Plan 4636's is top 20 of 34.
    target = next_target(rank, province, 2025, rank=25)
    assert (target.year, target.rank_of, int(target.value)) == (2025, 63, 25)
    target = next_target(rank, province, 2025, rank=20)
    assert (target.rank_of, int(target.value)) == (34, 20)
    assert next_target(rank, province, 2031).year == 2030  # all past: the last one


def test_the_api_gives_the_fields_and_says_not_comparable(client, dti):
    body = client.get("/api/v1/indicators/dti_rank/series/", {"unit": "56"}).json()
    progress = body["progress"]
    assert progress["target"]["year"] == 2030 and progress["target"]["rank_of"] == 63
    assert progress["status"] == NOT_COMPARABLE
    assert progress["latest"] == 16 and progress["latest_of"] == 34
    assert progress["proportional"] == pytest.approx(16 * 63 / 34)
