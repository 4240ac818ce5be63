"""The Decision 766 score of a unit's year of dossiers equals a hand computation, group by group,
from the same counts with the item rules of methods/qd766_components.csv."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import form_for
from tests.procedures.conftest import TUESDAY_9AM, VN
from tinhso.indicators.models import Indicator, IndicatorValue
from tinhso.indicators.selectors import compute
from tinhso.procedures import aggregate, figures, publication
from tinhso.procedures.models import Channel, Complaint, DossierStat
from tinhso.procedures.services import (
    Applicant,
    dossier_approve,
    dossier_complain,
    dossier_rate,
    dossier_receive,
    feedback_answer,
    feedback_rate,
)
from tinhso.scoring.engine import load_framework
from tinhso.scoring.selectors import scores_from_indicators

pytestmark = pytest.mark.django_db

BIRTH = "Đăng ký khai sinh"  # fully online, free, the same working day
MARITAL = "Cấp Giấy xác nhận tình trạng hôn nhân"  # fully online, a fee, 3 working days
SIGNATURE = "Chứng thực chữ ký"  # not online, a fee
FRAMEWORK = "service-quality-766"


def _items(khanh_hoa: Any, unit_code: str = "22366") -> tuple[dict[str, float], dict[str, Any]]:
    """The unit's points per item (by its number) and the counts and rates behind them."""
    framework = load_framework(FRAMEWORK)
    unit = next(u for u in [khanh_hoa, *khanh_hoa.children.all()] if u.code == unit_code)
    codes = [c for c in Indicator.objects.values_list("code", flat=True)]
    computed = compute(codes=codes, periods=["2026"], root=khanh_hoa)
    scored = scores_from_indicators(framework, [unit], "2026", root=khanh_hoa,
                                    computed=computed)
    shares = {c.meta["ref"]: float(scored.scores.components[c.code][0])
              for i in framework.indicators for c in i.components}
    maxima = {c.meta["ref"]: c.max_points for i in framework.indicators for c in i.components}
    # an item without its input scores 0: the framework's declared missing policy
    assert framework.missing == "zero"
    points = {r: 0.0 if math.isnan(s) else s * maxima[r] for r, s in shares.items()}
    values = {c: computed.value(c, unit, "2026") for c in codes}
    return points, values


def _desk(officer: Any, procedures: Any, units: Any, name: str, **flags: Any) -> Any:
    return dossier_receive(actor=officer, procedure=procedures[name], unit=units["22366"],
                           channel=Channel.IN_PERSON,
                           applicant=Applicant("Trần Thị C", "0912345678"),
                           form_data=form_for(procedures[name]),
                           now=TUESDAY_9AM, **flags)


def _score(khanh_hoa: Any, code: str = "22366") -> float:
    rows = {f.unit.code: f for f in figures.service_figures(khanh_hoa, 2026)}
    score = rows[code].score_766
    assert score is not None
    return score


