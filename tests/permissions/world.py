"""The world the permission matrix runs in: the published reference data (units, rankings,
the catalogue), a small tree of units, one person per role and, at every unit of
the tree, one object of each kind a page or an endpoint names (a dossier with its file and
apology letter, indicator values with evidence, a target, a self-assessment answer, a staff
member, a programme task with a report and its evidence, a collection round).

The tree and each actor's own, child and foreign unit:

    VN ─┬─ 56 (the home province) ─┬─ 56.STC (a department) ── 56.STC.PX (below it)
        │                          ├─ 56.SYT (a sibling department)
        │                          ├─ 22366 (a ward) and a second commune
        └─ 01 (another province)

    administrator at VN: every unit is its child; administrator, coordinator and leader at 56:
    own 56, child 56.STC, foreign 01; reporter and approver at 56.STC: own 56.STC, child
    56.STC.PX, foreign 56.SYT; one-stop officer at 22366: own 22366, foreign the other commune
    (a commune has no unit below it). Citizens, businesses and the anonymous have no unit: they
    meet every object as a stranger ("foreign").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.factories import (
    PDF,
    DossierFactory,
    IndicatorFactory,
    ProcedureFactory,
    UnitFactory,
    UserFactory,
    citizen,
    grant,
    programme_document,
    programme_task,
    staff_user,
    task_group,
)
from tinhso.accounts.models import User, UserKind
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import api_token_create
from tinhso.demo.loader import load_illustrative_scores, published_load
from tinhso.documents.models import Attachment, Document
from tinhso.indicators.models import CollectionRound, Evidence, IndicatorValue, Target
from tinhso.procedures.models import ApologyLetter, Dossier, DossierFile, FileKind
from tinhso.programme.models import ProgressReport, ReportEvidence, Task
from tinhso.scoring.models import PublishedResult, SelfAssessmentAnswer
from tinhso.units.models import Level, Unit

# Each actor: (role, the unit code where it is held); None: no role (the kind says who).
ACTORS: dict[str, tuple[str, str] | None] = {
    "anonymous": None,
    "citizen": None,
    "business": None,
    "admin": ("administrator", "VN"),
    "admin56": ("administrator", "56"),
    "coordinator": ("coordinator", "56"),
    "leader": ("leader", "56"),
    "reporter": ("unit_reporter", "56.STC"),
    "approver": ("approver", "56.STC"),
    "officer": ("officer", "22366"),
}
CHILD_OF_DEPARTMENT = "56.STC.PX"
FOREIGN_PROVINCE = "01"
# actor -> relation -> unit code (the second commune is filled in when the tree is built)
RELATIONS: dict[str, dict[str, str]] = {
    "admin": {"child": "56.STC"},
    "admin56": {"own": "56", "child": "56.STC", "foreign": FOREIGN_PROVINCE},
    "coordinator": {"own": "56", "child": "56.STC", "foreign": FOREIGN_PROVINCE},
    "leader": {"own": "56", "child": "56.STC", "foreign": FOREIGN_PROVINCE},
    "reporter": {"own": "56.STC", "child": CHILD_OF_DEPARTMENT, "foreign": "56.SYT"},
    "approver": {"own": "56.STC", "child": CHILD_OF_DEPARTMENT, "foreign": "56.SYT"},
    "officer": {"own": "22366", "foreign": "<commune>"},
    "citizen": {"foreign": "56.STC"},
    "business": {"foreign": "56.STC"},
    "anonymous": {"foreign": "56.STC"},
}
FRAMEWORK, ANSWER_YEAR = "khanhhoa-units", date.today().year


@dataclass
class Place:
    """The objects held at one unit."""

    unit: Unit
    member: User
    assignment_id: int
    dossier: Dossier
    dossier_file: DossierFile
    apology: ApologyLetter
    draft: IndicatorValue
    submitted: IndicatorValue
    approved: IndicatorValue
    evidence: Evidence
    target: Target
    answer: SelfAssessmentAnswer
    task: Task
    report: ProgressReport
    report_evidence: ReportEvidence
    round: CollectionRound
    document_id: int  # the programme the unit's task belongs to: its province's
    group_id: int
    letter: Document  # an incoming official document registered at the unit, with a file
    letter_file: Attachment


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    places: dict[str, Place]  # unit code -> its objects
    relations: dict[str, dict[str, str]]
    indicator_code: str
    procedure_code: str
    document_id: int
    group_id: int
    extra: dict[str, Any] = field(default_factory=dict)

    def unit_of(self, actor: str, relation: str) -> str:
        return self.relations[actor][relation]

    def place(self, actor: str, relation: str) -> Place:
        return self.places[self.unit_of(actor, relation)]

    def foreign_codes(self, actor: str) -> set[str]:
        """The units whose non-public objects the actor must not meet in a list: the foreign
        unit; for citizens, businesses and the anonymous, every unit."""
        if ACTORS[actor] is None:
            return set(self.places)
        foreign = self.relations[actor].get("foreign")
        return {foreign} if foreign else set()

    def foreign_marks(self, actor: str) -> re.Pattern[str]:
        """What names a foreign unit's non-public objects in a page: its dossier's code, its
        task's and round's titles, its staff member's user name."""
        marks = [mark for code in sorted(self.foreign_codes(actor)) for mark in (
            f"PX-{code}", f"[{code}]", f"px_member_{code}")]
        return re.compile("|".join(re.escape(m) + r"(?![\w.])" for m in marks) or "(?!)")


