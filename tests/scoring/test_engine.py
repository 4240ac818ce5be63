from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tinhso.scoring.engine import (
    FrameworkError,
    load_framework,
    parse_framework,
    rank,
    rank_columns,
    score,
)

DTI_2022 = Path(__file__).resolve().parents[2] / "src/tinhso/scoring/data/dti_province_2022.csv"


def published():
    with DTI_2022.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_published_dti_2022_of_the_top_five_is_reproduced():
    framework = load_framework("dti-province-922")
    rows = [r for r in published() if r["chinh_quyen_so"]]
    inputs = {i.code: [float(r[i.code]) if r.get(i.code) else np.nan for r in rows]
              for i in framework.indicators}
    result = score(framework, [r["province_code"] for r in rows], inputs)
    published_dti = [float(r["dti"]) for r in rows]
    assert published_dti == [0.8002, 0.7163, 0.7024, 0.6975, 0.6924]
    # Within rounding: the inputs are published to 4 decimals (each off by at most 0.00005,
    # so the weighted average too) and so is the DTI: at most 0.0001 apart.
    assert np.abs(result.total - published_dti).max() <= 0.0001
    assert np.round(result.total, 4).tolist() == [0.8002, 0.7164, 0.7024, 0.6975, 0.6924]
    assert result.points[0] == pytest.approx(800.175)
    assert result.missing == [[], [], [], [], []]  # smart city weighs 0: not a gap
    assert result.pillar("digital_government")[0] == pytest.approx(
        (100 * (1 + .9 + .8253 + .8487 + .7578) + 200 * .8575) / 700)


def test_ranks_are_descending_and_ties_share_a_rank():
    assert rank(np.array([0.9, 0.8, 0.8, 0.7])).tolist() == [1, 2, 2, 4]
    assert rank(np.array([0.70241, 0.70238, 0.6])).tolist() == [1, 1, 3]  # as published
    assert rank(np.array([0.5, np.nan, 0.6])).tolist() == [2, 3, 1]
    matrix = np.array([[0.9, 0.1], [0.8, 0.8], [0.8, 0.5]])
    assert rank_columns(matrix).tolist() == [[1, 3], [2, 1], [2, 2]]


def test_rules_and_missing_policies():
    framework = parse_framework({
        "code": "t", "name": "T", "missing": "zero",
        "indicators": [
            {"code": "a", "weight": 60, "components": [
                {"code": "online", "max_points": 10, "rule": {"type": "threshold",
                                                              "input": "online_rate",
                                                              "threshold": 0.8}},
                {"code": "paid", "max_points": 10, "rule": {"type": "ratio", "numerator": "p",
                                                            "denominator": "q"},
                 "input_names": {"p": "paid online", "q": "all payments"}},
                {"code": "list", "max_points": 20, "rule": {"type": "checklist",
                                                            "criteria": ["c1", "c2"]},
                 "input_names": {"c1": "first", "c2": "second"}},
            ]},
            {"code": "b", "weight": 40, "components": [
                {"code": "band", "max_points": 10, "rule": {"type": "bands", "input": "x",
                                                            "bands": [[0.5, 0.5], [0.9, 1]]}},
            ]},
        ],
    })
    inputs = {"online_rate": [0.9, 0.4], "p": [1, 3], "q": [2, 0], "c1": [1, 1],
              "c2": [0, np.nan], "x": [0.95, 0.6]}
    zero = score(framework, ["u1", "u2"], inputs)
    # u1: online full 10, paid 0.5*10=5, checklist 1/2*20=10 -> 25/40; band 1.0
    assert zero.indicators[0].tolist() == pytest.approx([25 / 40, 1.0])
    assert zero.total[0] == pytest.approx(0.6 * 25 / 40 + 0.4)
    # u2: online 0.4/0.8=0.5 -> 5; paid missing (division by zero) -> 0; checklist missing -> 0
    assert zero.indicators[1][0] == pytest.approx(5 / 40)
    assert zero.missing[1] == ["c2"]
    reweighted = score(framework, ["u1", "u2"], inputs, missing="reweight")
    assert reweighted.indicators[1][0] == pytest.approx(5 / 10)  # only 'online' is present


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "x", "name": "X"}, "'indicators' is missing"),
        ({"code": "x", "name": "X", "indicators": [{"code": "a", "weight": 0}]}, "add up"),
        ({"code": "x", "name": "X", "missing": "guess",
          "indicators": [{"code": "a", "weight": 1}]}, "missing must be"),
        ({"code": "x", "name": "X", "indicators": [{"code": "a", "weight": 1, "components": [
            {"code": "c", "max_points": 1, "rule": {"type": "magic"}}]}]}, "unknown rule"),
        ({"code": "x", "name": "X", "indicators": [{"code": "a", "weight": 1, "components": [
            {"code": "c", "max_points": 1, "rule": {"type": "ratio"}}]}]}, "needs numerator"),
        ({"code": "x", "name": "X", "indicators": [{"code": "a", "weight": 1}],
          "pillars": [{"code": "p", "indicators": ["zz"]}]}, "unknown indicators zz"),
    ],
)
def test_bad_frameworks_say_where_and_why(data, message):
    with pytest.raises(FrameworkError, match=message):
        parse_framework(data)


