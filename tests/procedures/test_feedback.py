"""Feedback (phản ánh, kiến nghị): the applicant sends it with its category, the desk answers it
by its due time in working days, the applicant says whether the handling satisfied them; each
step audited, and the Decision 766 counts follow (items 5.1-5.3)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.procedures.conftest import VN
from tinhso.audit.models import AuditEvent
from tinhso.procedures.counts766 import counts_766
from tinhso.procedures.models import Complaint
from tinhso.procedures.rules import feedback_on_time
from tinhso.procedures.services import calendar_for, feedback_answer, feedback_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

OCTOBER = datetime(2026, 10, 6, 9, 0, tzinfo=VN)  # a Tuesday


def test_feedback_from_the_portal_to_the_desk_and_back(client, submit, desk, applicant_user):
    dossier = submit("Đăng ký khai sinh", at=OCTOBER)
    client.force_login(applicant_user)
    url = f"/dossiers/{dossier.code}/"
    sent = client.post(url, {"action": "complain", "category": "conduct",
                             "text": "Cán bộ không hướng dẫn"}, follow=True).content.decode()
    assert "About an officer&#x27;s conduct" in sent and "to be answered by" in sent
    feedback = Complaint.objects.get()
    assert feedback.category == "conduct" and feedback.handling_unit == dossier.unit
    # 10 working days on the platform's calendar
    calendar = calendar_for(feedback.at)
    assert calendar.working_time_between(feedback.at, feedback.due_at) == (
        10 * calendar.day_length)

    officer = desk["commune"]
    client.force_login(desk["other"])  # another commune's officer does not see the dossier
    assert client.post(f"/desk/{dossier.code}/", {"action": "answer_feedback",
                                                  "feedback": feedback.pk,
                                                  "answer": "x"}).status_code == 404
    client.force_login(officer)
    desk_page = client.get(f"/desk/{dossier.code}/").content.decode()
    assert 'data-testid="answer-feedback"' in desk_page
    answered = client.post(f"/desk/{dossier.code}/", {
        "action": "answer_feedback", "feedback": feedback.pk,
        "answer": "Đã chấn chỉnh cán bộ."}, follow=True).content.decode()
    assert "The feedback was answered." in answered and "Đã chấn chỉnh cán bộ." in answered
    again = client.post(f"/desk/{dossier.code}/", {
        "action": "answer_feedback", "feedback": feedback.pk, "answer": "y"},
        follow=True).content.decode()
    assert "This feedback has already been answered." in again

    client.force_login(applicant_user)
    page = client.get(url).content.decode()
    assert 'data-testid="rate-feedback"' in page
    client.post(url, {"action": "rate_feedback", "feedback": feedback.pk, "satisfied": "no"})
    feedback.refresh_from_db()
    assert feedback.satisfied is False
    assert "You were not satisfied with the handling." in client.get(url).content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dossier.complaint", "feedback.answered", "feedback.rated"} <= actions


def test_only_the_applicant_rates_and_only_an_answered_feedback(
        submit, desk, applicant_user):
    dossier = submit("Đăng ký khai sinh", at=OCTOBER)
    feedback = Complaint.objects.create(dossier=dossier, text="?", at=OCTOBER,
                                        handling_unit=dossier.unit,
                                        due_at=OCTOBER + timedelta(days=14))
    with pytest.raises(ValidationError, match="once it is answered"):
        feedback_rate(account=applicant_user, complaint=feedback, satisfied=True)
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=desk["other"], complaint=feedback, answer="x")
    feedback_answer(actor=desk["commune"], complaint=feedback, answer="Đã trả lời")
    with pytest.raises(PermissionDenied):
        feedback_rate(account=desk["commune"], complaint=feedback, satisfied=True)


@pytest.mark.parametrize(("answered_days", "end_days", "on_time"), [
    (3, 30, True),  # answered before its due time
    (20, 30, False),  # answered after it
    (None, 30, False),  # never answered, past due at the period's end
    (None, 5, True),  # not answered yet, not due at the period's end
    (20, 15, False),  # answered after the period's end, but already late at it
])
def test_feedback_on_time_rule_and_its_query_agree(submit, answered_days, end_days, on_time):
    dossier = submit("Đăng ký khai sinh", at=OCTOBER)
    due = OCTOBER + timedelta(days=14)
    answered = OCTOBER + timedelta(days=answered_days) if answered_days else None
    Complaint.objects.create(dossier=dossier, text="?", at=OCTOBER, handling_unit=dossier.unit,
                             due_at=due, answered_at=answered, answer="a" if answered else "")
    end = OCTOBER + timedelta(days=end_days)
    assert feedback_on_time(due, answered, end) is on_time
    counted = counts_766([dossier.unit_id], 2026, end)[dossier.unit_id]
    assert counted["feedback_received"] == 1
    assert counted["feedback_on_time"] == int(on_time)
