"""Four eyes on the self-assessment: whoever answered never verifies their own answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from tinhso.audit.models import AuditEvent
from tinhso.scoring.engine import load_framework
from tinhso.scoring.models import AnswerStatus, ScoreInput, SelfAssessmentAnswer
from tinhso.scoring.selectors import answered_by, wrote_answer
from tinhso.scoring.services import answer_return, answer_submit, answer_verify
from tinhso.scoring.today import answers_to_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(people: dict[str, Any], reference_units: dict[str, Any]) -> dict[str, Any]:
    """The coordinator answers for Finance (a role at the province covers it); Finance's
    reporter answers another question."""
    framework = load_framework("khanhhoa-units")
    unit = reference_units["56.STC"]
    own = answer_submit(actor=people["coordinator"], framework=framework, year=2026, unit=unit,
                        code="dx_plan_adopted", value=1)
    other = answer_submit(actor=people["reporter"], framework=framework, year=2026, unit=unit,
                          code="dx_team_assigned", value=1)
    return {"own": own, "other": other}


def test_the_coordinator_does_not_verify_their_own_answer(people, answers):
    with pytest.raises(PermissionDenied, match="another person verifies it"):
        answer_verify(actor=people["coordinator"], answer=answers["own"])
    answers["own"].refresh_from_db()
    assert answers["own"].status == AnswerStatus.SUBMITTED
    assert not ScoreInput.objects.exists()
    answer_verify(actor=people["coordinator"], answer=answers["other"])
    verified = AuditEvent.objects.get(action="answer.verified")
    assert (verified.actor_repr, verified.details["answered_by"]) == ("dieuphoi", "baocao")
    # returning one's own answer to correct it is not verifying it
    answer_return(actor=people["coordinator"], answer=answers["own"], reason="Nhập nhầm")


def test_the_answers_to_verify_leave_out_ones_own(people, answers):
    assert list(answers_to_verify(people["coordinator"])) == [answers["other"]]
    for name in ("coordinator", "reporter", "approver"):
        listed = set(SelfAssessmentAnswer.objects.filter(answered_by(people[name])))
        assert listed == {a for a in answers.values() if wrote_answer(people[name], a)}


def test_the_verify_page_offers_no_verify_button_for_ones_own(client, people, answers):
    client.force_login(people["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = "/rankings/self-assessment/khanhhoa-units/2026/verify/"
    page = client.get(url).content.decode()
    own, other = answers["own"].pk, answers["other"].pk
    assert f"/rankings/self-assessment/answers/{own}/verify/" not in page
    assert f"/rankings/self-assessment/answers/{other}/verify/" in page
    assert "another person verifies it" in page
    response = client.post(f"/rankings/self-assessment/answers/{own}/verify/", follow=True)
    assert response.status_code == 200
    assert "another person verifies it" in response.content.decode()
    answers["own"].refresh_from_db()
    assert answers["own"].status == AnswerStatus.SUBMITTED
