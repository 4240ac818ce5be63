"""Searching the catalogue: diacritics ignored, the closest match first (issue 14), on SQLite
and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tinhso.procedures.catalogue import procedure_search
from tinhso.procedures.models import Procedure
from tinhso.procedures.relevance import fold, matches, relevance, search_words

HOUSEHOLD = "Đăng ký thành lập hộ kinh doanh"
ENTERPRISE = "Đăng ký thành lập doanh nghiệp"


def test_folding_drops_every_vietnamese_mark_and_reads_d_with_stroke_as_d():
    assert fold("ĐĂNG KÝ Thành lập Hộ kinh doanh") == "dang ky thanh lap ho kinh doanh"
    assert fold("Phường Đông Hải, đặc khu Trường Sa") == "phuong dong hai, dac khu truong sa"
    assert search_words("  Đăng-ký, đăng ký!  kinh doanh ") == ["dang", "ky", "kinh", "doanh"]
    assert search_words("?!") == []


def test_a_name_holding_every_word_comes_before_a_match_through_the_agency():
    words = search_words("dang ky kinh doanh")
    household = relevance(words, fold(HOUSEHOLD), fold(HOUSEHOLD + " UBND cấp xã"))
    enterprise = relevance(words, fold(ENTERPRISE),
                           fold(ENTERPRISE + " Sở Tài chính (Phòng Đăng ký kinh doanh)"))
    assert household == 4 * 4
    assert enterprise == 4 + 4 + 1 + 4 + 2  # "kinh" only in the agency; the phrase there too
    assert household > enterprise
    assert relevance(["khai", "sinh"], "dang ky khai sinh", "dang ky khai sinh") == 4 + 4 + 6
    assert not matches(words, fold("Đăng ký khai sinh"))


@pytest.fixture
def sample(reference_units: Any) -> None:
    from tinhso.procedures.loaders import procedures_load  # local: the fixture's own loader

    procedures_load()


def _names(q: str, **filters: str) -> list[str]:
    return [p.name for p in procedure_search(q=q, **filters)]


@pytest.mark.django_db
def test_business_registration_finds_household_and_enterprise_closest_first(sample: None):
    assert _names("dang ky kinh doanh") == [HOUSEHOLD, ENTERPRISE]
    assert _names("Đăng ký kinh doanh") == _names("dang ky kinh doanh")
    assert _names("ĐĂNG KÝ KINH DOANH") == _names("dang ky kinh doanh")
    assert _names("dang ky kinh doanh", field="Thành lập và hoạt động doanh nghiệp") == [
        ENTERPRISE]
    assert _names("dang ky kinh doanh", online_level="none") == []


@pytest.mark.django_db
def test_the_exact_name_comes_first(sample: None):
    assert _names("dang ky khai sinh")[0] == "Đăng ký khai sinh"
    found = _names("dang ky")
    assert len(found) == 7  # equal scores: the shortest names first
    assert set(found[:2]) == {"Đăng ký khai tử", "Đăng ký kết hôn"}
    assert found[-2:] == [ENTERPRISE, HOUSEHOLD]
    assert _names("chung thuc chu ky") == ["Chứng thực chữ ký"]
    assert _names("ho kinh doanh")[0] == HOUSEHOLD
    assert _names("phieu ly lich tu phap") == ["Cấp Phiếu lý lịch tư pháp"]
    assert _names("xyzzy") == []


@pytest.mark.django_db
def test_the_query_computes_the_rule_for_every_procedure(sample: None):
    """The SQL score (either database) equals ``relevance`` on the same texts."""
    for q in ("dang ky kinh doanh", "giay phep xay dung", "dang ky", "cap", "ubnd cap xa",
              "thanh lap doanh", "2.000815"):
        words = search_words(q)
        found = list(procedure_search(q=q))
        expected = [p for p in Procedure.objects.all() if matches(words, p.search_text)]
        assert {p.pk for p in found} == {p.pk for p in expected}, q
        for p in found:
            assert p.relevance == relevance(words, fold(p.name), p.search_text), (q, p.name)
        scores = [p.relevance for p in found]
        assert scores == sorted(scores, reverse=True), q


@pytest.mark.django_db
def test_the_api_and_the_portal_find_both_registrations(sample: None, client: Any):
    body = client.get("/api/v1/procedures/", {"q": "dang ky kinh doanh"}).json()
    assert [item["name"] for item in body["items"]] == [HOUSEHOLD, ENTERPRISE]
    assert body["count"] == 2
    accented = client.get("/api/v1/procedures/", {"q": "đăng ký kinh doanh"}).json()
    assert accented["items"] == body["items"]
    page = client.get("/services/", {"q": "dang ky kinh doanh"}).content.decode()
    assert HOUSEHOLD in page and ENTERPRISE in page
    assert page.index(HOUSEHOLD) < page.index(ENTERPRISE)
    assert "Đăng ký khai sinh" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    none = client.get("/services/", {"q": "khong co thu tuc nay"})
    assert none.status_code == 200 and "No procedure matches." in none.content.decode()
    assert client.get("/api/v1/procedures/", {"q": "khong co thu tuc nay"}).json()["count"] == 0


@pytest.mark.django_db
def test_a_catalogue_of_thousands_is_shown_a_page_at_a_time_with_its_count(client: Any):
    from tests.factories import ProcedureFactory  # local: only this test builds a catalogue

    ProcedureFactory.create_batch(120)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = client.get("/services/", {"q": "thu tuc thu"}).content.decode()
    assert "120 procedures match, the closest first." in first
    assert first.count('href="/services/TEST.') == 50 and "Page 1 of 3" in first
    assert "?q=thu+tuc+thu&amp;page=2" in first
    last = client.get("/services/", {"q": "thu tuc thu", "page": "3"}).content.decode()
    assert last.count('href="/services/TEST.') == 20 and "Previous" in last
    everything = client.get("/services/").content.decode()
    assert everything.count('href="/services/TEST.') == 50
    assert 'data-testid="procedure-count"' not in everything
    ProcedureFactory(name="Cấp phép biển quảng cáo")
    one = client.get("/services/", {"q": "bien quang cao"}).content.decode()
    assert "1 procedure matches, the closest first." in one


@pytest.mark.django_db
def test_the_catalogue_keepers_list_searches_by_the_same_rule(
        sample: None, client: Any, people: dict[str, Any]):
    client.force_login(people["coordinator"])
    page = client.get("/catalogue/", {"q": "Đăng ký kinh doanh"}).content.decode()
    assert HOUSEHOLD in page and ENTERPRISE in page
    assert page.index(HOUSEHOLD) < page.index(ENTERPRISE)
    assert "Đăng ký khai sinh" not in page
    certify = client.get("/catalogue/", {"q": "chung thuc"}).content.decode()
    assert certify.index("Chứng thực chữ ký") < certify.index("Chứng thực bản sao từ bản chính")
