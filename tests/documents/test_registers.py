"""The registers of Decree 30/2020 Appendix IV as pages and Excel, each document with its pair
(the incoming one answered by, the outgoing one in answer to), and the overdue list per lead
unit with the due-soon ones after."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import citizen, incoming, incoming_fields, office_world
from tinhso.documents import rules, services
from tinhso.documents.models import Assignment
from tinhso.documents.selectors import due_soon_limit, late_by_unit, register_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_world()


def as_(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def answered(office):
    """405/QĐ-BKHCN registered at the province, assigned to Finance, answered by 01/STC-VP."""
    document = incoming(office)
    services.document_direct(actor=office.leader, document=document, lead_unit=office.finance,
                             working_days=5, instruction="Trả lời")
    answer = services.outgoing_draft(
        actor=office.finance_officer, unit=office.finance, kind="Công văn", notation="STC-VP",
        subject="Trả lời về Bộ chỉ số DTI", external=[("000.00.00.G12", "Bộ KH&CN")],
        reply_to=document, copies=2)
    services.outgoing_issue(actor=office.finance_clerk, document=answer, signer_name="Trần B")
    return document, answer


def register(client: Client, which: str, unit, year: int, **extra) -> object:
    return client.get(reverse(f"documents:register_{which}"),
                      {"unit": unit.code, "year": str(year), **extra})


def test_both_registers_show_the_pair(office, answered):
    document, answer = answered
    incoming_page = register(as_(office.clerk), "incoming", office.province, document.year)
    assert incoming_page.status_code == 200
    html = incoming_page.content.decode()
    assert "405/QĐ-BKHCN" in html and "answered by 01/STC-VP" in html
    assert office.finance.name in html  # the handling unit
    outgoing_page = register(as_(office.finance_clerk), "outgoing", office.finance, answer.year)
    html = outgoing_page.content.decode()
    assert outgoing_page.status_code == 200
    assert "01/STC-VP" in html and "in answer to 405/QĐ-BKHCN" in html and "Trần B" in html


def test_the_registers_export_to_excel_with_the_pair(office, answered):
    document, answer = answered
    response = register(as_(office.clerk), "incoming", office.province, document.year,
                        export="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert any("answered by 01/STC-VP" in str(row) for row in rows)
    out = register(as_(office.finance_clerk), "outgoing", office.finance, answer.year,
                   export="xlsx")
    rows = list(load_workbook(io.BytesIO(out.content)).worksheets[0].values)
    assert any("in answer to 405/QĐ-BKHCN" in str(row) for row in rows)


def test_another_units_register_is_refused(office, answered):
    document, _answer = answered
    assert register(as_(office.justice_officer), "incoming", office.province,
                    document.year).status_code == 403
    assert register(as_(office.outsider), "outgoing", office.finance,
                    document.year).status_code == 403
    assert register(as_(citizen()), "incoming", office.province, document.year).status_code == 403
    assert as_(office.clerk).get(reverse("documents:register_incoming"),
                                 {"unit": "NO-SUCH"}).status_code == 404
    # without a unit: the reader's own
    own = as_(office.clerk).get(reverse("documents:register_incoming"))
    assert own.status_code == 200 and "405/QĐ-BKHCN" in own.content.decode()


def test_a_confidential_document_keeps_its_line_without_its_subject(office):
    secret = services.incoming_register(
        actor=office.clerk, unit=office.province, readers=[office.finance_clerk],
        **incoming_fields(confidential=True, subject="Nội dung mật (thử)"))
    services.incoming_register(actor=office.clerk, unit=office.province, readers=[office.leader],
                               **incoming_fields(number=2, confidential=True,
                                                 subject="Mật thứ hai (thử)"))
    rows = register_rows(office.finance_officer, office.province, "in", secret.year)
    assert [r.hidden for r in rows] == [True, True]
    html = register(as_(office.leader), "incoming", office.province, secret.year).content.decode()
    assert "Mật thứ hai (thử)" in html and "Nội dung mật (thử)" not in html


def test_the_register_reads_in_three_queries(office, answered, django_assert_num_queries):
    document, _answer = answered
    for n in range(3):
        incoming(office, number=100 + n)
    office.clerk.refresh_from_db()
    with django_assert_num_queries(3):
        rows = register_rows(office.clerk, office.province, "in", document.year)
        assert [p.code for p in rows[0].pairs] == ["01/STC-VP"]


def test_overdue_per_lead_unit_then_due_soon(office):
    late = incoming(office, subject="Quá hạn (thử)")
    soon = incoming(office, number=406, subject="Sắp đến hạn (thử)")
    later = incoming(office, number=407, subject="Còn lâu (thử)")
    for document in (late, soon, later):
        services.document_direct(actor=office.leader, document=document,
                                 lead_unit=office.finance, working_days=1, instruction="x")
    today = date.today()
    Assignment.objects.filter(document=late).update(due_on=today - timedelta(days=2))
    Assignment.objects.filter(document=soon).update(due_on=due_soon_limit(today))
    Assignment.objects.filter(document=later).update(
        due_on=due_soon_limit(today) + timedelta(days=1))
    page = as_(office.leader).get(reverse("documents:overdue"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Quá hạn (thử)") < html.index("Sắp đến hạn (thử)")
    assert 'data-mark="overdue"' in html and "2 days late" in html
    assert "Còn lâu (thử)" not in html
    assert "Quá hạn (thử)" not in as_(office.justice_officer).get(
        reverse("documents:overdue")).content.decode()
    services.document_close(actor=office.leader, document=late, reason="Xong")
    assert "Quá hạn (thử)" not in as_(office.leader).get(
        reverse("documents:overdue")).content.decode()


def test_the_overdue_list_agrees_with_the_rules_on_every_case(office):
    """Deadlines around today and the due-soon limit, open and closed: each document is listed
    as overdue, due soon or not at all exactly as ``rules.overdue`` and ``rules.due_soon`` say."""
    today = date.today()
    limit = due_soon_limit(today)
    cases = {}
    for n, (days, closed) in enumerate([(d, c) for d in (-30, -1, 0, 1, (limit - today).days,
                                                         (limit - today).days + 1, 40)
                                        for c in (False, True)]):
        document = incoming(office, number=500 + n)
        services.document_direct(actor=office.leader, document=document,
                                 lead_unit=office.finance, working_days=1, instruction="x")
        Assignment.objects.filter(document=document).update(
            due_on=today + timedelta(days=days), closed_on=today if closed else None)
        slip = Assignment.objects.get(document=document)
        cases[document.pk] = ("overdue" if rules.overdue(slip.due_on, slip.closed_on, today)
                              else "due_soon" if rules.due_soon(slip.due_on, slip.closed_on,
                                                                today, limit) else "")
    units, shown_limit = late_by_unit(office.leader, today)
    listed = {row.document.pk: kind for unit in units for kind in ("overdue", "due_soon")
              for row in getattr(unit, kind)}
    assert shown_limit == limit
    assert listed == {pk: kind for pk, kind in cases.items() if kind}
    assert set(cases.values()) == {"overdue", "due_soon", ""}


def test_without_a_unit_asked_the_register_is_the_one_the_clerk_keeps(office, answered):
    """The province's clerk sits in its office (another unit) but keeps the province's
    registers: those open first."""
    from tests.factories import UnitFactory

    office.clerk.unit = UnitFactory(code="56.VP", name="Văn phòng (thử)", parent=office.province)
    office.clerk.save()
    page = as_(office.clerk).get(reverse("documents:register_incoming"))
    assert page.status_code == 200 and "405/QĐ-BKHCN" in page.content.decode()
