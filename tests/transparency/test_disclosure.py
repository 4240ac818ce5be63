"""The small-count rule (``transparency.disclosure``), asked directly: a count from 1 to the
minimum less 1 is suppressed, and so is every rate or score computed from it."""

from __future__ import annotations

import pytest

from tinhso.transparency.disclosure import (
    NOT_PUBLISHED,
    SUPPRESSED,
    Cell,
    count_cell,
    derived_cell,
    is_small,
    rate_cell,
)


@pytest.mark.parametrize(("count", "small"), [
    (None, False), (0, False), (1, True), (3, True), (4, True), (4.0, True), (5, False),
    (6, False), (1000, False)])
def test_a_count_from_1_to_the_minimum_less_1_is_small(count: float | None,
                                                       small: bool) -> None:
    assert is_small(count, 5) is small


def test_the_minimum_is_a_parameter() -> None:
    assert is_small(9, 10) and not is_small(10, 10) and not is_small(1, 1)


def test_a_count_cell_says_suppressed_not_published_or_the_count() -> None:
    assert count_cell(3, 5) == SUPPRESSED
    assert count_cell(None, 5) == NOT_PUBLISHED  # nothing published is not a zero
    assert count_cell(0, 5) == Cell(0)
    assert count_cell(12, 5) == Cell(12)


def test_a_share_of_a_small_count_is_not_shown_either_way_round() -> None:
    assert rate_cell(2, 3, 5) == SUPPRESSED  # a share of 3 dossiers
    assert rate_cell(3, 100, 5) == SUPPRESSED  # 3 % of 100 gives the 3 away
    assert rate_cell(0, 3, 5) == SUPPRESSED
    assert rate_cell(50, 100, 5) == Cell(50.0)
    assert rate_cell(0, 10, 5) == Cell(0.0)


def test_a_share_without_a_base_is_not_published_not_zero() -> None:
    assert rate_cell(0, 0, 5) == NOT_PUBLISHED
    assert rate_cell(None, 10, 5) == NOT_PUBLISHED


def test_a_figure_derived_from_any_small_count_is_suppressed() -> None:
    assert derived_cell(61.5, 120, 3, minimum=5) == SUPPRESSED
    assert derived_cell(61.5, 120, 7, minimum=5) == Cell(61.5)
    assert derived_cell(None, 120, minimum=5) == NOT_PUBLISHED
    assert derived_cell(61.5, None, 0, minimum=5) == Cell(61.5)