def test_an_unknown_framework_names_the_known_ones():
    with pytest.raises(FrameworkError, match=r"known: .*dti-province-922"):
        load_framework("nope")


def test_rank_intervals_show_solid_and_shaky_ranks():
    from tinhso.scoring.robustness import rank_intervals

    # A clear leader, two units that swap places as the weights move, and a clear last.
    values = np.array([[0.95, 0.95], [0.70, 0.50], [0.50, 0.70], [0.10, 0.10]])
    result, ranks = rank_intervals(values, np.array([100.0, 100.0]), samples=500)
    assert ranks.shape == (4, 500)
    assert result.best[0] == result.worst[0] == 1
    assert result.best[3] == result.worst[3] == 4
    assert result.best[1] == 2 and result.worst[1] == 3  # shaky: 2nd or 3rd
    share = result.share_within(ranks, 2)
    assert 0.3 < share[1] < 0.7 and share[0] == 1.0


def test_perturbations_can_vary_the_missing_data_policy():
    from tinhso.scoring.robustness import perturbed_totals

    values = np.array([[1.0, np.nan], [0.6, 0.6]])
    totals = perturbed_totals(values, np.array([1.0, 1.0]), samples=4, spread=0.0)
    assert totals[0].tolist() == [0.5, 1.0, 0.5, 1.0]  # zero, then re-weighted, ...


def test_the_766_framework_adds_up_to_the_portal_groups_and_items():
    framework = load_framework("service-quality-766")
    assert [i.weight for i in framework.indicators] == [18, 20, 22, 22, 18]
    assert framework.scale == 100 and not framework.published_in_full
    assert framework.inputs_from == "indicators"
    points = {c.meta["ref"]: c.max_points for i in framework.indicators for c in i.components}
    assert [points[r] for r in ("1.1", "1.2", "1.3", "1.4")] == [6, 4, 2, 6]
    assert [points[r] for r in ("4.1", "4.2", "4.x", "4.3", "4.4", "4.5a", "4.5b")] == [
        6, 4, 2, 2, 4, 2, 2]
    assert [points[r] for r in ("5.1", "5.2", "5.3", "5.4")] == [0, 6, 6, 6]
    online = framework.indicator("online")
    assert [(p["code"], p["max_points"]) for p in online.parts] == [("dvctt", 12),
                                                                    ("payment", 10)]
    for component in (c for i in framework.indicators for c in i.components):
        assert component.meta["source"]  # every item carries its source note
    # the items whose sources conflict name the other rule
    for ref in ("3.4", "3.5", "4.2", "5.2", "5.3"):
        assert next(c for i in framework.indicators for c in i.components
                    if c.meta["ref"] == ref).meta["alternative"]


