"""The status rules of Plan 4636's kinds of target, over their whole range of inputs."""

from __future__ import annotations

import pytest

from tinhso.indicators.progress import ACHIEVED, AT_RISK, OFF_TRACK, ON_TRACK, UNKNOWN
from tinhso.indicators.target_kinds import (
    Published,
    assess_band,
    assess_climb,
    assess_rank_count,
    assess_score,
)

KH_2024 = Published(2024, 16, 34, 0.7071)  # Khánh Hòa, DTI 2024, as published


# --- the rank band: 17th-19th of 34, inside the top 20, in 2025 ---------------------------------


@pytest.mark.parametrize("rank", range(1, 35))
def test_band_decided_by_the_target_years_rank(rank):
    verdict = assess_band([Published(2025, rank, 34)], 17, 19, 34, 2025, top=20)
    assert verdict.status == (ACHIEVED if rank <= 20 else OFF_TRACK)
    assert verdict.reason == ("band_above" if rank < 17 else "band_inside" if rank <= 19
                              else "band_below_in_top" if rank == 20 else "band_below")
    assert verdict.figures["rank"] == rank and verdict.figures["of"] == 34


@pytest.mark.parametrize("rank", range(1, 35))
def test_band_a_year_ahead_one_place_a_year_on_track_two_at_risk(rank):
    verdict = assess_band([Published(2024, rank, 34)], 17, 19, 34, 2025, top=20)
    # one year left: 20 needs one place (on track), 21 needs two (at risk), beyond: off track
    expected = ON_TRACK if rank <= 20 else AT_RISK if rank == 21 else OFF_TRACK
    assert verdict.status == expected
    assert verdict.figures["gap"] == rank - 19


@pytest.mark.parametrize("rank", range(1, 35))
def test_band_three_years_ahead_without_a_top_group(rank):
    verdict = assess_band([Published(2022, rank, 34)], 17, 19, 34, 2025)
    expected = ON_TRACK if rank <= 22 else AT_RISK if rank <= 25 else OFF_TRACK
    assert verdict.status == expected


def test_band_khanh_hoa_2024_is_above_the_band_and_on_track():
    verdict = assess_band([KH_2024], 17, 19, 34, 2025, top=20)
    assert (verdict.status, verdict.reason) == (ON_TRACK, "band_above")
    assert verdict.figures == {"rank": 16, "of": 34, "year": 2024, "low": 17, "high": 19,
                               "top": 20, "gap": -3}


def test_band_without_a_published_rank_is_unknown():
    assert assess_band([], 17, 19, 34, 2025).status == UNKNOWN
    assert assess_band([Published(2024, None, 34, 0.7)], 17, 19, 34, 2025).reason == "no_rank"


def test_band_of_another_field_decides_nothing():
    verdict = assess_band([Published(2022, 41, 63)], 17, 19, 34, 2025)
    assert (verdict.status, verdict.reason) == (UNKNOWN, "other_field")
    assert verdict.figures["field"] == 34 and verdict.figures["of"] == 63


def test_band_reads_the_rank_of_its_own_field_when_a_year_was_ranked_in_two():
    results = [Published(2022, 41, 63), Published(2024, 29, 63), KH_2024]
    assert assess_band(results, 17, 19, 34, 2025).figures["rank"] == 16
    assert assess_band(results, 1, 25, 63, 2025).figures["rank"] == 29


def test_band_reads_no_result_after_its_year():
    verdict = assess_band([Published(2024, 30, 34), Published(2026, 5, 34)], 17, 19, 34, 2025)
    assert verdict.figures["year"] == 2024 and verdict.status == OFF_TRACK


def test_band_the_latest_rank_decides_not_the_best():
    results = [Published(2023, 10, 34), Published(2024, 30, 34)]
    assert assess_band(results, 17, 19, 34, 2025).figures["rank"] == 30


# --- the score: at least 800 of 1,000 ------------------------------------------------------------


def test_score_khanh_hoa_2024_is_93_points_short_and_at_risk():
    verdict = assess_score([KH_2024], 800, 1000, 2025)
    assert (verdict.status, verdict.reason) == (AT_RISK, "score_short")
    assert verdict.figures["points"] == pytest.approx(707.1)
    assert verdict.figures["short"] == pytest.approx(92.9)
    assert verdict.figures["index"] == 0.7071


@pytest.mark.parametrize("index", [i / 100 for i in range(0, 101)])
def test_score_decided_by_the_target_years_index(index):
    verdict = assess_score([Published(2025, 16, 34, index)], 800, 1000, 2025)
    assert verdict.status == (ACHIEVED if index * 1000 >= 800 else OFF_TRACK)


@pytest.mark.parametrize("index", [i / 100 for i in range(0, 101)])
def test_score_a_year_ahead_from_a_single_result(index):
    verdict = assess_score([Published(2024, 16, 34, index)], 800, 1000, 2025)
    points = index * 1000
    assert verdict.status == (ON_TRACK if points >= 800 else AT_RISK if points >= 640
                              else OFF_TRACK)


