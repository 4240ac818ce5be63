"""The clerk registers an incoming document, a leader assigns it with a deadline (a task in the
programme when it assigns work), the lead unit comments and answers with an outgoing document
numbered in its register; the answer reaches the addressee's incoming register."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import incoming, incoming_fields, office_world, programme_document, task_group
from tinhso.audit.models import AuditEvent
from tinhso.documents import services
from tinhso.documents.models import Document, Status, Step
from tinhso.programme.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_world()


def test_incoming_gets_the_next_arrival_number_of_its_register(office):
    first = incoming(office)
    second = incoming(office, number=12, notation="CV-BKHCN")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.status == Status.REGISTERED and first.year == first.arrived_at.year
    assert AuditEvent.objects.filter(action="office.registered").count() == 2
    assert first.code == "405/QĐ-BKHCN"
    assert "quyet dinh" in first.search_text and "dti" in first.search_text


def test_a_duplicate_is_refused_with_the_earlier_registration_named_unless_confirmed(office):
    first = incoming(office)
    with pytest.raises(ValidationError) as refused:
        incoming(office, notation=" qđ-bkhcn ")
    assert "arrival number 1" in str(refused.value.message_dict["notation"])
    assert Document.objects.count() == 1
    again = services.incoming_register(actor=office.clerk, unit=office.province,
                                       confirm_duplicate=True, **incoming_fields())
    assert again.arrival_number == first.arrival_number + 1


def test_bad_metadata_names_each_field_and_writes_nothing(office):
    with pytest.raises(ValidationError) as refused:
        services.incoming_register(actor=office.clerk, unit=office.province,
                                   **incoming_fields(subject=" ", number=None,
                                                     issued_on=date(2099, 1, 1)))
    assert set(refused.value.message_dict) == {"subject", "number", "issued_on"}
    assert not Document.objects.exists()


def test_only_the_units_clerk_registers(office):
    with pytest.raises(PermissionDenied):
        services.incoming_register(actor=office.finance_officer, unit=office.province,
                                   **incoming_fields())
    with pytest.raises(PermissionDenied):  # a clerk of a department, not of the province
        services.incoming_register(actor=office.finance_clerk, unit=office.province,
                                   **incoming_fields())


def test_direction_in_working_days_creates_the_programme_task(office):
    plan = programme_document(office.province)
    group = task_group(plan, code="2", title="Chính quyền số")
    document = incoming(office, assigns_work=True)
    monday = datetime.fromisoformat("2026-11-23T09:00:00+07:00")
    assignment = services.document_direct(
        actor=office.leader, document=document, lead_unit=office.finance,
        support_units=[office.justice], working_days=10, instruction="Sở Tài chính chủ trì",
        task_group=group.pk, now=monday)
    # ten working days; Tuesday 24 November, Vietnam Cultural Day, is off
    assert assignment.due_on == date(2026, 12, 8)
    task = Task.objects.get(pk=assignment.task_id)
    assert task.lead_unit == office.finance and task.due_on == date(2026, 12, 8)
    assert "405/QĐ-BKHCN" in task.source and task.code == "VB-2026-1"
    assert list(task.support_units.all()) == [office.justice]
    document.refresh_from_db()
    assert document.status == Status.DIRECTED


def test_a_document_that_assigns_work_needs_its_group_and_nothing_is_half_written(office):
    document = incoming(office, assigns_work=True)
    with pytest.raises(ValidationError) as refused:
        services.document_direct(actor=office.leader, document=document,
                                 lead_unit=office.finance, working_days=5, instruction="x")
    assert "task_group" in refused.value.message_dict
    assert not Task.objects.exists() and not hasattr(Document.objects.get(), "assignment_x")


def test_only_a_leader_directs(office):
    document = incoming(office)
    with pytest.raises(PermissionDenied):
        services.document_direct(actor=office.clerk, document=document,
                                 lead_unit=office.finance, working_days=5, instruction="x")


def test_the_lead_unit_answers_and_both_registers_hold_the_pair(office):
    plan = programme_document(office.province)
    group = task_group(plan)
    document = incoming(office, assigns_work=True)
    services.document_direct(actor=office.leader, document=document, lead_unit=office.finance,
                             working_days=5, instruction="Trả lời", task_group=group.pk)
    services.document_comment(actor=office.finance_officer, document=document,
                              text="Đang tổng hợp số liệu")
    with pytest.raises(PermissionDenied):  # an unrelated unit does not handle it
        services.document_comment(actor=office.outsider, document=document, text="x")
    answer = services.outgoing_draft(
        actor=office.finance_officer, unit=office.finance, kind="Công văn", notation="STC-VP",
        subject="Trả lời về Bộ chỉ số DTI", recipients=[office.province], reply_to=document)
    assert answer.number is None and answer.status == Status.DRAFT
    issued = services.outgoing_issue(actor=office.finance_clerk, document=answer,
                                     signer_name="Trần Thị B")
    assert issued.code == "01/STC-VP" and issued.status == Status.SENT
    document.refresh_from_db()
    assert document.status == Status.ANSWERED and document.assignment.closed_on is not None
    received = Document.objects.get(direction="in", unit=office.province, number=1)
    assert received.arrival_number == 2 and received.issuer_name == office.finance.name
    services.document_task_close(actor=office.leader, document=document)
    task = Task.objects.get()
    assert task.done_on is not None and task.result_document == "01/STC-VP"
    kinds = list(Step.objects.filter(document=document).values_list("kind", flat=True))
    assert kinds == ["registered", "directed", "comment", "answered", "closed"]


def test_an_issued_document_is_not_issued_again(office):
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="x",
                                    external=[("000.00.00.G12", "Bộ KH&CN")])
    services.outgoing_issue(actor=office.finance_clerk, document=draft, signer_name="B")
    with pytest.raises(ValidationError):
        services.outgoing_issue(actor=office.finance_clerk, document=draft, signer_name="B")