def _units() -> dict[str, Unit]:
    units = {code: Unit.objects.get(code=code)
             for code in ("VN", "56", "56.STC", "56.SYT", "22366", FOREIGN_PROVINCE)}
    units[CHILD_OF_DEPARTMENT] = UnitFactory(code=CHILD_OF_DEPARTMENT, name="Phòng thử PX",
                                             level=Level.DEPARTMENT, parent=units["56.STC"])
    other = (Unit.objects.filter(parent=units["22366"].parent, level=Level.COMMUNE)
             .exclude(code="22366").order_by("code").first())
    assert other is not None, "the reference data has a second commune"
    units[other.code] = other
    return units


def _people(units: dict[str, Unit]) -> tuple[dict[str, User], dict[str, str]]:
    users: dict[str, User] = {}
    for actor, held in ACTORS.items():
        if actor == "anonymous":
            continue
        if held is None:
            users[actor] = (UserFactory(username=f"px_{actor}", kind=UserKind.BUSINESS,
                                        unit=None, organisation_name="Công ty PX")
                            if actor == "business" else citizen(username=f"px_{actor}"))
            continue
        role, code = held
        users[actor] = staff_user(unit=units[code], username=f"px_{actor}")
        grant(users[actor], role, units[code])
    tokens = {actor: api_token_create(actor=SYSTEM, user=user, name="matrix")[1]
              for actor, user in users.items()}
    return users, tokens


def _file(instance: Any, attribute: str, name: str) -> None:
    getattr(instance, attribute).save(name, ContentFile(PDF), save=True)


def _dossier(procedure: Any, unit: Unit, author: User) -> tuple[Dossier, DossierFile,
                                                                  ApologyLetter]:
    dossier = DossierFactory(procedure=procedure, unit=unit, code=f"PX-{unit.code}",
                             applicant_phone="0905000111")
    upload = DossierFile(dossier=dossier, kind=FileKind.DOCUMENT, document="to_khai",
                         name="to-khai.pdf", size=len(PDF), sha256="0" * 64,
                         content_type="application/pdf")
    _file(upload, "file", "to-khai.pdf")
    apology = ApologyLetter.objects.create(dossier=dossier, issued_at=timezone.now(),
                                          reason="Thử.", signed_by=author.username)
    return dossier, upload, apology


def _values(indicator: Any, unit: Unit, author: User) -> tuple[IndicatorValue, ...]:
    made = [IndicatorValue.objects.create(indicator=indicator, unit=unit, period=period,
                                          value=50, status=status, source="thử", author=author)
            for period, status in (("2023", "approved"), ("2024", "submitted"),
                                   ("2025", "draft"))]
    evidence = Evidence(value=made[1], name="minh-chung.pdf", content_type="application/pdf",
                        size=len(PDF), uploaded_by=author)
    _file(evidence, "file", "minh-chung.pdf")
    return (*made, evidence)


def _programme(group: Any, unit: Unit, author: User) -> tuple[Task, ProgressReport,
                                                              ReportEvidence]:
    task = programme_task(group, unit, code=unit.code, title=f"Nhiệm vụ thử [{unit.code}]",
                          start_on=date(2025, 1, 1))
    report = ProgressReport.objects.create(task=task, period="2025", unit=unit, percent=40,
                                           done_text="Đã làm.", submitted_by=author)
    evidence = ReportEvidence(report=report, name="bao-cao.pdf",
                              content_type="application/pdf", size=len(PDF),
                              uploaded_by=author)
    _file(evidence, "file", "bao-cao.pdf")
    _file(task, "result_file", "ket-qua.pdf")
    return task, report, evidence


