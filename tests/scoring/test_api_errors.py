"""The scoring API's edges (issue 13, item 10): a value not published is null, never NaN (which
is not JSON); a year without a ranking is a clear 404, not a 500 nor 'between 1 and 0'."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tinhso.scoring.models import PublishedResult, ScoreInput

pytestmark = pytest.mark.django_db

FW = "dti-province-922"


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages asserted in English, whatever the catalogue translates (the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def demo(db):
    call_command("demo", "--quiet-accounts", verbosity=0)


def _strict(response):
    def refuse(name):
        raise AssertionError(f"{name} written in the JSON")
    return json.loads(response.content, parse_constant=refuse)


def test_a_main_indicator_not_published_is_null_not_nan(client, demo):
    result = PublishedResult.objects.get(framework=FW, year=2022, unit__code="49")
    values = {code: "0.5" for code in ("nhan_thuc_so", "the_che_so", "ha_tang_so",
                                       "nhan_luc_so", "an_toan_thong_tin", "chinh_quyen_so",
                                       "kinh_te_so")}  # xa_hoi_so not published
    result.values = values
    result.save()
    response = client.get(f"/api/v1/scoring/units/{FW}/2022/49/", {"rank": 1})
    assert response.status_code == 200
    indicators = {i["code"]: i["value"] for i in _strict(response)["indicators"]}
    assert indicators["xa_hoi_so"] is None
    assert indicators["nhan_thuc_so"] == 0.5


@pytest.mark.parametrize("ask", ["explain", "what-if"])
def test_a_year_without_a_ranking_is_a_clear_404(client, demo, ask):
    unit = PublishedResult.objects.get(framework=FW, year=2022, unit__code="56").unit
    ScoreInput.objects.create(framework=FW, year=2024, unit=unit, code="nhan_thuc_so",
                              value=0.7, source="own")
    if ask == "explain":
        response = client.get(f"/api/v1/scoring/units/{FW}/2024/56/", {"rank": 1})
    else:
        response = client.post("/api/v1/scoring/what-if/", {
            "framework": FW, "year": 2024, "unit": "56", "target_rank": 1,
        }, content_type="application/json")
    assert response.status_code == 404
    assert _strict(response) == {"detail": f"{FW} has no published ranking for 2024: a unit's "
                                           "score is explained against the ranking of a year "
                                           "that has one."}


@pytest.mark.parametrize("path", [
    f"/api/v1/scoring/units/{FW}/99999999999999999999/56/",
    f"/api/v1/scoring/rankings/{FW}/-1/",
    f"/api/v1/scoring/rankings/{FW}/40000/",
])
def test_a_year_out_of_range_is_422(client, db, path):
    response = client.get(path)
    assert response.status_code == 422
    assert _strict(response)["errors"][0]["field"] == "year"


def test_a_framework_code_no_file_could_have_is_404(client, db):
    response = client.get(f"/api/v1/scoring/rankings/{'x' * 300}/2022/")
    assert response.status_code == 404
    assert _strict(response)["detail"].startswith("There is no framework")


@pytest.mark.parametrize(("field", "number"), [
    ("efforts", -1), ("efforts", 1e300), ("values", "NaN"), ("ceilings", "-Infinity"),
])
def test_a_what_if_number_the_plan_cannot_use_is_422(client, demo, field, number):
    """A negative or overflowing effort, or a value that is not finite, made the plan fail
    with a 500."""
    body = json.dumps({"framework": FW, "year": 2022, "unit": "56", "target_rank": 20,
                       field: {"nhan_thuc_so": number}})
    response = client.post("/api/v1/scoring/what-if/", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert _strict(response)["errors"][0]["field"].startswith(field)


def test_nan_in_a_body_is_not_json(client, db):
    response = client.post("/api/v1/scoring/what-if/", '{"framework": NaN}',
                           content_type="application/json")
    assert response.status_code == 400
    assert _strict(response)["errors"] == [{"field": "body", "message": "The body is not valid "
                                            "JSON: NaN is not a JSON number."}]
