"""Ranks as sources write them, and a rank history's breaks (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tinhso.scoring.history import (
    Point,
    RankTextError,
    breaks,
    chart,
    parse_rank,
    parse_score,
    plain,
    says_after_merger,
    segments,
)


def test_ranks_keep_their_qualification():
    assert parse_rank("16").rank == 16 and parse_rank("16").basis == "published"
    bottom = parse_rank("32-34 (bottom 3; exact order not found)")
    assert (bottom.rank, bottom.rank_to, bottom.basis) == (32, 34, "published")
    assert bottom.note == "bottom 3; exact order not found"
    inferred = parse_rank("3 (inferred from listing order)")
    assert (inferred.rank, inferred.rank_to, inferred.basis) == (3, None, "inferred")
    derived = parse_rank("30 (derived: 41 in 2022 'giảm 11 bậc so với năm 2021')")
    assert (derived.rank, derived.basis) == (30, "derived") and "giảm 11 bậc" in derived.note
    assert parse_rank("") is None and parse_rank("  ") is None


@pytest.mark.parametrize("text", ["NOT FOUND", "0", "34-32", "sixteen", "16/34"])
def test_what_is_not_a_rank_is_refused(text):
    with pytest.raises(RankTextError):
        parse_rank(text)


def test_a_score_is_a_number_or_a_range_said_as_such():
    assert parse_score("0.7071") == (Decimal("0.7071"), "")
    assert parse_score("0,7071") == (Decimal("0.7071"), "")
    assert parse_score("") == (None, "")
    assert parse_score("~0.5–<0.6 (range only)") == (None, "~0.5–<0.6 (range only)")
    for bad in ("0.7O71", "1.5"):
        with pytest.raises(RankTextError):
            parse_score(bad)


def test_names_compare_without_accents_and_the_merger_is_read_in_a_name():
    assert plain("Thừa Thiên - Huế") == plain("Thừa Thiên Huế") == "thuathienhue"
    assert plain("Đà Nẵng") == "danang"
    assert says_after_merger("Khánh Hòa (sau sáp nhập với Ninh Thuận)")
    assert not says_after_merger("Khánh Hòa")


KHANH_HOA = [
    Point(2020, "dti-province-1726", 63, None),
    Point(2021, "dti-province-922", 63, 30, basis="derived"),
    Point(2022, "dti-province-922", 63, 41),
    Point(2023, "dti-province-922", 63, None),
    Point(2024, "dti-province-405", 34, 16),
]


def test_breaks_where_the_method_or_the_field_changes():
    found = breaks(KHANH_HOA)
    assert [(b.after, b.before) for b in found] == [(2020, 2021), (2023, 2024)]
    assert found[0].method_changed and not found[0].field_changed
    assert found[1].method_changed and found[1].field_changed  # 922 → 405 and 63 → 34
    # A line joins 2021 and 2022 only: 2023 is a gap, 2024 is across a break.
    assert [[p.year for p in run] for run in segments(KHANH_HOA)] == [[2021, 2022], [2024]]


def test_the_chart_places_a_rank_within_its_own_field():
    drawn = chart(KHANH_HOA, width=640, height=240)
    by_year = {p.point.year: p for p in drawn.points}
    assert by_year[2020].y is None and by_year[2023].y is None  # gaps, not zeros
    # 16th of 34 sits at (16 - 1) / 33 of the way down; 41st of 63 at 40 / 62.
    span = drawn.bottom - drawn.top
    assert by_year[2024].y == pytest.approx(drawn.top + 15 / 33 * span, abs=0.1)
    assert by_year[2022].y == pytest.approx(drawn.top + 40 / 62 * span, abs=0.1)
    assert len(drawn.lines) == 1 and len(drawn.breaks) == 2
    assert by_year[2020].x < drawn.breaks[0].x < by_year[2021].x
