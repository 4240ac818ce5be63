"""Who may see a document, kept in one column (``Document.reach``) that the search asks: every
write of the office keeps it equal to what the relations say (``access.reach_of``), a document
received from another agency included; and the one question asked of it (``overlaps``) answers
the same on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.documents.test_access import _world
from tests.documents.test_exchange import arrived, outgoing, run
from tests.factories import Office, office_world
from tinhso.audit.models import AuditEvent
from tinhso.documents import access, services
from tinhso.documents.connectors import FakeConnector
from tinhso.documents.models import Document

pytestmark = pytest.mark.django_db


def stale() -> list[tuple[str, list[int], list[int]]]:
    return [(str(d), d.reach, access.reach_of(d)) for d in Document.objects.all()
            if d.reach != access.reach_of(d)]


def test_every_write_of_the_office_keeps_the_reach():
    world = _world()
    assert Document.objects.count() == 5 and stale() == []
    directed = Document.objects.get(pk=world.documents["directed"].pk)
    assert directed.reach == sorted(world.units[p].pk for p in ("province", "lead", "support"))
    confidential = Document.objects.get(pk=world.documents["confidential"].pk)
    named = [world.people["clerk@province"], world.people["officer@unrelated"]]
    assert confidential.reach == sorted(-person.pk for person in named)  # people, not units
    outgoing_ = Document.objects.get(pk=world.documents["outgoing"].pk)
    assert outgoing_.reach == sorted([world.units["province"].pk, world.units["addressee"].pk])


def test_a_document_received_from_another_agency_reaches_its_receiver(settings: Any):
    settings.TINHSO_DOCUMENT_EXCHANGE = "fake"
    office: Office = office_world()
    fake = FakeConnector(organs={"000.00.00.H34", "000.00.15.H34"})
    outgoing(office)
    run(fake)
    got = arrived(office)
    assert got.reach == [office.finance.pk]
    assert stale() == []
    services.document_direct(actor=office.leader, document=got,
                             lead_unit=office.finance, working_days=5, instruction="Xử lý")
    assert stale() == []


def test_overlaps_answers_the_same_on_every_database():
    world = _world()
    province, lead = world.units["province"].pk, world.units["lead"].pk
    names = {d.pk: n for n, d in world.documents.items()}

    def holding(ids: list[int]) -> set[str]:
        return {names[pk] for pk in Document.objects.filter(reach__overlaps=ids)
                .values_list("pk", flat=True)}

    assert holding([]) == set()
    assert holding([lead]) == {"directed"}
    assert holding([lead, province]) == {"plain", "directed", "outgoing"}
    assert holding([-world.people["officer@unrelated"].pk]) == {"confidential"}
    assert holding([10**12]) == set()


def test_the_command_finds_a_reach_changed_by_hand_and_mends_it_audited():
    world = _world()
    directed = world.documents["directed"]
    Document.objects.filter(pk=directed.pk).update(reach=[])  # a change made by hand
    lead = world.people["officer@lead"]
    assert not access.visible_documents(lead).filter(pk=directed.pk).exists()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents", "reach", stdout=out)
    assert "1 differ from their records" in out.getvalue() and str(directed.pk) in out.getvalue()
    call_command("documents", "reach", "--fix", stdout=out)
    assert access.visible_documents(lead).filter(pk=directed.pk).exists()
    assert stale() == []
    event = AuditEvent.objects.get(action="office.reach_fixed")
    assert event.details == {"documents": 1, "first": [directed.pk]}
    out = io.StringIO()
    call_command("documents", "reach", stdout=out)
    assert "every reach matches" in out.getvalue()
