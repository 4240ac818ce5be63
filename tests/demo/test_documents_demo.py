"""After ``tinhso demo`` the document office has its registers: Khánh Hòa's real Plan
4636/KH-UBND with its true number, and illustrative documents (one assigned with its task in the
programme, a request and its answer in both registers, one past its deadline), made by the demo
clerks and leader through the services; the figures computed from them; a second load adds
nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.documents import queries
from tinhso.documents.models import Direction, Document, Status
from tinhso.indicators.models import IndicatorValue
from tinhso.programme.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_registers_once():
    call_command("demo", "--quiet-accounts")
    before = sorted(Document.objects.values_list("pk", "unit__code", "direction", "number",
                                                 "arrival_number", "status", "is_illustrative"))
    plan = Document.objects.get(unit__code="56.STC", direction=Direction.INCOMING,
                                number=4636)
    assert plan.code == "4636/KH-UBND" and plan.issued_on == date(2025, 9, 29)
    assert not plan.is_illustrative and plan.signer_name == "Nguyễn Long Biên"
    assert all(d.is_illustrative for d in Document.objects.exclude(pk=plan.pk))

    assigned = Document.objects.get(notation="BKHCN-CĐSQG")
    task = Task.objects.get(pk=assigned.assignment.task_id)
    assert task.is_illustrative and task.lead_unit.code == "56.SKHCN" and task.group.code == "2.1"
    assert assigned.status == Status.DIRECTED

    request = Document.objects.get(unit__code="56", direction=Direction.OUTGOING)
    received = Document.objects.get(unit__code="56.STC", direction=Direction.INCOMING,
                                    notation=request.notation)
    answer = received.answers.get()
    assert received.status == Status.ANSWERED and answer.unit.code == "56.STC"
    assert received.assignment.closed_on <= received.assignment.due_on  # on time
    assert Document.objects.filter(unit__code="56", direction=Direction.INCOMING,
                                   notation=answer.notation, number=answer.number).exists()

    arrivals = Document.objects.filter(unit__code="56", direction=Direction.INCOMING)
    assert [d.arrival_number for d in arrivals.order_by("arrived_at")] == [1, 2, 3]

    overdue = Document.objects.filter(queries.overdue_q(timezone.localdate()))
    assert [d.notation for d in overdue] == ["BNV-CCHC"]
    assert overdue.get().assignment.lead_unit.code == "56.STC"

    for username, unit in (("vanthu", "56"), ("vanthu.stc", "56.STC")):
        role = User.objects.get(username=username).role_assignments.get()
        assert (role.role, role.unit.code) == ("clerk", unit)
    figures = IndicatorValue.objects.filter(indicator__code="documents_issued",
                                            period=str(timezone.localdate().year))
    assert {v.unit.code: int(v.value) for v in figures if v.unit.code in ("56", "56.STC")} == {
        "56": 2, "56.STC": 1}  # the province's figure covers its departments

    call_command("demo", "--quiet-accounts")
    assert sorted(Document.objects.values_list(
        "pk", "unit__code", "direction", "number", "arrival_number", "status",
        "is_illustrative")) == before
