"""Who sees which document: the rule (``rules.visible``), its query form
(``access.visible_documents``) and the one-document check (``access.may_see``) give the same
answer for every person and document of a small office, and that answer is the one written
here by hand; every opening is logged. The deadline rules and their query forms agree too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.factories import (
    UnitFactory,
    UserFactory,
    citizen,
    grant,
    incoming_fields,
    staff_user,
)
from tinhso.accounts.models import Role
from tinhso.documents import access, queries, rules, services
from tinhso.documents.models import Access, Assignment, Document
from tinhso.units.models import Level, Unit

pytestmark = pytest.mark.django_db

PLACES = ("province", "lead", "support", "addressee", "unrelated")
ROLES = {"clerk": Role.CLERK, "leader": Role.LEADER, "officer": Role.OFFICER}


@dataclass
class World:
    units: dict[str, Unit]
    people: dict[str, object]  # "clerk@province" ... "superuser", "citizen", "anonymous"
    documents: dict[str, Document]  # plain, confidential, directed, outgoing, copy


def _world() -> World:
    country = UnitFactory(code="VN", name="Việt Nam (thử)", level=Level.COUNTRY)
    province = UnitFactory(code="56", name="Tỉnh thử", level=Level.PROVINCE, parent=country)
    units = {"province": province}
    for place, code in (("lead", "STP"), ("support", "SXD"), ("addressee", "STC")):
        units[place] = UnitFactory(code=code, name=f"Sở {code} (thử)", level=Level.DEPARTMENT,
                                   parent=province)
    units["unrelated"] = UnitFactory(code="58", name="Tỉnh khác (thử)", level=Level.PROVINCE,
                                     parent=country)
    people: dict[str, object] = {}
    for place in PLACES:
        for name, role in ROLES.items():
            person = staff_user(unit=units[place], username=f"{name}.{place}")
            grant(person, role, units[place])
            people[f"{name}@{place}"] = person
    people["superuser"] = UserFactory(username="root", is_superuser=True, unit=province)
    people["citizen"] = citizen(username="congdan")
    people["anonymous"] = AnonymousUser()
    clerk, leader = people["clerk@province"], people["leader@province"]
    documents = {
        "plain": services.incoming_register(actor=clerk, unit=province,
                                            **incoming_fields(number=1)),
        "confidential": services.incoming_register(
            actor=clerk, unit=province, confidential=True,
            readers=[people["officer@unrelated"]], **incoming_fields(number=2)),
        "directed": services.incoming_register(actor=clerk, unit=province,
                                               **incoming_fields(number=3)),
    }
    services.document_direct(actor=leader, document=documents["directed"],
                             lead_unit=units["lead"], support_units=[units["support"]],
                             working_days=5, instruction="Sở Tư pháp chủ trì")
    draft = services.outgoing_draft(actor=people["officer@province"], unit=province,
                                    kind="Công văn", notation="UBND-VP", subject="Gửi Sở",
                                    recipients=[units["addressee"]])
    documents["outgoing"] = services.outgoing_issue(actor=clerk, document=draft,
                                                    signer_name="Nguyễn Văn A")
    documents["copy"] = Document.objects.get(unit=units["addressee"], direction="in")
    return World(units, people, documents)


ALL_OPEN = {"plain", "directed", "outgoing", "copy"}
EXPECTED = {
    # the registering unit (and above) sees its registers; the clerk who registered the
    # confidential document is among its named readers
    "clerk@province": ALL_OPEN | {"confidential"},
    "leader@province": ALL_OPEN,
    "officer@province": ALL_OPEN,
    # the lead and the supporting unit see what they were assigned
    **{f"{role}@{place}": {"directed"} for role in ROLES for place in ("lead", "support")},
    # the addressee: the document sent to it, and its own registration of it
    **{f"{role}@addressee": {"outgoing", "copy"} for role in ROLES},
    "clerk@unrelated": set(),
    "leader@unrelated": set(),
    "officer@unrelated": {"confidential"},  # named on it, nothing else
    "superuser": ALL_OPEN,  # every register, but a confidential document only by name
    "citizen": set(),
    "anonymous": set(),
}


@pytest.fixture
def world() -> World:
    return _world()


def test_the_rule_its_query_form_and_the_one_document_check_agree(world):
    names = {doc.pk: name for name, doc in world.documents.items()}
    assert set(world.people) == set(EXPECTED)
    for who, person in world.people.items():
        queried = {names[pk] for pk in access.visible_documents(person).values_list(
            "pk", flat=True)}
        checked = {name for name, doc in world.documents.items()
                   if access.may_see(person, doc)}
        assert queried == checked == EXPECTED[who], who


def test_the_pure_rule_reads_what_a_document_reaches(world):
    directed = world.documents["directed"]
    paths = access.unit_paths(directed)
    assert sorted(paths) == sorted(world.units[p].path for p in ("province", "lead", "support"))
    lead_scopes = access.reading_scopes(world.people["officer@lead"])
    assert rules.visible(scopes=lead_scopes, unit_paths=paths, confidential=False, named=False)
    assert not rules.visible(scopes=lead_scopes, unit_paths=paths, confidential=True,
                             named=False)
    assert rules.visible(scopes=[], unit_paths=paths, confidential=True, named=True)
    assert access.reading_scopes(world.people["superuser"]) == ["/"]
    assert access.reading_scopes(world.people["anonymous"]) == []


def test_an_inactive_person_sees_nothing_of_the_registers(world):
    leader = world.people["leader@province"]
    leader.is_active = False
    assert not access.visible_documents(leader).exists()
    assert not access.may_see(leader, world.documents["plain"])


def test_every_opening_is_logged_and_a_refusal_tells_nothing(world):
    officer = world.people["officer@lead"]
    directed = world.documents["directed"]
    assert access.document_for(officer, directed.pk) == directed
    access.document_for(officer, directed.pk, what="file: cong-van.pdf")
    logged = list(Access.objects.filter(document=directed).values_list("user", "what"))
    assert sorted(logged) == [(officer.pk, "file: cong-van.pdf"), (officer.pk, "view")]
    for who in ("officer@unrelated", "anonymous", "citizen"):
        with pytest.raises(Http404):
            access.document_for(world.people[who], directed.pk)
    with pytest.raises(Http404):  # a document that does not exist: the same answer
        access.document_for(officer, 10**9)
    assert Access.objects.filter(document=directed).count() == 2


# --- deadlines ------------------------------------------------------------------------------

TODAY = date(2026, 12, 2)
LIMIT = TODAY + timedelta(days=5)
CASES = {  # due_on, closed_on
    "due yesterday, open": (TODAY - timedelta(days=1), None),
    "due today, open": (TODAY, None),
    "due at the limit, open": (LIMIT, None),
    "due after the limit, open": (LIMIT + timedelta(days=1), None),
    "due yesterday, closed": (TODAY - timedelta(days=1), TODAY - timedelta(days=2)),
    "due tomorrow, closed": (TODAY + timedelta(days=1), TODAY),
    "long overdue, open": (TODAY - timedelta(days=40), None),
}


def test_the_deadline_rules_and_their_query_forms_agree(world):
    clerk, leader = world.people["clerk@province"], world.people["leader@province"]
    documents = {}
    for position, (case, (due_on, closed_on)) in enumerate(CASES.items(), start=10):
        document = services.incoming_register(actor=clerk, unit=world.units["province"],
                                              **incoming_fields(number=position))
        services.document_direct(actor=leader, document=document, lead_unit=world.units["lead"],
                                 due_on=LIMIT + timedelta(days=30), instruction="x")
        Assignment.objects.filter(document=document).update(due_on=due_on, closed_on=closed_on)
        documents[case] = document.pk
    documents["not directed"] = world.documents["plain"].pk
    names = {pk: case for case, pk in documents.items()}
    overdue = {names[pk] for pk in Document.objects.filter(queries.overdue_q(TODAY))
               .filter(pk__in=names).values_list("pk", flat=True)}
    soon = {names[pk] for pk in Document.objects.filter(queries.due_soon_q(TODAY, LIMIT))
            .filter(pk__in=names).values_list("pk", flat=True)}
    assert overdue == {"due yesterday, open", "long overdue, open"}
    assert soon == {"due today, open", "due at the limit, open"}
    for case, (due_on, closed_on) in CASES.items():
        assert rules.overdue(due_on, closed_on, TODAY) == (case in overdue), case
        assert rules.due_soon(due_on, closed_on, TODAY, LIMIT) == (case in soon), case
    slips = Assignment.objects.filter(queries.overdue_q(TODAY, prefix=""))
    assert {names[s.document_id] for s in slips if s.document_id in names} == overdue