def test_linear_threshold_and_nothing_to_count_rules():
    framework = parse_framework({
        "code": "t", "name": "T", "total": 20, "indicators": [
            {"code": "g", "weight": 20, "components": [
                {"code": "lin", "max_points": 6, "rule": {"type": "linear", "input": "a"}},
                {"code": "thr", "max_points": 4, "rule": {"type": "threshold", "input": "b",
                                                          "threshold": 80}},
                {"code": "fb", "max_points": 10, "rule": {
                    "type": "linear", "input": "c", "empty_when": "n", "empty_share": 1}},
                {"code": "shown", "max_points": 0, "rule": {"type": "linear", "input": "d"}},
            ]}]})
    inputs = {"a": [50, 120, 50], "b": [40, 85, 40], "c": [30, None, None], "n": [10, 0, None]}
    result = score(framework, ["u1", "u2", "u3"], inputs)
    # u1: 6 x 0.5 + 4 x 40/80 + 10 x 0.3 = 3 + 2 + 3
    # u2: capped 6 + full 4 + nothing to count: full 10
    # u3: the feedback count itself is missing: a gap, scored 0 (policy zero)
    assert result.points.tolist() == pytest.approx([8, 20, 5])
    assert result.missing == [[], [], ["c", "n"]]  # "d" scores nothing: not a gap


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([{"code": "g", "weight": 10, "components": [
            {"code": "a", "max_points": 6, "rule": {"type": "linear"}},
            {"code": "b", "max_points": 3, "rule": {"type": "linear"}}]}],
         "group g: its items' points add up to 9, not the group's 10"),
        ([{"code": "g", "weight": 9, "components": [
            {"code": "a", "max_points": 9, "rule": {"type": "linear"}}]}],
         "the groups' points add up to 9, not the declared total 10"),
        ([{"code": "g", "weight": 10, "parts": [{"code": "p", "max_points": 4},
                                                {"code": "q", "max_points": 6}],
           "components": [{"code": "a", "max_points": 5, "part": "p", "rule": {"type": "linear"}},
                          {"code": "b", "max_points": 5, "part": "q",
                           "rule": {"type": "linear"}}]}],
         "part p: its items' points add up to 5, not 4"),
    ],
)
def test_a_framework_whose_points_do_not_add_up_is_refused(groups, message):
    with pytest.raises(FrameworkError, match=message):
        parse_framework({"code": "x", "name": "X", "total": 10, "indicators": groups})


def test_a_rate_with_nothing_to_count_needs_its_count():
    with pytest.raises(FrameworkError, match="empty_share needs empty_when"):
        parse_framework({"code": "x", "name": "X", "indicators": [{"code": "g", "weight": 1,
                         "components": [{"code": "a", "max_points": 1, "rule": {
                             "type": "linear", "empty_share": 1}}]}]})


def test_every_shipped_framework_loads_and_says_whether_it_is_published_in_full():
    from tinhso.scoring.engine import available_frameworks

    frameworks = {f.code: f for f in available_frameworks()}
    assert set(frameworks) == {"dti-province-1726", "dti-province-922", "dti-province-405",
                               "service-quality-766", "khanhhoa-units"}
    for framework in frameworks.values():
        assert framework.published_in_full or framework.note
    assert "ILLUSTRATIVE" in frameworks["khanhhoa-units"].note


def test_merged_provinces_average_their_members_main_indicators():
    from tinhso.scoring.engine import merge_members

    values = {"56": {"a": 0.6, "b": 0.5}, "58": {"a": 0.4, "b": float("nan")},
              "48": {"a": 0.9, "b": 0.8}, "49": {"a": 0.7, "b": 0.6}}
    merged = merge_members(values, {"58": "56", "49": "48"})
    assert merged == {"56": {"a": pytest.approx(0.5), "b": 0.5},
                      "48": {"a": pytest.approx(0.8), "b": pytest.approx(0.7)}}


def test_a_component_with_several_inputs_must_name_each():
    data = {"code": "t", "name": "T", "indicators": [{"code": "a", "weight": 1, "components": [
        {"code": "list", "max_points": 2, "rule": {"type": "checklist", "criteria": ["x", "y"]},
         "input_names": {"x": "X done"}}]}]}
    with pytest.raises(FrameworkError, match=r"input_names must name each.*missing: y"):
        parse_framework(data)
