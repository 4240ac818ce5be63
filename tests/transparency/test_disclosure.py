"""The small-count rule (``transparency.disclosure``), asked directly: a count from 1 to the
minimum less 1 is suppressed, and so is every rate or score computed from it."""

from __future__ import annotations

import pytest

from tinhso.transparency.disclosure import (
    NOT_PUBLISHED,
    SUPPRESSED,
    Cell,
    complementary,
    count_cell,
    derived_cell,
    hidden_cells,
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


def test_one_small_count_in_a_group_hides_the_next_smallest_too() -> None:
    # the province's total is published: 3 would be the total less the others
    assert complementary([40, 3, 12, 9], 5) == {1, 3}


def test_the_hidden_cells_hold_at_least_the_minimum_together() -> None:
    assert complementary([1, 1, 2, 30, 50], 5) == {0, 1, 2, 3}  # 1+1+2 = 4 < 5: one more
    assert complementary([2, 4, 30], 5) == {0, 1}  # two small ones hold 6: enough


def test_nothing_small_hides_nothing_and_zeros_never_cover() -> None:
    assert complementary([0, 12, 40], 5) == set()
    assert complementary([3, 0, None, 40], 5) == {0, 3}  # not the zero, not the missing


def test_a_group_of_one_small_count_can_only_hide_it() -> None:
    assert complementary([3], 5) == {0}


def test_a_table_hides_by_rows_and_columns_until_nothing_changes() -> None:
    # rows: two units' months; each unit's year (a row's cells) and each month's province
    # total (a column's cells) are published
    rows = [[3, 20, 9],
            [10, 30, 40]]
    by_month = [[0, 1]]  # the units of a month: cell (0, 0) gives (1, 0) away
    assert hidden_cells(rows, by_month, 5) == {(0, 0), (1, 0)}
    # records (unit, month) grouped both ways, as the open data's dossiers by unit and month:
    # unit A's months 3, 20, 9 and unit B's 10, 30, 40; hiding A's 3 hides B's 10 (the month),
    # A's 9 (A's year), then B's 30 and 40 and A's 20: with two units nothing can stay
    records = [[3], [10], [20], [30], [9], [40]]
    by_month, by_unit = [[0, 1], [2, 3], [4, 5]], [[0, 2, 4], [1, 3, 5]]
    assert hidden_cells(records, by_month + by_unit, 5) == {(r, 0) for r in range(6)}
    # a third, larger unit in each month leaves room: only A's and B's smallest go
    assert hidden_cells([[3], [10], [50]], [[0, 1, 2]], 5) == {(0, 0), (1, 0)}
