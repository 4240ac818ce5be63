"""What is done on a document's page, allowed and refused: the leader's direction (a programme
task when the document assigns work), comments and draft answers, closing, the clerk's
numbering and issuing, closing the task citing the answer. Each form is shown only to who may
use it; a refusal is 403 (or 404 to whoever may not see the document), bad input a form error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import incoming, office_world, programme_document, task_group
from tinhso.documents import services
from tinhso.documents.models import Assignment, Document, Status, Step
from tinhso.programme.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_world()


def as_(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def url(name: str, document: Document) -> str:
    return reverse(f"documents:{name}", args=[document.pk])


def due(days: int = 10) -> str:
    return f"{date.today() + timedelta(days=days):%d/%m/%Y}"


def test_each_sees_the_forms_they_may_use(office):
    document = incoming(office)
    leader = as_(office.leader).get(url("detail", document)).content.decode()
    clerk = as_(office.clerk).get(url("detail", document)).content.decode()
    assert 'data-testid="direct-form"' in leader and 'data-testid="direct-form"' not in clerk
    assert 'data-testid="comment-form"' in clerk and 'data-testid="issue-form"' not in clerk
    assert 'data-testid="answer-link"' in clerk


def test_the_leader_assigns_with_a_programme_group_and_the_task_is_linked(office):
    group = task_group(programme_document(office.province), code="2")
    document = incoming(office, assigns_work=True)
    page = as_(office.leader).get(url("detail", document)).content.decode()
    assert 'name="direct-task_group"' in page
    response = as_(office.leader).post(url("direct", document), {
        "direct-lead_unit": office.finance.pk, "direct-support_units": [office.justice.pk],
        "direct-due_on": due(), "direct-instruction": "Sở Tài chính chủ trì",
        "direct-task_group": group.pk})
    assert response.status_code == 302
    slip = Assignment.objects.get(document=document)
    task = Task.objects.get(pk=slip.task_id)
    html = as_(office.finance_officer).get(url("detail", document)).content.decode()
    assert reverse("programme:task", args=[task.pk]) in html  # Finance now sees it, and its task
    assert 'data-testid="lead-unit"' in html and office.finance.name in html


def test_a_direction_without_what_it_needs_is_a_form_error(office):
    document = incoming(office, assigns_work=True)
    response = as_(office.leader).post(url("direct", document), {
        "direct-due_on": due(), "direct-instruction": ""})
    assert response.status_code == 400
    html = response.content.decode()
    for name in ("lead_unit", "instruction", "task_group"):
        assert f'data-field="{name}"' in html
    both = as_(office.leader).post(url("direct", document), {
        "direct-lead_unit": office.finance.pk, "direct-due_on": due(),
        "direct-working_days": "5", "direct-instruction": "x"})
    assert both.status_code == 400 and 'data-field="working_days"' in both.content.decode()
    assert not Assignment.objects.exists()
    again = as_(office.leader).post(url("direct", document), {
        "direct-lead_unit": office.finance.pk, "direct-working_days": "5",
        "direct-instruction": "x"})
    assert again.status_code == 400 and 'data-field="task_group"' in again.content.decode()


def test_who_may_not_direct_is_refused(office):
    document = incoming(office)
    data = {"direct-lead_unit": office.finance.pk, "direct-due_on": due(),
            "direct-instruction": "x"}
    assert as_(office.clerk).post(url("direct", document), data).status_code == 403
    assert as_(office.outsider).post(url("direct", document), data).status_code == 404
    assert as_(office.leader).get(url("direct", document)).status_code == 405
    assert not Assignment.objects.exists()


def test_the_lead_unit_comments_and_strangers_cannot(office):
    document = incoming(office)
    services.document_direct(actor=office.leader, document=document, lead_unit=office.finance,
                             due_on=date.today() + timedelta(days=5), instruction="x")
    ok = as_(office.finance_officer).post(url("comment", document), {
        "comment-text": "Đang tổng hợp"})
    assert ok.status_code == 302
    assert Step.objects.filter(document=document, kind="comment").count() == 1
    empty = as_(office.finance_officer).post(url("comment", document), {"comment-text": " "})
    assert empty.status_code == 400 and 'data-field="text"' in empty.content.decode()
    assert as_(office.justice_officer).post(url("comment", document), {
        "comment-text": "x"}).status_code == 404
    document.refresh_from_db()
    assert document.status == Status.HANDLING


def test_closing_needs_a_reason(office):
    document = incoming(office)
    refused = as_(office.clerk).post(url("close", document), {"close-reason": ""})
    assert refused.status_code == 400 and 'data-field="reason"' in refused.content.decode()
    closed = as_(office.clerk).post(url("close", document), {"close-reason": "Để biết"})
    assert closed.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.CLOSED
    page = as_(office.clerk).get(url("detail", document)).content.decode()
    assert 'data-testid="close-form"' not in page and 'data-testid="answer-link"' not in page
    again = as_(office.clerk).post(url("close", document), {"close-reason": "x"})
    assert again.status_code == 400 and "Only an open incoming document" in (
        again.content.decode())


def test_the_clerk_issues_the_answer_and_the_leader_closes_the_task(office):
    group = task_group(programme_document(office.province))
    document = incoming(office, assigns_work=True)
    services.document_direct(actor=office.leader, document=document, lead_unit=office.finance,
                             working_days=5, instruction="Trả lời", task_group=group.pk)
    answer = services.outgoing_draft(
        actor=office.finance_officer, unit=office.finance, kind="Công văn", notation="STC-VP",
        subject="Trả lời", external=[("000.00.00.G12", "Bộ KH&CN")], reply_to=document)
    assert as_(office.finance_officer).post(url("issue", answer), {
        "issue-signer_name": "B"}).status_code == 403
    no_signer = as_(office.finance_clerk).post(url("issue", answer), {"issue-signer_name": ""})
    assert no_signer.status_code == 400 and 'data-field="signer_name"' in (
        no_signer.content.decode())
    issued = as_(office.finance_clerk).post(url("issue", answer), {
        "issue-signer_name": "Trần Thị B", "issue-signer_position": "Giám đốc"})
    assert issued.status_code == 302
    answer.refresh_from_db()
    assert answer.code == "01/STC-VP" and answer.signer_position == "Giám đốc"
    page = as_(office.leader).get(url("detail", document)).content.decode()
    assert 'data-testid="task-close-form"' in page and "01/STC-VP" in page
    assert as_(office.finance_officer).post(url("task_close", document), {}).status_code == 403
    assert as_(office.leader).post(url("task_close", document), {}).status_code == 302
    assert Task.objects.get().result_document == "01/STC-VP"
