from __future__ import annotations

import pytest

from tinhso.scoring.gap import plan, target_for_rank

CODES = ["a", "b", "c"]
WEIGHTS = [100, 200, 700]


def test_the_score_to_beat_for_a_rank():
    scores = [0.8002, 0.7, 0.7, 0.6077, 0.5]
    assert target_for_rank(scores, 2) == 0.7
    assert target_for_rank(scores, 4) == 0.6077
    with pytest.raises(ValueError, match="outside"):
        target_for_rank(scores, 9)


def test_the_cheapest_plan_uses_the_cheapest_points_first():
    result = plan(CODES, [0.5, 0.5, 0.5], WEIGHTS, target=0.55, efforts=[3, 1, 2])
    assert result.missing_points == pytest.approx(50)
    # b is cheapest: it can earn 200 x 0.5 = 100 points, more than the 50 missing
    assert [(s.code, round(s.proposed, 4)) for s in result.steps] == [("b", 0.75)]
    assert result.total_effort == pytest.approx(50)


def test_when_the_cheapest_is_exhausted_the_next_cheapest_follows():
    # index 0.58; 70 points missing for 0.65. b (effort 1) can earn only 20 points, then c
    # (effort 2) earns the other 50; a (effort 3) is not touched.
    result = plan(CODES, [0.5, 0.9, 0.5], WEIGHTS, target=0.65, efforts=[3, 1, 2])
    assert result.current == pytest.approx(0.58) and result.missing_points == pytest.approx(70)
    assert {s.code: round(s.points, 6) for s in result.steps} == {"b": 20.0, "c": 50.0}
    assert {s.code: round(s.proposed, 6) for s in result.steps} == {"b": 1.0, "c": 0.571429}
    assert result.total_effort == pytest.approx(20 * 1 + 50 * 2)
    assert result.reachable and not result.already_reached


def test_a_target_that_cannot_be_reached_says_so():
    result = plan(CODES, [1.0, 1.0, 0.0], WEIGHTS, target=0.9, locked=["c"])
    assert not result.reachable and result.steps == []


def test_an_index_already_above_target_needs_nothing():
    result = plan(CODES, [0.9, 0.9, 0.9], WEIGHTS, target=0.8)
    assert result.missing_points == 0 and result.steps == [] and result.total_effort == 0
    assert result.already_reached


def test_equal_efforts_prefer_the_most_headroom():
    result = plan(CODES, [0.2, 0.9, 0.9], [100, 100, 100], target=0.7)
    assert [s.code for s in result.steps] == ["a"]