def test_group_1_publicity_from_the_catalogue_and_the_synchronisation_counts(
        submit, catalogue, reference_units, khanh_hoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(BIRTH)
        submit(BIRTH)
    publication.publish_catalogue()
    # The counts other parts of the platform write (the catalogue's announcements, the
    # national-portal connector), as they would publish them.
    commune = reference_units["22366"]
    for code, value in {"procedures_announced": 8, "procedures_announced_on_time": 6,
                        "procedures_disclosed": 10, "procedures_disclosed_on_time": 5,
                        "dossiers_synchronised": 1}.items():
        IndicatorValue.objects.create(indicator=Indicator.objects.get(code=code), unit=commune,
                                      period="2026", value=value, source="test")
    points, v = _items(khanh_hoa)
    assert v["procedures_total"] == 12 and v["procedures_published_in_full"] == 10
    assert v["dossiers_received"] == 2
    hand = {"1.1": 6 * 6 / 8, "1.2": 4 * 5 / 10, "1.3": 2 * 10 / 12, "1.4": 6 * 1 / 2}
    assert {r: points[r] for r in hand} == pytest.approx(hand)


def test_group_2_progress_is_twenty_times_the_on_time_rate(
        submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        for hours in (1, 2):  # on time: the same working day
            dossier_approve(actor=officer, dossier=submit(BIRTH),
                            now=TUESDAY_9AM + timedelta(hours=hours))
        dossier_approve(actor=officer, dossier=submit(BIRTH),  # late: three days later
                        now=TUESDAY_9AM + timedelta(days=3))
    points, v = _items(khanh_hoa)
    assert (v["dossiers_resolved"], v["dossiers_resolved_on_time"]) == (3, 2)
    assert points["2.1"] == pytest.approx(20 * 2 / 3)
    assert points["2.2"] == 0  # tracked by the portal, not scored


def test_group_3_online_services_and_payment(
        submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        submit(BIRTH)
        submit(MARITAL, paid_online=True)
        submit(MARITAL)
        for _ in range(3):
            _desk(officer, catalogue, reference_units, BIRTH)
        _desk(officer, catalogue, reference_units, SIGNATURE)
    publication.publish_catalogue()
    points, v = _items(khanh_hoa)
    # Fully-online procedures' dossiers: 6 (birth 4, marital 2), 3 of them online.
    assert (v["dossiers_full_online_eligible"], v["dossiers_full_online"]) == (6, 3)
    fees, integrated = v["procedures_fee_payable"], v["procedures_payment_integrated"]
    assert v["procedures_paid_online"] == 1  # the marriage-status certificate
    assert (v["dossiers_fee_payable"], v["dossiers_paid_online"]) == (3, 1)
    hand = {
        "3.1": 0.0, "3.3": 0.0,  # tracked without points
        "3.4": 12 * min(1, (3 / 6 * 100) / 50),  # full from 50 %
        "3.5": 2 * min(1, (integrated / fees * 100) / 80),  # full from 80 %
        "3.5b": 2 * min(1, (1 / fees * 100) / 80),
        "3.6": 6 * 1 / 3,
    }
    assert {r: points[r] for r in hand} == pytest.approx(hand)
    assert sum(points[r] for r in ("3.1", "3.2", "3.3", "3.4", "3.5", "3.5b", "3.6")) <= 22


def test_group_4_digitisation_with_the_officer_recorded_data_use(
        submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier_approve(actor=officer, dossier=submit(BIRTH),
                        now=TUESDAY_9AM + timedelta(hours=1))
        _desk(officer, catalogue, reference_units, BIRTH, digitised=True, reused_data=True,
              population_data=True)
        _desk(officer, catalogue, reference_units, BIRTH, population_data=True)
        _desk(officer, catalogue, reference_units, SIGNATURE)
    live = aggregate.totals(DossierStat.objects.all())
    aggregate.rebuild()  # the officer's flags count the same live and rebuilt
    assert aggregate.totals(DossierStat.objects.all()) == live
    points, v = _items(khanh_hoa)
    assert v["dossiers_received"] == 4
    assert (v["dossiers_digitised"], v["dossiers_reused_data"],
            v["dossiers_population_data"]) == (2, 1, 2)
    assert (v["dossiers_resolved"], v["dossiers_electronic_result"]) == (1, 1)
    hand = {"4.1": 6 * 1 / 1, "4.2": 4 * 2 / 4,  # linear (the portal's figures)
            "4.3": 2 * min(1, 25 / 80),  # full from 80 %
            "4.5b": 2 * 2 / 4,
            "4.x": 0.0, "4.4": 0.0, "4.5a": 0.0}  # no source yet: policy zero
    assert {r: points[r] for r in hand} == pytest.approx(hand)


def test_group_5_feedback_and_satisfaction(
        submit, desk, applicant_user, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    now = timezone.now()
    early = datetime(2026, 10, 6, 9, 0, tzinfo=VN)  # a Tuesday: feedback falls due in October
    with django_capture_on_commit_callbacks(execute=True):
        happy, unhappy, asked, fine = (submit(BIRTH, at=early) for _ in range(4))
        for dossier in (happy, unhappy, asked, fine):
            dossier_approve(actor=officer, dossier=dossier, now=early + timedelta(hours=1))
        dossier_rate(account=applicant_user, dossier=happy, level=5,
                     now=early + timedelta(hours=2))
        dossier_rate(account=applicant_user, dossier=unhappy, level=2,
                     now=early + timedelta(hours=2))
        # feedback answered on time and found satisfying; answered late and not; still open,
        # sent today so not yet due
        first = dossier_complain(account=applicant_user, dossier=asked, text="Chậm",
                                 now=early + timedelta(hours=3))
        feedback_answer(actor=officer, complaint=first, answer="Đã xử lý",
                        now=early + timedelta(days=1))
        feedback_rate(account=applicant_user, complaint=first, satisfied=True)
        second = dossier_complain(account=applicant_user, dossier=unhappy, text="Thái độ",
                                  category=Complaint.Category.CONDUCT,
                                  now=early + timedelta(hours=3))
        feedback_answer(actor=officer, complaint=second, answer="Đã nhắc nhở",
                        now=second.due_at + timedelta(hours=1))
        feedback_rate(account=applicant_user, complaint=second, satisfied=False)
        dossier_complain(account=applicant_user, dossier=fine, text="Hỏi thêm", now=now)
    points, v = _items(khanh_hoa)
    assert (v["feedback_received"], v["feedback_on_time"], v["feedback_rated"],
            v["feedback_satisfied"], v["feedback_about_procedures"]) == (3, 2, 2, 1, 2)
    # 5.4: of 4 dossiers, 'unhappy' (dissatisfied and with feedback), 'asked' and 'fine'
    # (with feedback) count against: 1 of 4 = 25 %, below the 90 % threshold
    assert (v["dossiers_received"], v["dossiers_unsatisfactory"]) == (4, 3)
    hand = {"5.1": 0.0, "5.2": 6 * 2 / 3, "5.3": 6 * 1 / 2, "5.4": 6 * 25 / 90}
    assert {r: points[r] for r in hand} == pytest.approx(hand)
    assert points["5.x"] == 0  # tracked, no source


def test_no_feedback_at_all_gives_full_points_and_the_score_adds_the_items(
        submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            dossier_approve(actor=officer, dossier=submit(BIRTH),
                            now=TUESDAY_9AM + timedelta(hours=1))
    points, v = _items(khanh_hoa)
    assert v["feedback_received"] == 0 and v["feedback_on_time_rate"] is None
    # no feedback: full points for 5.2 and 5.3 (the portal's figures); 10 of 10 satisfactory
    assert (points["5.2"], points["5.3"], points["5.4"]) == (6, 6, 6)
    # the statistics page's score is the sum of the items
    assert _score(khanh_hoa) == pytest.approx(sum(points.values()))


def test_the_explanation_page_shows_each_item_input_rule_and_points(
        client, settings, submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    officer = desk["commune"]
    with django_capture_on_commit_callbacks(execute=True):
        for hours in (1, 2):
            dossier_approve(actor=officer, dossier=submit(BIRTH),
                            now=TUESDAY_9AM + timedelta(hours=hours))
        _desk(officer, catalogue, reference_units, BIRTH, digitised=True, reused_data=True)
    score = _score(khanh_hoa)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/rankings/service-quality-766/2026/explain/22366/")
    assert page.status_code == 200
    html = page.content.decode()
    framework = load_framework(FRAMEWORK)
    refs = [c.meta["ref"] for i in framework.indicators for c in i.components]
    for ref in refs:
        assert f'data-item="{ref}"' in html
    assert f"<strong>{score:.2f}</strong> / 100" in html  # the statistics page's score

    def row(ref: str) -> str:
        start = html.index(f'data-item="{ref}"')
        return html[start:html.index("</tr>", start)]

    # 4.3: the input with its counts, the threshold rule, the points (1 of 3 reused: 33.33 %)
    reused = row("4.3")
    assert "33.33\xa0%" in reused and "Dossiers reusing digitised data: 1" in reused
    assert "Dossiers received: 3" in reused
    assert "Full 2 points from 80 %; below: rate × 2 / 80." in reused
    assert f"{2 * (100 / 3) / 80:.2f} / 2" in reused
    # 2.1 linear: two resolved on time, the desk's dossier open and late today: 20 x 2 / 3
    assert "20 × rate / 100 (at most 20 points)." in row("2.1") and "13.33 / 20" in row("2.1")
    # an item without a source says so, with the policy applied, never a silent zero
    copies = row("4.x")
    assert "no source yet" in copies and "scored 0 of 2" in copies and "zero" in copies
    # a conflicting item names the rule not chosen
    assert "full points from 80 %" in row("4.2")
    # nothing to count: full points for feedback handled on time
    assert "nothing to count" in row("5.2") and "6.00 / 6" in row("5.2")
    assert "Tracked by the portal, not scored" in row("5.1")
    # a tracked item without a source: said, with no policy to apply (it weighs nothing)
    assert "no source yet" in row("5.x") and 'data-testid="item-policy"' not in row("5.x")
    # the statistics page's score links to this explanation
    stats = client.get("/services/statistics/", {"unit": "22366", "year": 2026}).content.decode()
    assert f"{score:.2f}" in stats
    assert 'href="/rankings/service-quality-766/2026/explain/22366/"' in stats
    # in Vietnamese: Vietnamese numbers
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vi = client.get("/rankings/service-quality-766/2026/explain/22366/").content.decode()
    assert "33,33\xa0%" in vi


@pytest.mark.usefixtures("english_pages")
def test_the_units_of_a_province_are_ranked_from_their_records(
        client, submit, desk, catalogue, reference_units, khanh_hoa,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(BIRTH)
    page = client.get("/rankings/service-quality-766/2026/units-of/56/").content.decode()
    assert 'data-testid="from-records"' in page
    assert 'data-unit="22366"' in page
    assert f"{_score(khanh_hoa):.1f}" in page


def test_the_province_counts_a_procedure_paid_online_once(
        submit, khanh_hoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(MARITAL, paid_online=True)
        submit(MARITAL, unit="22333", paid_online=True)
    _points, commune = _items(khanh_hoa)
    _points, province = _items(khanh_hoa, "56")
    assert commune["procedures_paid_online"] == 1
    # two communes paid online for the same procedure: the province counts it once
    assert province["procedures_paid_online"] == 1
