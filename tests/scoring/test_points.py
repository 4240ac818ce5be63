"""A framework's official points replacing its assumed ones (pure)."""

from __future__ import annotations

import pytest

from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.scoring.points import points_problems, with_points

DTI_405 = "dti-province-405"
ASSUMED = {"nhan_thuc_so": 100, "the_che_so": 100, "ha_tang_so": 100, "nhan_luc_so": 100,
           "an_toan_thong_tin": 100, "chinh_quyen_so": 200, "kinh_te_so": 150, "xa_hoi_so": 150}


def test_the_405_framework_ships_its_assumption_marked_as_such():
    framework = load_framework(DTI_405)
    assert [p.code for p in framework.pillars] == ["digital_government", "digital_economy",
                                                    "digital_society"]
    assert {i.code: i.weight for i in framework.indicators} == ASSUMED
    assert len(framework.indicators) == 8 and sum(ASSUMED.values()) == framework.scale == 1000
    assert framework.points_assumed and "ASSUMED" in framework.points_assumption
    assert framework.points_assumption_vi.startswith("GIẢ ĐỊNH")
    assert framework.sub_indicators == 47
    assert all(not i.components for i in framework.indicators)  # no invented components
    assert not points_problems(framework, ASSUMED)


def test_a_table_that_does_not_add_up_is_refused():
    framework = load_framework(DTI_405)
    assert points_problems(framework, {**ASSUMED, "xa_hoi_so": 100}) == [("", "total")]
    assert ("kinh_te_so", "missing") in points_problems(
        framework, {k: v for k, v in ASSUMED.items() if k != "kinh_te_so"})
    assert ("do_thi_thong_minh", "unknown") in points_problems(
        framework, {**ASSUMED, "do_thi_thong_minh": 0})
    assert ("nhan_thuc_so", "negative") in points_problems(
        framework, {**ASSUMED, "nhan_thuc_so": -100, "the_che_so": 300})
    assert ("ha_tang_so", "not a number") in points_problems(
        framework, {**ASSUMED, "ha_tang_so": "một trăm"})
    with pytest.raises(FrameworkError, match="total"):
        with_points(framework, {**ASSUMED, "xa_hoi_so": 100})


def test_official_points_replace_the_assumed_ones():
    framework = load_framework(DTI_405)
    official = {**ASSUMED, "chinh_quyen_so": "250", "kinh_te_so": "100"}
    applied = with_points(framework, official)
    assert applied.indicator("chinh_quyen_so").weight == 250
    assert applied.indicator("kinh_te_so").weight == 100
    assert not applied.points_assumed and framework.points_assumed  # the file is unchanged
