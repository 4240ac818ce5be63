from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.audit.models import AuditEvent
from tinhso.scoring import audit_events
from tinhso.scoring.engine import load_framework
from tinhso.scoring.models import AnswerStatus, ScoreInput
from tinhso.scoring.selectors import ranking_from_inputs
from tinhso.scoring.services import answer_return, answer_submit, answer_verify

pytestmark = pytest.mark.django_db



def test_answers_with_evidence_verified_then_scored_and_ranked(people, reference_units,
                                                               settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    u = reference_units
    framework = load_framework("khanhhoa-units")
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7 plan")
    answer = answer_submit(actor=people["reporter"], framework=framework, year=2026,
                           unit=u["56.STC"], code="dx_plan_adopted", value=1, evidence=pdf)
    assert answer.evidence.name.endswith(".pdf")
    other = answer_submit(actor=people["health"], framework=framework, year=2026,
                          unit=u["56.SYT"], code="paperless_meetings_rate", value="45,5")
    answer_verify(actor=people["coordinator"], answer=answer)
    answer_return(actor=people["coordinator"], answer=other, reason="Thiếu minh chứng")
    assert ScoreInput.objects.get(unit=u["56.STC"]).source.startswith("Self-assessment")
    assert not ScoreInput.objects.filter(unit=u["56.SYT"]).exists()  # returned: not counted
    with pytest.raises(ValidationError, match="verified"):
        answer_submit(actor=people["reporter"], framework=framework, year=2026,
                      unit=u["56.STC"], code="dx_plan_adopted", value=0)
    result = ranking_from_inputs(framework, 2026, u["56"], date(2026, 6, 1))
    by_code = dict(zip([x.code for x in result.units], result.ranks, strict=True))
    assert by_code["56.STC"] == 1
    points = dict(zip([x.code for x in result.units], result.scores.points, strict=True))
    assert points["56.STC"] == pytest.approx(200 * 10 / 20)  # one of the two 10-point parts
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {audit_events.ANSWER_SUBMITTED, audit_events.ANSWER_VERIFIED,
            audit_events.ANSWER_RETURNED} <= actions
    other.refresh_from_db()
    assert other.status == AnswerStatus.RETURNED


def test_units_answer_for_themselves_only_and_only_coordinators_verify(people,
                                                                       reference_units):
    framework = load_framework("khanhhoa-units")
    u = reference_units
    with pytest.raises(PermissionDenied):
        answer_submit(actor=people["reporter"], framework=framework, year=2026,
                      unit=u["56.SYT"], code="dx_plan_adopted", value=1)
    answer = answer_submit(actor=people["reporter"], framework=framework, year=2026,
                           unit=u["56.STC"], code="dx_plan_adopted", value=1)
    with pytest.raises(PermissionDenied):
        answer_verify(actor=people["reporter"], answer=answer)
    with pytest.raises(ValidationError, match="not an input"):
        answer_submit(actor=people["reporter"], framework=framework, year=2026,
                      unit=u["56.STC"], code="nope", value=1)
    with pytest.raises(ValidationError, match="reason"):
        answer_return(actor=people["coordinator"], answer=answer, reason="")
    fake = SimpleUploadedFile("x.pdf", b"MZ")
    with pytest.raises(ValidationError, match="not really"):
        answer_submit(actor=people["reporter"], framework=framework, year=2026,
                      unit=u["56.STC"], code="dx_team_assigned", value=1, evidence=fake)


def test_the_pages_of_the_self_assessment(client, people, reference_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["reporter"])
    url = "/rankings/self-assessment/khanhhoa-units/2026/"
    page = client.get(url).content.decode()
    assert "dx_plan_adopted" in page and "Sở Tài chính" in page  # the reporter's own unit
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7 plan")
    response = client.post(url + "?unit=56.STC", {"code": "dx_plan_adopted", "value": "1",
                                                  "evidence": pdf})
    assert response.status_code == 302
    assert client.get(url, {"unit": "56.SYT"}).status_code == 403
    client.force_login(people["coordinator"])
    verify = client.get(url + "verify/")
    answers = list(verify.context["answers"])
    assert [a.code for a in answers] == ["dx_plan_adopted"]
    client.post(f"/rankings/self-assessment/answers/{answers[0].pk}/verify/")
    ranking = client.get("/rankings/khanhhoa-units/2026/units-of/56/")
    first = ranking.context["rows"][0]
    assert first[1].code == "56.STC" and first[0] == 1


def test_a_score_opens_down_to_its_components_and_sources(client, people, reference_units,
                                                         settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    framework = load_framework("khanhhoa-units")
    answer = answer_submit(actor=people["reporter"], framework=framework, year=2026,
                           unit=reference_units["56.STC"], code="dx_plan_adopted", value=1,
                           evidence=SimpleUploadedFile("kh.pdf", b"%PDF-1.7"))
    answer_verify(actor=people["coordinator"], answer=answer)
    client.cookies["django_language"] = "en"
    response = client.get("/rankings/khanhhoa-units/2026/explain/56.STC/")
    lines = response.context["lines"]
    plan = next(line for line in lines if any(c == "dx_plan_adopted" for c, _v, _s in line.inputs))
    assert plan.points == 10 and plan.inputs[0][1] == 1.0
    assert "verified" in plan.inputs[0][2] and "evidence" in plan.inputs[0][2]
    assert response.context["total"] == 10


def test_units_without_answers_are_not_ranked_at_zero(client, people, reference_units):
    client.cookies["django_language"] = "en"  # the page read in English
    u = reference_units
    url = "/rankings/khanhhoa-units/2026/units-of/56/"
    units = u["56"].children.valid_on(date.today()).count()
    response = client.get(url)
    page = response.content.decode()
    assert response.context["rows"] == [] and len(response.context["unranked"]) == units
    assert page.count("<em>no answers yet</em>") == units and "data-rank" not in page
    framework = load_framework("khanhhoa-units")
    answer = answer_submit(actor=people["reporter"], framework=framework, year=2026,
                           unit=u["56.STC"], code="dx_plan_adopted", value=1)
    answer_verify(actor=people["coordinator"], answer=answer)
    response = client.get(url)
    page = response.content.decode()
    assert [(r[0], r[1].code) for r in response.context["rows"]] == [(1, "56.STC")]
    assert "1/1" in page and page.count("<em>no answers yet</em>") == units - 1
    # The ranked unit comes first, the units without answers after it.
    assert page.index('data-unit="56.STC"') < page.index("<em>no answers yet</em>")


def test_each_question_of_the_self_assessment_has_its_own_name(client, people):
    client.force_login(people["reporter"])
    response = client.get("/rankings/self-assessment/khanhhoa-units/2026/")
    rows = response.context["rows"]
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)) == len(load_framework("khanhhoa-units").inputs)
    # The two criteria of one component show their own names, and the component's below.
    lead = {r["code"]: r for r in rows if r["code"] in ("head_leads_dx", "dx_team_assigned")}
    assert lead["head_leads_dx"]["name"] != lead["dx_team_assigned"]["name"]
    assert lead["head_leads_dx"]["component"] == lead["dx_team_assigned"]["component"] != ""
    page = response.content.decode()
    for name in names:
        assert page.count(f"<strong>{name}</strong>") == 1
