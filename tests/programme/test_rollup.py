"""The roll-up rule against a computation by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tinhso.programme import schedule
from tinhso.programme.rollup import GroupFact, TaskFact, roll_up

D = Decimal


def test_weighted_mean_up_the_tree_by_hand() -> None:
    #  group 1 (weight 2)             group 2 (weight 1)
    #   ├ task a: w1, 50 %              └ item 21 (weight 1)
    #   ├ task b: w3, done (100 %)          ├ task d: w1, 0 %, overdue
    #   └ task c: w2, cancelled             └ task e: w1, 30 %
    groups = [GroupFact(1, None, D(2)), GroupFact(2, None, D(1)), GroupFact(21, 2, D(1))]
    tasks = [
        TaskFact(10, 1, D(1), 50, schedule.IN_PROGRESS),
        TaskFact(11, 1, D(3), 80, schedule.DONE_LATE),
        TaskFact(12, 1, D(2), 20, schedule.CANCELLED),
        TaskFact(13, 21, D(1), 0, schedule.OVERDUE),
        TaskFact(14, 21, D(1), 30, schedule.IN_PROGRESS),
    ]
    figures, whole = roll_up(groups, tasks)
    # group 1: (1×50 + 3×100) / 4 = 87.5 (the cancelled task is left out)
    assert figures[1].progress == pytest.approx(87.5)
    assert figures[1].weight_total == 4
    assert [(t.id, t.weight, t.progress) for t in figures[1].terms] == [
        (10, 1, 50.0), (11, 3, 100.0)]
    # item 21: (0 + 30) / 2 = 15; group 2 takes it whole
    assert figures[21].progress == pytest.approx(15)
    assert figures[2].progress == pytest.approx(15)
    # the whole: (2×87.5 + 1×15) / 3 = 63.333...
    assert whole.progress == pytest.approx((2 * 87.5 + 15) / 3)
    # counts roll up by sums: late = overdue + done late
    assert figures[2].late == 1 and figures[1].late == 1 and whole.late == 2
    assert whole.tasks == 5 and whole.done == 1


def test_a_group_with_nothing_that_counts_has_no_progress() -> None:
    groups = [GroupFact(1, None, D(1)), GroupFact(2, None, D(1))]
    tasks = [TaskFact(1, 1, D(1), 40, schedule.IN_PROGRESS),
             TaskFact(2, 2, D(1), 0, schedule.CANCELLED)]
    figures, whole = roll_up(groups, tasks)
    assert figures[2].progress is None  # not 0: nothing to measure
    assert whole.progress == pytest.approx(40)