def _letter(unit: Unit, number: int) -> tuple[Document, Attachment]:
    """An incoming official document registered at ``unit`` (its subject names the unit)."""
    letter = Document.objects.create(
        direction="in", unit=unit, year=date.today().year, number=number, notation="CV-PX",
        arrival_number=1, arrived_at=timezone.now(), issuer_code="000.00.00.G12",
        issuer_name="Bộ thử", kind="Công văn", issued_on=date.today(),
        subject=f"Văn bản thử [{unit.code}]", status="registered", reach=[unit.pk])
    attachment = Attachment(document=letter, name="cong-van.pdf", size=len(PDF),
                            sha256="0" * 64, content_type="application/pdf")
    _file(attachment, "file", "cong-van.pdf")
    return letter, attachment


def build_world() -> World:
    """The published reference data (what an installation starts from: units, the catalogue,
    the programme's documents, the published rankings), then the tree, the actors and every
    unit's objects."""
    published_load(actor=SYSTEM)
    load_illustrative_scores({unit.code: unit for unit in Unit.objects.all()})  # the gap pages
    units = _units()
    users, tokens = _people(units)
    relations = {actor: {rel: (code if code != "<commune>" else
                               next(c for c in units if c not in (
                                   "VN", "56", "56.STC", "56.SYT", "22366", FOREIGN_PROVINCE,
                                   CHILD_OF_DEPARTMENT)))
                         for rel, code in rels.items()} for actor, rels in RELATIONS.items()}
    procedure = ProcedureFactory(code="PX.PROC")
    indicator = IndicatorFactory(code="px_indicator")
    document = programme_document(units["56"], number="99/KH-PX")
    _file(document, "file", "ke-hoach.pdf")
    group = task_group(document, code="PX")
    # the other province's programme: its tasks are foreign to the province's staff
    other = programme_document(units[FOREIGN_PROVINCE], number="98/KH-PX")
    _file(other, "file", "ke-hoach.pdf")
    elsewhere = task_group(other, code="PX")
    places = {}
    for code, unit in units.items():
        if code == "VN":
            continue
        author = staff_user(unit=unit, username=f"px_member_{code}")
        assignment = grant(author, "unit_reporter", unit)
        dossier, upload, apology = _dossier(procedure, unit, author)
        approved, submitted, draft, evidence = _values(indicator, unit, author)
        task, report, report_evidence = _programme(
            elsewhere if code == FOREIGN_PROVINCE else group, unit, author)
        rnd = CollectionRound.objects.create(title=f"Đợt thử [{code}]", period="2025",
                                             deadline=date.today() + timedelta(days=10),
                                             owner_unit=unit, created_by=author)
        rnd.indicators.set([indicator])
        rnd.units.set([unit])
        answer = SelfAssessmentAnswer.objects.create(
            framework=FRAMEWORK, year=ANSWER_YEAR, unit=unit, code="px_input", value=1.0,
            answered_by=author)
        letter, letter_file = _letter(unit, len(places) + 1)
        places[code] = Place(
            unit=unit, member=author, assignment_id=assignment.pk, dossier=dossier,
            dossier_file=upload, apology=apology, draft=draft, submitted=submitted,
            approved=approved, evidence=evidence,
            target=Target.objects.create(indicator=indicator, unit=unit, year=2030, value=90),
            answer=answer, task=task, report=report, report_evidence=report_evidence,
            round=rnd, document_id=(other if code == FOREIGN_PROVINCE else document).pk,
            group_id=(elsewhere if code == FOREIGN_PROVINCE else group).pk,
            letter=letter, letter_file=letter_file)
    return World(users=users, tokens=tokens, places=places, relations=relations,
                 indicator_code=indicator.code, procedure_code=procedure.code,
                 document_id=document.pk, group_id=group.pk, extra=_ranking())


def _ranking() -> dict[str, Any]:
    latest = PublishedResult.objects.filter(framework="dti-province-922").exclude(
        values={}).latest("year")  # with values: its unit pages exist
    return {"framework": latest.framework, "year": latest.year}
