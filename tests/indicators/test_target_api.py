"""``/api/v1/targets/``: a plan's kinds of target set through the API (checked, audited, for
those who define indicators) and listed with their status from the published results."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.factories import IndicatorFactory
from tests.factories.scoring import PublishedResultFactory, published_field
from tinhso.accounts.services import api_token_create
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
INDEX = "dti-province-922"


@pytest.fixture
def auth(people: dict[str, Any]) -> dict[str, dict[str, str]]:
    out = {}
    for name in ("coordinator", "reporter"):
        user = people[name]
        _, raw = api_token_create(actor=user, user=user, name="t")
        out[name] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return out


BAND = {"indicator": "dti_rank", "unit": "56", "year": 2025, "value": "17", "kind": "rank_band",
        "value_high": "19", "top": 20, "rank_of": 34, "framework": INDEX,
        "source": "4636/KH-UBND", "quote": "nằm trong nhóm Top 20 (khoảng 17-19 tỉnh/thành phố)"}


def test_a_band_is_set_and_listed_with_its_status(client, auth, khanh_hoa):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    IndicatorFactory(code="dti_rank", measure="rank", direction="lower", decimals=0)
    published_field(INDEX, 2024, 15)
    PublishedResultFactory(framework=INDEX, year=2024, unit=khanh_hoa, rank=16, total="0.7071")
    for n in range(17, 35):
        PublishedResultFactory(framework=INDEX, year=2024, rank=n)
    response = client.post("/api/v1/targets/", BAND, content_type="application/json",
                           **auth["coordinator"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["value_high"], body["top"]) == ("rank_band", "19", 20)
    assert body["status"]["status"] == "on_track"
    assert AuditEvent.objects.filter(action="target.set").count() == 1
    listed = client.get("/api/v1/targets/", {"indicator": "dti_rank"}).json()["items"]
    assert listed[0]["status"]["reason"] == ("16/34 in 2024: inside the top 20, above the "
                                             "17-19 band")
    assert listed[0]["quote"] == BAND["quote"]


def test_a_bad_band_or_count_is_a_clear_400_and_writes_nothing(client, auth, khanh_hoa):
    IndicatorFactory(code="dti_rank", measure="rank", direction="lower", decimals=0)
    for bad in ({**BAND, "value_high": "40"}, {**BAND, "value": "20", "value_high": "19"},
                {**BAND, "kind": "rank_count", "value": "9", "among": 8, "top": 10}):
        response = client.post("/api/v1/targets/", bad, content_type="application/json",
                               **auth["coordinator"])
        assert response.status_code == 400, response.content
    assert not AuditEvent.objects.filter(action="target.set").exists()


def test_only_those_who_define_indicators_set_targets(client, auth, khanh_hoa):
    IndicatorFactory(code="dti_rank", measure="rank", direction="lower", decimals=0)
    response = client.post("/api/v1/targets/", BAND, content_type="application/json",
                           **auth["reporter"])
    assert response.status_code == 403
    assert client.post("/api/v1/targets/", BAND,
                       content_type="application/json").status_code == 401
