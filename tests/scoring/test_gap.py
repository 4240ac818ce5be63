from __future__ import annotations

import pytest

from tinhso.scoring.gap import SEGMENTS, plan, target_score

CODES = ["a", "b", "c"]
WEIGHTS = [100, 200, 700]


def test_a_published_score_is_the_score_to_beat():
    ranks, totals = [1, 2, 3, 4, 5], [0.8002, 0.7, 0.65, 0.6077, 0.5]
    target = target_score(ranks, totals, 4)
    assert target.published and target.exact == target.aim == 0.6077
    assert target.exact_index == 3 and target.field_size == 5


def test_ties_share_a_rank_and_its_published_score():
    # Two units at rank 2, only the second one's score published: rank 2 and place 3 both
    # ask for it.
    ranks, totals = [1, 2, 2, 4], [0.9, None, 0.7, 0.6]
    assert target_score(ranks, totals, 2).exact == 0.7
    assert target_score(ranks, totals, 3).exact == 0.7


def test_an_unpublished_score_is_bounded_by_its_published_neighbours():
    ranks = [1, 2, 3, 4, 5, 6]
    totals = [0.8, 0.7, None, None, 0.6, None]
    third = target_score(ranks, totals, 3)
    assert not third.published and third.exact is None
    assert (third.lower, third.upper) == (0.6, 0.7)
    assert (third.lower_index, third.upper_index) == (4, 1)
    assert third.aim == 0.7  # the safe bound: reaching it reaches rank 3 whatever it was
    last = target_score(ranks, totals, 6)
    assert (last.lower, last.upper, last.lower_index) == (0.0, 0.6, None)


def test_with_nothing_published_above_full_marks_bound_it():
    target = target_score([1, 2, 3], [None, 0.5, None], 1)
    assert target.upper == 1.0 and target.upper_index is None and target.lower == 0.5


def test_the_score_to_beat_never_rises_as_the_rank_grows():
    ranks = [1, 2, 3, 3, 5, 6, 7, 8]
    totals = [None, 0.8, None, 0.75, None, None, 0.5, None]
    aims = [target_score(ranks, totals, r).aim for r in range(1, 9)]
    assert aims == sorted(aims, reverse=True)


@pytest.mark.parametrize("rank", [0, 6, -1])
def test_a_rank_outside_the_field_is_refused(rank):
    with pytest.raises(ValueError, match=r"outside 1\.\.5"):
        target_score([1, 2, 3, 4, 5], [0.9, None, None, None, None], rank)


def test_the_cheapest_plan_uses_the_cheapest_points_first():
    # 50 points missing for 0.55. b (effort 1) can earn 200 x 0.5 = 100 points, in four parts
    # of 25 costing 1, 2, 3, 4 per point, all cheaper than a or c (10 per point): the first two
    # parts of b, 25 x 1 + 25 x 2.
    result = plan(CODES, [0.5, 0.5, 0.5], WEIGHTS, target=0.55, efforts=[10, 1, 10])
    assert result.missing_points == pytest.approx(50)
    assert [(s.code, round(s.proposed, 4)) for s in result.steps] == [("b", 0.75)]
    assert result.total_effort == pytest.approx(25 * 1 + 25 * 2)
    assert result.reached == pytest.approx(0.55)


def test_rising_costs_spread_the_plan_across_indicators():
    # Equal weights and efforts; headroom 0.8, 0.5, 0.2 up to full marks. A flat cost would
    # put everything on a; with rising costs the first (cheapest) part of each headroom
    # comes first: a's 0.2 (66.7 points) and b's 0.125 (41.7) give 108.3 of the 110 missing,
    # c's first part the rest.
    result = plan(CODES, [0.2, 0.5, 0.8], [100, 100, 100], target=0.61)
    assert result.missing_points == pytest.approx(110)
    proposed = {s.code: s.proposed for s in result.steps}
    assert set(proposed) == {"a", "b", "c"}
    assert proposed["a"] == pytest.approx(0.2 + 0.8 / SEGMENTS)
    assert proposed["b"] == pytest.approx(0.5 + 0.5 / SEGMENTS)
    assert result.total_effort == pytest.approx(110)  # all in first parts: 1 per point


@pytest.mark.parametrize("target", [0.45, 0.5, 0.55, 0.6, 0.62])
def test_no_step_goes_above_its_ceiling(target):
    ceilings = [0.5, 0.9, 0.6]
    result = plan(CODES, [0.4, 0.4, 0.4], WEIGHTS, target=target, ceilings=ceilings)
    assert result.reachable
    for step in result.steps:
        limit = ceilings[CODES.index(step.code)]
        assert step.proposed <= limit + 1e-9 and step.ceiling == limit
    assert result.reached == pytest.approx(target)


def test_a_target_beyond_the_ceilings_says_how_far_the_plan_gets():
    # Every indicator at its ceiling of 0.6: the index reaches 0.6, 300 points short of 0.9.
    result = plan(CODES, [0.5, 0.5, 0.5], [100, 100, 100], target=0.9,
                  ceilings=[0.6, 0.6, 0.6])
    assert not result.reachable and not result.already_reached
    assert {s.code: round(s.proposed, 6) for s in result.steps} == {"a": 0.6, "b": 0.6,
                                                                    "c": 0.6}
    assert result.reached == pytest.approx(0.6)
    assert result.points_short == pytest.approx(300)


def test_a_locked_indicator_does_not_move():
    result = plan(CODES, [1.0, 1.0, 0.0], WEIGHTS, target=0.9, locked=["c"])
    assert not result.reachable and result.steps == []


def test_an_index_already_above_target_needs_nothing():
    result = plan(CODES, [0.9, 0.9, 0.9], WEIGHTS, target=0.8)
    assert result.missing_points == 0 and result.steps == [] and result.total_effort == 0
    assert result.already_reached


def test_equal_costs_prefer_the_most_headroom():
    result = plan(CODES, [0.2, 0.9, 0.9], [100, 100, 100], target=0.7)
    assert [s.code for s in result.steps] == ["a"]
