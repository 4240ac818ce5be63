"""Plan 4636's kinds of target: set through the services (checked, audited), and their status
read from the published results of their index, with the reason in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories.indicators import IndicatorFactory
from tests.factories.scoring import PublishedResultFactory, published_field
from tinhso.audit.models import AuditEvent
from tinhso.indicators.models import Measure, TargetKind
from tinhso.indicators.target_services import target_add, target_update
from tinhso.indicators.target_status import kind_statuses

pytestmark = pytest.mark.django_db
INDEX = "dti-province-922"  # a framework shipped with the platform (8 main indicators with points)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def rank(db: None) -> Any:
    return IndicatorFactory(code="dti_rank", measure=Measure.RANK, direction="lower",
                            decimals=0)


@pytest.fixture
def score(db: None) -> Any:
    return IndicatorFactory(code="dti_score", measure=Measure.SCORE, decimals=4)


def _plan(actor: Any, unit: Any, rank: Any, score: Any) -> dict[str, Any]:
    return {
        "band": target_add(actor=actor, indicator=rank, unit=unit, year=2025, value=17,
                           kind=TargetKind.BAND, value_high=19, rank_of=34, top=20,
                           framework=INDEX, source="4636/KH-UBND"),
        "score": target_add(actor=actor, indicator=score, unit=unit, year=2025, value="800",
                            kind=TargetKind.SCORE, scale=1000, framework=INDEX,
                            source="4636/KH-UBND"),
        "count": target_add(actor=actor, indicator=rank, unit=unit, year=2025, value=4,
                            kind=TargetKind.RANK_COUNT, top=10, among=8, rank_of=34,
                            framework=INDEX, source="4636/KH-UBND"),
        "climb": target_add(actor=actor, indicator=rank, unit=unit, year=2030, value=1,
                            value_high=2, kind=TargetKind.CLIMB, rank_of=34, framework=INDEX,
                            source="4636/KH-UBND"),
    }


def test_the_plans_targets_with_khanh_hoas_2024_result(people, khanh_hoa, rank, score):
    targets = _plan(people["coordinator"], khanh_hoa, rank, score)
    published_field(INDEX, 2024, 15)
    PublishedResultFactory(framework=INDEX, year=2024, unit=khanh_hoa, rank=16,
                           total="0.7071")
    for n in range(17, 35):
        PublishedResultFactory(framework=INDEX, year=2024, rank=n)
    found = kind_statuses(targets.values(), khanh_hoa)
    band, points, count, climb = (found[targets[k].pk] for k in ("band", "score", "count",
                                                                    "climb"))
    assert band.status == "on_track"
    assert band.reason == "16/34 in 2024: inside the top 20, above the 17-19 band"
    assert band.terms == "rank 17-19 of 34 by 2025 (inside the top 20)"
    assert points.status == "at_risk"
    assert points.reason == "score 0.7071 in 2024 (707/1,000), 93 points short of 800"
    assert points.terms == "at least 800/1,000 points by 2025"
    assert (count.status, count.reason) == ("unknown",
                                            "main indicators in the top 10: not published")
    assert climb.status == "unknown"
    assert climb.reason == "16/34 in 2024: no earlier rank among 34 to climb from"
    assert climb.terms == "at least 1-2 places a year (of 34) until 2030"


def test_main_indicator_ranks_are_read_from_a_whole_published_field(people, khanh_hoa, rank,
                                                                     score):
    targets = _plan(people["coordinator"], khanh_hoa, rank, score)
    codes = ["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so", "an_toan_thong_tin",
             "chinh_quyen_so", "kinh_te_so", "xa_hoi_so"]
    mine = {c: (0.99 if i < 3 else 0.01) for i, c in enumerate(codes)}  # 1st in three, last in 5
    PublishedResultFactory(framework=INDEX, year=2025, unit=khanh_hoa, rank=12, values=mine)
    for n in range(2, 35):
        PublishedResultFactory(framework=INDEX, year=2025, rank=n if n != 12 else 1,
                               values={c: 0.5 for c in codes})
    count = kind_statuses([targets["count"]], khanh_hoa)[targets["count"].pk]
    assert count.status == "off_track"  # the target year's own result: missed
    assert count.reason == "3 of 8 main indicators in the top 10 in 2025, 1 short of 4"
    band = kind_statuses([targets["band"]], khanh_hoa)[targets["band"].pk]
    assert (band.status, band.reason) == ("achieved",
                                          "12/34 in 2025: inside the top 20, above the 17-19 "
                                          "band")


def test_a_main_indicator_not_published_for_every_province_is_not_ranked(
        people, khanh_hoa, rank, score):
    target = _plan(people["coordinator"], khanh_hoa, rank, score)["count"]
    PublishedResultFactory(framework=INDEX, year=2024, unit=khanh_hoa, rank=16,
                           values={"nhan_thuc_so": 0.9})
    PublishedResultFactory(framework=INDEX, year=2024, rank=1, values={})
    assert kind_statuses([target], khanh_hoa)[target.pk].status == "unknown"


def test_a_rank_of_the_other_field_is_not_read_against_the_band(people, khanh_hoa, rank,
                                                                  score):
    target = _plan(people["coordinator"], khanh_hoa, rank, score)["band"]
    PublishedResultFactory(framework=INDEX, year=2022, unit=khanh_hoa, rank=41)
    published_field(INDEX, 2022, 62)
    found = kind_statuses([target], khanh_hoa)[target.pk]
    assert found.status == "unknown"
    assert found.reason == "41/63 in 2022 was ranked among 63; the target is set among 34"


def test_the_targets_are_audited_and_their_terms_checked(people, khanh_hoa, rank, score):
    actor = people["coordinator"]
    band = target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=17,
                      kind=TargetKind.BAND, value_high=19, rank_of=34, framework=INDEX)
    event = AuditEvent.objects.filter(action="target.set").latest("id")
    assert event.details["kind"] == "rank_band" and event.details["value_high"] == "19"
    bad = [
        ({"kind": TargetKind.BAND, "value": 19, "value_high": 17, "rank_of": 34}, "value_high"),
        ({"kind": TargetKind.BAND, "value": 17, "value_high": 40, "rank_of": 34}, "value_high"),
        ({"kind": TargetKind.BAND, "value": 17, "rank_of": 34}, "value_high"),
        ({"kind": TargetKind.RANK_COUNT, "value": 9, "top": 10, "among": 8, "rank_of": 34},
         "value"),
        ({"kind": TargetKind.RANK_COUNT, "value": 4, "top": 10, "among": 12, "rank_of": 34},
         "among"),
        ({"kind": TargetKind.RANK_COUNT, "value": 4, "top": 40, "among": 8, "rank_of": 34},
         "top"),
        ({"kind": TargetKind.CLIMB, "value": 2, "value_high": 1, "rank_of": 34}, "value_high"),
        ({"kind": "nonsense", "value": 1}, "kind"),
        ({"kind": TargetKind.SCORE, "value": 800, "scale": 1000}, "kind"),  # a rank indicator
    ]
    for fields, where in bad:
        with pytest.raises(ValidationError) as caught:
            target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2026,
                       framework=INDEX, **fields)
        assert where in caught.value.message_dict, (fields, caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        target_add(actor=actor, indicator=score, unit=khanh_hoa, year=2026, value=1200,
                   kind=TargetKind.SCORE, scale=1000, framework=INDEX)
    assert "value" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        target_add(actor=actor, indicator=score, unit=khanh_hoa, year=2026, value=800,
                   kind=TargetKind.SCORE, scale=1000, framework="no-such-index")
    assert "framework" in caught.value.message_dict
    target_update(actor=actor, target=band, value_high=18)
    band.refresh_from_db()
    assert band.value_high == 18
    assert AuditEvent.objects.filter(action="target.updated").latest("id").details[
        "changes"] == {"value_high": {"from": "19", "to": "18"}}


def test_a_band_and_a_plain_rank_target_of_the_same_year_and_field_live_together(
        people, khanh_hoa, rank):
    actor = people["coordinator"]
    target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=20, rank_of=34)
    target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=17, rank_of=34,
               kind=TargetKind.BAND, value_high=19, framework=INDEX)
    with pytest.raises(ValidationError):
        target_add(actor=actor, indicator=rank, unit=khanh_hoa, year=2025, value=16,
                   rank_of=34, kind=TargetKind.BAND, value_high=18, framework=INDEX)


def test_setting_a_target_needs_the_permission(people, khanh_hoa, rank):
    from django.core.exceptions import PermissionDenied  # local: only this test raises it

    with pytest.raises(PermissionDenied):
        target_add(actor=people["reporter"], indicator=rank, unit=khanh_hoa, year=2025,
                   value=17, rank_of=34, kind=TargetKind.BAND, value_high=19, framework=INDEX)


def test_the_targets_page_adds_a_band_and_refuses_a_bad_one(client, people, khanh_hoa, rank):
    client.force_login(people["coordinator"])
    client.cookies["django_language"] = "en"
    form = {"unit": khanh_hoa.pk, "year": 2025, "value": "17", "kind": "rank_band",
            "value_high": "19", "top": 20, "rank_of": 34, "framework": INDEX,
            "source": "4636/KH-UBND"}
    bad = client.post("/indicators/dti_rank/targets/", {**form, "value_high": "40"})
    assert bad.status_code == 400 and "does not hold" in bad.content.decode()
    assert not rank.targets.exists()
    response = client.post("/indicators/dti_rank/targets/", form)
    assert response.status_code == 302
    band = rank.targets.get()
    assert (band.kind, band.value_high, band.top, band.framework) == ("rank_band", 19, 20, INDEX)
    page = client.get("/indicators/dti_rank/targets/").content.decode()
    assert "rank 17-19 of 34 by 2025 (inside the top 20)" in page
    assert "no published rank among 34 yet" in page  # nothing published: said, not zero
