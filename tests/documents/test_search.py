"""Searching the document office: the subject typed without diacritics, number and notation,
issuer, dates, status, among the documents one may see only; bad dates named (API: 422)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import (
    UnitFactory,
    citizen,
    grant,
    incoming,
    incoming_fields,
    office_world,
    staff_user,
)
from tinhso.accounts.models import Role
from tinhso.accounts.services import api_token_create
from tinhso.documents import services
from tinhso.documents.models import Access
from tinhso.documents.search import DocumentQuery, search
from tinhso.units.models import Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_world()


@pytest.fixture
def docs(office):
    dti = incoming(office)  # 405/QĐ-BKHCN "Về việc ban hành Bộ chỉ số DTI (thử)", 20/03/2026
    budget = incoming(office, number=12, notation="CV-STC", issuer_code="000.00.15.H34",
                      issuer_name="Sở Tài chính", issued_on=date(2026, 1, 5),
                      subject="Về việc dự toán ngân sách năm 2027")
    mention = incoming(office, number=9, notation="CV-BKHCN",
                       subject="Góp ý ý kiến của Sở Tài chính về đề án")
    return {"dti": dti, "budget": budget, "mention": mention}


def found(user, **params) -> list[int]:
    return [d.pk for d in search(user, DocumentQuery.parse(params), limit=50).rows]


def test_the_subject_typed_without_diacritics_finds_the_document(office, docs):
    assert found(office.leader, q="bo chi so dti") == [docs["dti"].pk]
    assert found(office.leader, q="Bộ CHỈ số DTI") == [docs["dti"].pk]
    assert found(office.leader, q="dti ngan sach") == []


def test_newest_first_and_pages(office, docs):
    # by the date issued (then as registered): both of 20 March before 5 January's
    assert found(office.leader) == [docs["mention"].pk, docs["dti"].pk, docs["budget"].pk]
    page = search(office.leader, DocumentQuery(), limit=2, offset=0)
    assert page.more and len(page.rows) == 2
    assert not search(office.leader, DocumentQuery(), limit=2, offset=2).more


def test_number_and_notation(office, docs):
    for code in ("405/QĐ-BKHCN", "405/qd-bkhcn", "405", " 405 / QĐ-BKHCN "):
        assert found(office.leader, code=code) == [docs["dti"].pk], code
    assert found(office.leader, code="12/CV-STC") == [docs["budget"].pk]
    assert found(office.leader, code="405/CV-STC") == []
    assert found(office.leader, code="cv-bkhcn") == [docs["mention"].pk]


def test_issuer_by_code_or_name_not_by_subject(office, docs):
    assert found(office.leader, issuer="000.00.15.H34") == [docs["budget"].pk]
    assert found(office.leader, issuer="so tai chinh") == [docs["budget"].pk]
    assert set(found(office.leader, issuer="Bộ Khoa học")) == {docs["dti"].pk,
                                                               docs["mention"].pk}


def test_date_range_in_either_form(office, docs):
    march = [docs["mention"].pk, docs["dti"].pk]
    assert found(office.leader, date_from="01/03/2026", date_to="31/03/2026") == march
    assert found(office.leader, date_from="2026-01-01", date_to="2026-01-31") == [
        docs["budget"].pk]
    assert found(office.leader, date_to="4/1/2026") == []


def test_status_and_direction(office, docs):
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP",
                                    subject="Báo cáo chuyển đổi số",
                                    external=[("000.00.00.G12", "Bộ KH&CN")])
    assert found(office.leader, status="draft") == [draft.pk]
    assert found(office.leader, direction="out", q="chuyen doi so") == [draft.pk]
    assert len(found(office.leader, status="registered", direction="in")) == 3
    assert found(office.finance_clerk, status="draft") == [draft.pk]


def test_a_confidential_document_is_found_only_by_those_named(office, docs):
    secret = incoming(office, number=77, notation="M-BKHCN", confidential=True,
                      subject="Kế hoạch DTI mật", readers=[office.leader])
    colleague = staff_user(unit=office.province, username="chuyenvien.tinh")
    grant(colleague, Role.OFFICER, office.province)
    assert secret.pk in found(office.leader, q="ke hoach dti")
    assert secret.pk in found(office.clerk, q="ke hoach dti")  # registered it: named
    assert found(colleague, q="ke hoach dti") == []
    assert docs["dti"].pk in found(colleague, q="dti")


def foreigner():
    """An officer of a commune of another province (office_world's outsider is at a unit
    without a parent: a root, which covers everything)."""
    commune = UnitFactory(code="X2", level=Level.COMMUNE, parent=UnitFactory(code="57"))
    officer = staff_user(unit=commune, username="ngoai.tinh")
    grant(officer, Role.OFFICER, commune)
    return officer


def test_a_foreign_units_documents_are_not_found(office, docs):
    outsider = foreigner()
    assert found(office.finance_clerk, q="dti") == []
    assert found(outsider) == []
    assert found(office.justice_officer, code="405") == []
    services.document_direct(actor=office.leader, document=docs["dti"],
                             lead_unit=office.finance, support_units=[office.justice],
                             working_days=5, instruction="Sở Tài chính chủ trì")
    assert found(office.finance_officer, q="dti") == [docs["dti"].pk]
    assert found(office.justice_officer, code="405") == [docs["dti"].pk]
    assert found(outsider, q="dti") == []


def test_a_scope_holding_every_registering_unit_sees_all_but_the_confidential(office):
    """Only the finance department registers here: its clerk's scope holds every registering
    unit (the query then skips the joins), and still not a confidential one unnamed."""
    draft = services.outgoing_draft(actor=office.finance_officer, unit=office.finance,
                                    kind="Công văn", notation="STC-VP", subject="Chuyển đổi số",
                                    external=[("000.00.00.G12", "Bộ KH&CN")])
    secret = services.incoming_register(actor=office.finance_clerk, unit=office.finance,
                                        confidential=True, readers=[office.finance_officer],
                                        **incoming_fields(subject="Chuyển đổi số mật"))
    # a draft has no date yet: it comes first
    assert found(office.finance_clerk, q="chuyen doi so") == [draft.pk, secret.pk]
    assert found(office.finance_officer, q="chuyen doi so") == [draft.pk, secret.pk]
    colleague = staff_user(unit=office.finance, username="lanhdao.stc")
    grant(colleague, Role.LEADER, office.finance)
    assert found(colleague, q="chuyen doi so") == [draft.pk]
    assert found(foreigner(), q="chuyen doi so") == []


def test_bad_parameters_are_named():
    with pytest.raises(ValidationError) as refused:
        DocumentQuery.parse({"date_from": "31/02/2026", "date_to": "hôm qua", "year": "20x",
                             "status": "lost"})
    errors = refused.value.message_dict
    assert set(errors) == {"date_from", "date_to", "year", "status"}
    assert "31/02/2026" in errors["date_from"][0] and "dd/mm/yyyy" in errors["date_from"][0]
    with pytest.raises(ValidationError) as refused:
        DocumentQuery.parse({"date_from": "10/03/2026", "date_to": "01/03/2026"})
    assert set(refused.value.message_dict) == {"date_to"}


def client_of(user) -> Client:
    _, raw = api_token_create(actor=user, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_searches_and_logs_each_opening(office, docs):
    api = client_of(office.leader)
    body = api.get("/api/v1/documents/", {"q": "bo chi so dti"}).json()
    assert [d["code"] for d in body["items"]] == ["405/QĐ-BKHCN"] and body["more"] is False
    detail = api.get(f"/api/v1/documents/{docs['dti'].pk}")
    assert detail.status_code == 200 and detail.json()["issuer_name"] == "Bộ Khoa học và Công nghệ"
    assert Access.objects.filter(document=docs["dti"], user=office.leader).count() == 1
    assert client_of(foreigner()).get(f"/api/v1/documents/{docs['dti'].pk}").status_code \
        == 404
    assert client_of(citizen()).get("/api/v1/documents/").status_code == 403


def test_api_bad_dates_are_a_422_naming_the_field(office, docs):
    response = client_of(office.leader).get("/api/v1/documents/",
                                            {"date_from": "32/01/2026", "year": "abc"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "year" in fields
    response = client_of(office.leader).get("/api/v1/documents/", {"date_from": "32/01/2026"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["date_from"]
    assert "32/01/2026" in response.json()["detail"]


def test_a_common_word_read_among_the_newest_gives_the_same_pages(office, monkeypatch):
    """On PostgreSQL a word is first looked for among the newest documents, in a slice then a
    larger one; the pages are the same whether the slices hold them all or not."""
    made = [incoming(office, number=100 + n, issued_on=date(2026, 3, 1 + n),
                     subject=f"Chuyển đổi số đợt {n}" if n % 2 else f"Ngân sách đợt {n}")
            for n in range(8)]
    expected = [d.pk for d in reversed(made) if "Chuyển" in d.subject]
    for recent in ((2, 3), (2, 4), (4, 8), (8, 16), (2000, 16000)):
        monkeypatch.setattr("tinhso.documents.search.RECENT", recent)
        pages = [search(office.leader, DocumentQuery(q="chuyen doi so"), limit=2, offset=o)
                 for o in (0, 2)]
        assert [d.pk for p in pages for d in p.rows] == expected, recent
        assert [p.more for p in pages] == [True, False]


def test_the_list_page_searches_and_names_a_bad_date(office, docs, client):
    client.force_login(office.leader)
    page = client.get("/documents/", {"q": "bo chi so dti"})
    assert page.status_code == 200
    assert f'data-document="{docs["dti"].pk}"' in page.content.decode()
    assert f'data-document="{docs["budget"].pk}"' not in page.content.decode()
    page = client.get("/documents/", {"code": "12/CV-STC", "date_from": "31/02/2026"})
    text = page.content.decode()
    assert page.status_code == 200 and "31/02/2026" in text
    assert 'data-testid="search-errors"' in text
    assert f'data-document="{docs["budget"].pk}"' in text  # the rest of the search still applies
    assert f'data-document="{docs["dti"].pk}"' not in text
