from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def test_rankings_index_and_the_2022_table(client, demo):
    page = client.get("/rankings/").content.decode()
    assert 'data-testid="not-in-full"' in page and "/rankings/dti-province-922/2022/" in page
    response = client.get("/rankings/dti-province-922/2022/")
    rows = response.context["rows"]
    assert len(rows) == 63
    ranks = {r.unit.code: r.rank for r in rows}
    assert ranks["38"] == ranks["15"] == 15 and ranks["56"] == 41
    assert 'class="bar"' in response.content.decode()


def test_khanh_hoa_gap_to_25th_and_the_cheapest_plan(client, demo):
    response = client.get("/rankings/dti-province-922/2022/56/")
    gap = response.context["gap"]
    assert gap.score_to_beat == pytest.approx(0.6077)
    assert gap.holder.unit.code == "84"  # Trà Vinh
    assert gap.published_rank == 41
    assert gap.current == pytest.approx(0.5485)
    assert gap.plan.missing_points == pytest.approx(59.2)
    assert gap.plan.reachable and sum(s.points for s in gap.plan.steps) == pytest.approx(59.2)
    page = response.content.decode()
    assert 'data-testid="illustrative"' in page and "0,6077" in page


def test_what_if_recomputes_score_and_plan(client, demo):
    response = client.get("/rankings/dti-province-922/2022/56/", {
        "v_chinh_quyen_so": "0.92", "rank": "25"})
    gap = response.context["gap"]
    assert gap.current == pytest.approx(0.5485 + 0.2 * 0.30)
    assert gap.plan.already_reached and gap.beats_target
    # A costly indicator is avoided by the plan.
    response = client.get("/rankings/dti-province-922/2022/56/", {
        "e_chinh_quyen_so": "100", "e_kinh_te_so": "100", "e_xa_hoi_so": "100"})
    codes = {s.code for s in response.context["gap"].plan.steps}
    assert not codes & {"chinh_quyen_so", "kinh_te_so", "xa_hoi_so"}


def test_bad_requests_say_why(client, demo):
    assert client.get("/rankings/nope/2022/").status_code == 404
    assert client.get("/rankings/dti-province-922/1999/").status_code == 404
    assert client.get("/rankings/dti-province-922/2022/20/").status_code == 404  # no values
    response = client.get("/rankings/dti-province-922/2022/56/", {"v_kinh_te_so": "abc"})
    assert response.status_code == 400 and "abc" in response.content.decode()


def test_a_target_rank_outside_the_field_is_a_400_that_says_why(client, demo):
    client.cookies["django_language"] = "en"  # the page read in English
    cases = [("0", "between 1 and 63"), ("64", "between 1 and 63"), ("99", "between 1 and 63"),
             ("abc", "whole number, not &#x27;abc&#x27;"), ("2.5", "whole number")]
    for rank, says in cases:
        for htmx in (False, True):
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.get("/rankings/dti-province-922/2022/56/", {"rank": rank},
                                  headers=headers)
            page = response.content.decode()
            assert response.status_code == 400, (rank, htmx)
            assert 'data-testid="rank-error"' in page and says in page
            assert 'id="results"' in page  # the htmx form swaps it in (hx-on::before-swap)
            assert ('data-testid="what-if"' in page) is not htmx


def test_a_unit_with_published_values_is_scored_from_them(client, demo):
    response = client.get("/rankings/dti-province-922/2022/48/")
    assert response.context["gap"].current == pytest.approx(0.800175)
    assert response.context["gap"].plan.already_reached
    assert 'data-testid="illustrative"' not in response.content.decode()


def test_the_unit_page_shows_how_solid_ranks_are(client, demo):
    response = client.get("/rankings/dti-province-922/2022/56/")
    rows = response.context["robust_rows"]
    assert len(rows) == 6 and rows[-1]["is_unit"]
    assert rows[0]["low"] == rows[0]["high"] == 1  # Đà Nẵng leads whatever the weights
    assert rows[-1]["low"] == 6  # Khánh Hòa's illustrative values stay last of these six
    assert 'data-testid="robustness"' in response.content.decode()


def test_the_gap_page_asks_the_programme_for_the_tasks_behind_each_step(client, demo):
    response = client.get("/rankings/dti-province-922/2022/56/")
    steps = response.context["gap"].plan.steps
    page = response.content.decode()
    assert steps
    for step in steps:
        assert (f'<div hx-get="/programme/serving/?codes={step.code}" hx-trigger="load" '
                f'hx-swap="innerHTML">') in page
        assert f'<a href="/programme/serving/?codes={step.code}">' in page  # without htmx
