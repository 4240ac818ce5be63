from __future__ import annotations

import math

import numpy as np
import pytest

from tinhso.indicators.compute import Rows, aggregate, build_unit_index, evaluate_catalogue

# province P with a district D (communes C1, C2 below it) and a commune C3 directly below.
UNITS = [(1, "P", "/P/"), (2, "D", "/P/D/"), (3, "C1", "/P/D/C1/"), (4, "C2", "/P/D/C2/"),
         (5, "C3", "/P/C3/")]


def rows(pairs, period=0):
    index = build_unit_index(UNITS)
    unit = np.array([index.position[u] for u, _ in pairs])
    return Rows(unit, np.full(len(pairs), period), np.array([v for _, v in pairs], float))


def test_sum_and_average_go_up_every_level():
    index = build_unit_index(UNITS)
    data = rows([(3, 10), (4, 20), (5, 30)])
    total = aggregate(index, data, "sum", 1)[0]
    assert list(total) == [60, 30, 10, 20, 30]
    mean = aggregate(index, data, "average", 1)[0]
    assert mean[0] == 20 and mean[1] == 15


def test_a_units_own_value_wins_over_the_aggregate():
    index = build_unit_index(UNITS)
    data = rows([(3, 10), (4, 20), (1, 99)])
    total = aggregate(index, data, "sum", 1)[0]
    assert total[0] == 99 and total[1] == 30


def test_no_value_below_means_no_value():
    index = build_unit_index(UNITS)
    total = aggregate(index, rows([(5, 1)]), "sum", 1)[0]
    assert math.isnan(total[1]) and total[0] == 1


def test_weighted_average():
    index = build_unit_index(UNITS)
    rates = rows([(3, 50), (4, 100)])
    weights = aggregate(index, rows([(3, 1), (4, 3)]), "sum", 1)
    result = aggregate(index, rates, "weighted", 1, weights)[0]
    assert result[1] == pytest.approx(87.5)


def test_formulas_use_aggregated_inputs_not_averages_of_rates():
    index = build_unit_index(UNITS)
    data = {"online": rows([(3, 1), (4, 9)]), "received": rows([(3, 10), (4, 10)])}
    rules = {"online": ("sum", None, ""), "received": ("sum", None, ""),
             "rate": ("formula", None, "online / received * 100")}
    out = evaluate_catalogue(index, 1, ["online", "received", "rate"], rules, data)
    assert out["rate"][0][1] == pytest.approx(50)  # (1+9)/(10+10), not mean(10%, 90%)
    assert out["rate"][0][2] == pytest.approx(10)
    assert math.isnan(out["rate"][0][4])  # C3 reported nothing


def test_periods_are_kept_apart():
    index = build_unit_index(UNITS)
    data = Rows(np.array([2, 2]), np.array([0, 1]), np.array([5.0, 7.0]))
    total = aggregate(index, data, "sum", 2)
    assert total[0][0] == 5 and total[1][0] == 7
