from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def test_frameworks_rankings_and_an_explanation(client, demo):
    frameworks = client.get("/api/v1/scoring/frameworks/").json()
    dti = next(f for f in frameworks if f["code"] == "dti-province-922")
    assert [i["weight"] for i in dti["indicators"]] == [100, 100, 100, 100, 100, 0, 200, 150, 150]
    assert dti["published_in_full"] is False
    ranking = client.get("/api/v1/scoring/rankings/dti-province-922/2022/").json()
    assert len(ranking) == 63 and ranking[0] == {"rank": 1, "unit": "48", "name": "TP. Đà Nẵng",
                                                 "total": 0.8002}
    body = client.get("/api/v1/scoring/units/dti-province-922/2022/56/", {"rank": 25}).json()
    assert body["illustrative"] is True and body["published_rank"] == 41
    assert body["gap"]["score_to_beat"] == pytest.approx(0.6077)
    assert body["gap"]["held_by"] == "84"
    assert sum(s["points"] for s in body["gap"]["plan"]) == pytest.approx(59.2)
    assert body["indicators"][0]["source"].startswith("Minh họa")


def test_what_if(client, demo):
    body = client.post("/api/v1/scoring/what-if/", {
        "framework": "dti-province-922", "year": 2022, "unit": "56",
        "values": {"chinh_quyen_so": 0.92}}, content_type="application/json").json()
    assert body["gap"]["already_reached"] is True
    assert body["indicators"][6]["source"] == "what-if"
    response = client.post("/api/v1/scoring/what-if/", {
        "framework": "dti-province-922", "year": 2022, "unit": "56",
        "values": {"nope": 1}}, content_type="application/json")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_a_ranking_across_the_merger_averages_the_members(client, demo):
    from tinhso.scoring.models import PublishedResult

    # Đà Nẵng (48) absorbed Quảng Nam (49): give Quảng Nam published values too.
    values = {"nhan_thuc_so": "0.8", "the_che_so": "0.8", "ha_tang_so": "0.8",
              "nhan_luc_so": "0.8", "an_toan_thong_tin": "0.8", "chinh_quyen_so": "0.8",
              "kinh_te_so": "0.8", "xa_hoi_so": "0.8"}
    PublishedResult.objects.filter(framework="dti-province-922", year=2022,
                                   unit__code="49").update(values=values)
    body = client.get("/api/v1/scoring/rankings/dti-province-922/2022/",
                      {"merged": "true"}).json()
    by_unit = {row["unit"]: row for row in body}
    assert "49" not in by_unit and len(body) == 5
    # (Đà Nẵng's 0.800175 and 0.8 averaged indicator by indicator) = 0.8000875
    assert by_unit["48"]["total"] == pytest.approx((0.800175 + 0.8) / 2)
    assert by_unit["48"]["rank"] == 1