def test_score_trend_of_several_results_can_put_it_on_track():
    rising = [Published(2022, 20, 34, 0.62), Published(2023, 18, 34, 0.68),
              Published(2024, 16, 34, 0.74)]  # +60 points a year: 800 in 2025
    verdict = assess_score(rising, 800, 1000, 2025)
    assert verdict.status == ON_TRACK
    assert verdict.figures["projection"] == pytest.approx(800)
    slower = [Published(2023, 18, 34, 0.69), Published(2024, 16, 34, 0.74)]  # 790 in 2025
    assert assess_score(slower, 800, 1000, 2025).status == AT_RISK
    flat = [Published(2023, 18, 34, 0.70), Published(2024, 16, 34, 0.70)]
    assert assess_score(flat, 800, 1000, 2025).status == AT_RISK


def test_score_rank_without_a_score_is_unknown_not_zero():
    verdict = assess_score([Published(2024, 16, 34, None)], 800, 1000, 2025)
    assert (verdict.status, verdict.reason) == (UNKNOWN, "score_not_published")
    assert verdict.figures["rank"] == 16
    assert assess_score([], 800, 1000, 2025).reason == "no_score"


def test_score_uses_the_latest_published_score_when_the_latest_rank_has_none():
    verdict = assess_score([Published(2023, 20, 34, 0.81), Published(2024, 16, 34, None)],
                           800, 1000, 2025)
    assert (verdict.status, verdict.figures["year"]) == (ON_TRACK, 2023)


# --- the count of ranks: at least 4 of 8 main indicators in the top 10 ------------------------


def test_count_not_published_is_unknown():
    verdict = assess_rank_count([KH_2024], 4, 10, 8, 34, 2025)
    assert (verdict.status, verdict.reason) == (UNKNOWN, "count_not_published")


@pytest.mark.parametrize("inside", range(0, 9))
def test_count_over_every_number_inside_the_top(inside):
    ranks = tuple([3] * inside + [25] * (8 - inside))
    final = assess_rank_count([Published(2025, 16, 34, None, ranks)], 4, 10, 8, 34, 2025)
    ahead = assess_rank_count([Published(2024, 16, 34, None, ranks)], 4, 10, 8, 34, 2025)
    assert final.status == (ACHIEVED if inside >= 4 else OFF_TRACK)
    assert ahead.status == (ON_TRACK if inside >= 4 else AT_RISK if inside == 3 else OFF_TRACK)
    assert final.figures["count"] == inside


@pytest.mark.parametrize("rank", range(1, 35))
def test_count_the_top_is_inclusive(rank):
    ranks = (1, 2, 3, rank, 30, 30, 30, 30)
    verdict = assess_rank_count([Published(2025, 16, 34, None, ranks)], 4, 10, 8, 34, 2025)
    assert verdict.status == (ACHIEVED if rank <= 10 else OFF_TRACK)


def test_count_with_ranks_missing():
    some = (1, 2, None, None, 30, 30, 30, 30)  # 2 in, 2 unknown: could still make 4
    assert assess_rank_count([Published(2025, 16, 34, None, some)], 4, 10, 8, 34,
                             2025).reason == "count_partial"
    enough = (1, 2, 3, 4, None, None, None, None)
    assert assess_rank_count([Published(2025, 16, 34, None, enough)], 4, 10, 8, 34,
                             2025).status == ACHIEVED
    hopeless = (20, 20, 20, 20, 20, 20, None, None)
    assert assess_rank_count([Published(2025, 16, 34, None, hopeless)], 4, 10, 8, 34,
                             2025).status == OFF_TRACK


def test_count_of_another_field_is_unknown():
    verdict = assess_rank_count([Published(2022, 41, 63, None, (1,) * 8)], 4, 10, 8, 34, 2025)
    assert verdict.reason == "other_field"


# --- the yearly climb: at least 1-2 places a year ---------------------------------------------


def test_climb_with_one_rank_in_the_field_is_unknown():
    verdict = assess_climb([Published(2022, 41, 63), KH_2024], 1, 34, 2030, 2)
    assert (verdict.status, verdict.reason) == (UNKNOWN, "climb_once")


@pytest.mark.parametrize("rank", range(1, 35))
def test_climb_from_16th_to_every_rank(rank):
    verdict = assess_climb([KH_2024, Published(2025, rank, 34)], 1, 34, 2030, 2)
    if rank == 1:
        assert verdict.reason == "climb_first" and verdict.status == ACHIEVED
    elif rank <= 15:
        assert verdict.status == ACHIEVED and verdict.figures["climbed"] == 16 - rank
    elif rank == 16:
        assert (verdict.status, verdict.reason) == (AT_RISK, "climb_held")
    else:
        assert (verdict.status, verdict.reason) == (OFF_TRACK, "climb_fell")


def test_climb_per_year_over_a_gap_of_years():
    verdict = assess_climb([Published(2024, 16, 34), Published(2026, 15, 34)], 1, 34, 2030)
    assert verdict.figures["per_year"] == 0.5 and verdict.status == AT_RISK
    assert verdict.reason == "climb_short"


def test_climb_without_ranks():
    assert assess_climb([], 1, 34, 2030).status == UNKNOWN
    assert assess_climb([Published(2022, 41, 63)], 1, 34, 2030).reason == "other_field"
