"""The document office's figures as indicators: the shares of outgoing documents sent
electronically and signed digitally, of incoming documents received electronically and of
assigned documents handled on time, per unit and for the province, computed from the registers
(expected values worked out by hand below); a unit without documents has no value, never 0."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import UnitFactory, grant, incoming_fields, staff_user
from tinhso.accounts.models import Role
from tinhso.documents import figures, publication, services
from tinhso.documents.models import Assignment, Attachment, Document
from tinhso.indicators.selectors import compute
from tinhso.units.models import Level

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
IN_2026 = datetime(2026, 6, 15, 9, tzinfo=timezone.get_default_timezone())
IN_2025 = datetime(2025, 6, 16, 9, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def office():
    country = UnitFactory(code="VN", name="Việt Nam (thử)", level=Level.COUNTRY)
    province = UnitFactory(code="56", name="Tỉnh thử", level=Level.PROVINCE, parent=country)
    finance = UnitFactory(code="STC", name="Sở Tài chính (thử)", level=Level.DEPARTMENT,
                          parent=province)
    justice = UnitFactory(code="STP", name="Sở Tư pháp (thử)", level=Level.DEPARTMENT,
                          parent=province)
    people = {}
    for unit in (province, finance, justice):
        for role in (Role.CLERK, Role.LEADER, Role.OFFICER):
            person = staff_user(unit=unit, username=f"{role}.{unit.code}")
            grant(person, role, unit)
            people[role, unit.code] = person
    return {"units": {u.code: u for u in (country, province, finance, justice)},
            "people": people}


def _issued(office, code: str, *, electronic: bool = True, files: tuple = (),
            now: datetime = IN_2026, issue: bool = True) -> Document:
    unit, people = office["units"][code], office["people"]
    draft = services.outgoing_draft(
        actor=people[Role.OFFICER, code], unit=unit, kind="Công văn", notation="VP",
        subject="Công văn thử", external=[("000.00.00.G12", "Bộ thử")], electronic=electronic)
    for name, state, here in files:
        Attachment.objects.create(document=draft, name=name, sha256="0" * 64,
                                  signature_state=state, signed_here=here)
    if not issue:
        return draft
    return services.outgoing_issue(actor=people[Role.CLERK, code], document=draft,
                                   signer_name="Nguyễn Văn A", now=now)


def _received(office, code: str, number: int, *, electronic: bool = True,
              now: datetime = IN_2026) -> Document:
    return services.incoming_register(
        actor=office["people"][Role.CLERK, code], unit=office["units"][code], now=now,
        **incoming_fields(number=number, issued_on=now.date(), electronic=electronic))


def _directed(office, number: int, lead: str, due_on: date, closed_on: date | None) -> None:
    document = _received(office, "56", number)
    services.document_direct(actor=office["people"][Role.LEADER, "56"], document=document,
                             lead_unit=office["units"][lead], instruction="Xử lý",
                             due_on=timezone.localdate() + timedelta(days=400))
    Assignment.objects.filter(document=document).update(due_on=due_on, closed_on=closed_on)


def _registers(office) -> None:
    # outgoing, 2026: the province 2 (1 electronic; 1 signed here), finance 3 (3 electronic;
    # 1 PDF valid, 1 PDF altered, 1 "valid" file that is no PDF)
    _issued(office, "56", files=[("a.pdf", "", True)])
    _issued(office, "56", electronic=False)
    _issued(office, "STC", files=[("b.pdf", "valid", False)])
    _issued(office, "STC", files=[("c.pdf", "altered", False)])
    _issued(office, "STC", files=[("d.docx", "valid", False)])
    _issued(office, "STC", now=IN_2025, files=[("e.pdf", "valid", False)])  # another year
    _issued(office, "STC", issue=False)  # a draft: not issued
    # incoming, 2026: the province 1 on paper + the 6 assigned below; finance 1 electronic
    _received(office, "56", 100, electronic=False)
    _received(office, "56", 101, now=IN_2025)  # another year
    _received(office, "STC", 102)
    # assigned (on 2 December 2026): finance leads 3 due (1 on time), justice 1 (on time)
    _directed(office, 1, "STC", date(2026, 11, 10), date(2026, 11, 10))  # on its deadline
    _directed(office, 2, "STC", date(2026, 11, 20), date(2026, 11, 25))  # closed late
    _directed(office, 3, "STC", date(2026, 11, 30), None)  # open, overdue
    _directed(office, 4, "STP", date(2026, 12, 10), None)  # not due yet: not counted
    _directed(office, 5, "STP", date(2026, 12, 20), date(2026, 12, 1))  # closed early
    _directed(office, 6, "STC", date(2027, 1, 5), None)  # due next year


def test_counts_per_unit_cover_the_units_below(office):
    _registers(office)
    ids = {code: unit.pk for code, unit in office["units"].items()}
    counts = figures.year_counts(2026, TODAY)
    assert counts[ids["STC"]] == {
        "documents_issued": 3, "documents_issued_electronic": 3, "documents_issued_signed": 1,
        "documents_received": 1, "documents_received_electronic": 1,
        "documents_directed_due": 3, "documents_directed_on_time": 1}
    assert counts[ids["STP"]] == {"documents_directed_due": 1, "documents_directed_on_time": 1}
    province = {"documents_issued": 5, "documents_issued_electronic": 4,
                "documents_issued_signed": 2, "documents_received": 8,
                "documents_received_electronic": 7, "documents_directed_due": 4,
                "documents_directed_on_time": 2}
    assert counts[ids["56"]] == counts[ids["VN"]] == province
    assert figures.year_counts(2025, TODAY)[ids["STC"]] == {
        "documents_issued": 1, "documents_issued_electronic": 1, "documents_issued_signed": 1}


def test_the_shares_are_indicators_and_a_unit_without_documents_has_none(office):
    _registers(office)
    publication.document_indicators_load()
    assert publication.publish([2026], today=TODAY) > 0
    units = office["units"]
    computed = compute(codes=figures.RATES, periods=["2026"], root=units["56"])

    def share(code: str, unit: str) -> float | None:
        value = computed.value(code, units[unit], "2026")
        return None if value is None else round(value, 2)

    assert share("documents_sent_electronically_rate", "56") == 80.0  # 4 of 5
    assert share("documents_signed_rate", "56") == 40.0  # 2 of 5
    assert share("documents_received_electronically_rate", "56") == 87.5  # 7 of 8
    assert share("documents_on_time_rate", "56") == 50.0  # 2 of 4
    assert share("documents_sent_electronically_rate", "STC") == 100.0
    assert share("documents_signed_rate", "STC") == 33.33  # 1 of 3
    assert share("documents_on_time_rate", "STC") == 33.33
    assert share("documents_on_time_rate", "STP") == 100.0
    # justice issued and received nothing: no value, not 0 %
    assert share("documents_sent_electronically_rate", "STP") is None
    assert share("documents_received_electronically_rate", "STP") is None
    assert share("documents_signed_rate", "STP") is None


def test_publishing_again_changes_nothing_and_waits_for_the_indicators(office):
    _registers(office)
    assert publication.publish([2026], today=TODAY) == 0  # not defined yet: nothing written
    publication.document_indicators_load()
    assert publication.publish([2026], today=TODAY) > 0
    assert publication.publish([2026], today=TODAY) == 0
    assert publication.publish_all([2024]) == 0  # a year without documents


def test_each_step_of_a_document_publishes_its_years_after_commit(office,
                                                          django_capture_on_commit_callbacks):
    publication.document_indicators_load()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _issued(office, "STC", files=[("b.pdf", "valid", False)])
        _received(office, "STC", 7)
    assert callbacks  # one task publishes them all (the tests' backend runs it at once)
    finance = office["units"]["STC"]
    computed = compute(codes=figures.RATES, periods=[str(timezone.localdate().year)],
                       root=finance)
    year = str(timezone.localdate().year)
    assert computed.value("documents_signed_rate", finance, year) == 100.0
    assert computed.value("documents_received_electronically_rate", finance, year) == 100.0


def test_illustrative_documents_mark_their_figures(office):
    document = _issued(office, "STC")
    publication.document_indicators_load()
    assert not figures.illustrative_documents([document.issued_on.year])
    Document.objects.filter(pk=document.pk).update(is_illustrative=True)
    assert figures.illustrative_documents([document.issued_on.year])


def test_the_daily_command_publishes_a_year_a_late_document_changed_without_a_step(office):
    from io import StringIO

    from django.core.management import call_command

    publication.document_indicators_load()
    _directed(office, 1, "STC", due_on=date(2026, 3, 1), closed_on=None)
    out = StringIO()
    call_command("documents", "publish", "--year", "2026", stdout=out)
    assert "Document figures of 2026" in out.getvalue()
    finance = office["units"]["STC"]
    computed = compute(codes=["documents_on_time_rate"], periods=["2026"], root=finance)
    assert computed.value("documents_on_time_rate", finance, "2026") == 0.0
