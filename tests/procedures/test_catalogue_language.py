"""The catalogue in Vietnamese as the law writes it, with its English twin (issue 12)."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from tinhso.procedures.documents import receipt_html
from tinhso.procedures.loaders import DATA, procedures_load
from tinhso.procedures.models import Procedure
from tinhso.procedures.texts import describe_time_rule, shown
from tinhso.procedures.timelimits import parse_time_limit, written_in_english


def test_vietnamese_time_limits_become_the_same_rules_as_english_ones():
    assert parse_time_limit("Trong ngày làm việc") == {"type": "same_day"}
    assert parse_time_limit(
        "Trong ngày làm việc (nhận sau 15 giờ: ngày làm việc tiếp theo)") == {
        "type": "same_day", "cutoff": "15:00"}
    assert parse_time_limit("Trong ngày làm việc (nhận sau 16 giờ 30)") == {
        "type": "same_day", "cutoff": "16:30"}
    assert parse_time_limit("15 ngày làm việc") == {"type": "working_days", "days": 15}
    assert parse_time_limit("10 ngày (trường hợp đặc biệt: 15 ngày)") == {"type": "days",
                                                                            "days": 10}
    with pytest.raises(ValueError, match="cannot read"):
        parse_time_limit("sớm")


def test_every_sample_row_reads_the_same_rule_in_both_languages():
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert parse_time_limit(row["time_limit"]) == parse_time_limit(row["time_limit_en"])
        for key in ("agency", "time_limit", "fee", "legal_basis"):
            assert row[f"{key}_en"], (row["name"], key)


@pytest.mark.django_db
def test_pages_read_the_catalogue_in_their_language():
    procedures_load()
    permit = Procedure.objects.get(name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    assert permit.legal_basis == "Điều 102 Luật Xây dựng"
    assert permit.time_rule == {"type": "days", "days": 15}
    with translation.override("vi"):
        assert permit.time_limit_text == "15 ngày"
        assert permit.fee_text == "Do Hội đồng nhân dân tỉnh quy định"
        assert permit.legal_basis_text == "Điều 102 Luật Xây dựng"
    with translation.override("en"):
        assert permit.time_limit_text == "15 days"
        assert permit.fee_text == "Set by the provincial People's Council"
        assert permit.legal_basis_text == "Law on Construction, art. 102"
    records = Procedure.objects.get(name="Cấp Phiếu lý lịch tư pháp")
    with translation.override("vi"):
        assert records.agency_text == "(cơ quan cấp tỉnh)"
    with translation.override("en"):
        assert records.agency_text == "(provincial agency)"
    certified = Procedure.objects.get(national_code="2.000815")
    assert certified.time_limit == ("Trong ngày làm việc (nhận sau 15 giờ: ngày làm việc "
                                    "tiếp theo)")
    assert certified.time_rule == {"type": "same_day", "cutoff": "15:00"}


@pytest.mark.django_db
def test_without_an_english_twin_an_english_page_shows_the_vietnamese():
    procedures_load()
    permit = Procedure.objects.get(name="Cấp giấy phép xây dựng công trình")
    Procedure.objects.filter(pk=permit.pk).update(fee_en="")
    permit.refresh_from_db()
    with translation.override("en"):
        assert permit.fee_text == "Do Hội đồng nhân dân tỉnh quy định"


@pytest.mark.django_db
def test_without_an_english_time_limit_an_english_page_says_the_rule():
    procedures_load()
    Procedure.objects.update(time_limit_en="")
    by_code = {p.national_code or p.name: p for p in Procedure.objects.all()}
    with translation.override("en"):
        assert by_code["2.000815"].time_limit_text == (
            "Same working day (received after 15:00: next working day)")
        assert by_code["Đăng ký thường trú"].time_limit_text == "7 working days"
        assert by_code["Cấp giấy phép xây dựng công trình"].time_limit_text == "20 days"
        assert by_code["1.001193"].time_limit_text == "Same working day"
    with translation.override("vi"):
        assert by_code["Đăng ký thường trú"].time_limit_text == "7 ngày làm việc"
    odd = Procedure(time_limit="Theo thỏa thuận", time_rule={"type": "agreed"})
    with translation.override("en"):
        assert odd.time_limit_text == "Theo thỏa thuận"


# --- One place decides what a page shows (issue 14) ------------------------------------------

COPY = "Cấp bản sao trích lục hộ tịch"  # fully online, fee payable, commune level


def test_a_rule_is_said_in_the_pages_language_with_its_number_format():
    thousand = {"type": "working_days", "days": 1000}
    assert describe_time_rule(thousand, "vi") == "1.000 ngày làm việc"
    assert describe_time_rule(thousand, "en") == "1,000 working days"
    assert describe_time_rule({"type": "working_days", "days": 1}, "en") == "1 working day"
    assert describe_time_rule({"type": "days", "days": 1}, "en") == "1 day"
    assert describe_time_rule({"type": "same_day", "cutoff": "15:00"}, "vi") == (
        "Trong ngày làm việc (tiếp nhận sau 15:00: trả trong ngày làm việc tiếp theo)")
    assert describe_time_rule({"type": "agreed"}, "en") == ""
    assert written_in_english("2 working days") and written_in_english("Same working day")
    assert not written_in_english("2 ngày làm việc")
    assert not written_in_english("Trong ngày làm việc")


def test_an_older_catalogues_english_time_limit_is_said_in_vietnamese_on_a_vietnamese_page():
    older = Procedure(time_limit="2 working days", time_rule={"type": "working_days", "days": 2},
                      fee="50000", agency="Sở Tư pháp")
    vi, en = shown(older, "time_limit", "vi"), shown(older, "time_limit", "en")
    assert (vi, vi.language, vi.fallback) == ("2 ngày làm việc", "vi", False)
    assert (en, en.language, en.fallback) == ("2 working days", "en", False)
    assert shown(older, "fee", "en") == "VND 50,000"
    assert shown(Procedure(fee="0", fee_en=""), "fee", "en") == "Free"
    written = Procedure(fee="8.000 đồng/bản sao", fee_en="VND 8,000 per copy")
    assert (shown(written, "fee", "vi"), shown(written, "fee", "en")) == (
        "8.000 đồng/bản sao", "VND 8,000 per copy")


def test_a_text_missing_in_the_pages_language_is_the_other_ones_marked():
    procedure = Procedure(time_limit="Theo thỏa thuận", time_rule={}, fee="Theo hợp đồng",
                          agency="Sở Tư pháp", legal_basis="Luật Hộ tịch 2014")
    fee = shown(procedure, "fee", "en")
    assert (fee, fee.language, fee.fallback) == ("Theo hợp đồng", "vi", True)
    with translation.override("en"):
        assert fee.__html__() == ('<span lang="vi" data-fallback="vi">Theo hợp đồng</span> '
                                  "<small>(in Vietnamese)</small>")
        assert shown(procedure, "time_limit").fallback
    assert not shown(procedure, "fee", "vi").fallback
    assert shown(procedure, "fee", "vi").__html__() == "Theo hợp đồng"
    english_only = Procedure(time_limit="", fee="", fee_en="Free", time_rule={})
    on_vi = shown(english_only, "fee", "vi")
    assert (on_vi, on_vi.language, on_vi.fallback) == ("Free", "en", True)
    assert shown(english_only, "time_limit", "vi") == ""
    with pytest.raises(ValueError, match="no language rule"):
        shown(procedure, "name", "vi")


def test_the_new_texts_in_vietnamese():
    """The Vietnamese of this issue's new messages (/work/wt/tr/h-search.json, in the catalogue
    once the translations are filled): calendar days, amounts, the fallback's mark."""
    assert describe_time_rule({"type": "days", "days": 15}, "vi") == "15 ngày"
    assert describe_time_rule({"type": "days", "days": 1500}, "vi") == "1.500 ngày"
    assert shown(Procedure(fee="50000"), "fee", "vi") == "50.000 đồng"
    assert shown(Procedure(fee="0", fee_en="Free"), "fee", "vi") == "Miễn phí"
    english_only = Procedure(fee="", fee_en="Free")
    with translation.override("vi"):
        assert shown(english_only, "fee").__html__() == (
            '<span lang="en" data-fallback="en">Free</span> <small>(bằng tiếng Anh)</small>')


@pytest.fixture
def older_copy(catalogue: dict[str, Procedure]) -> Procedure:
    """The certified copy as an older catalogue held it: an English time limit where the
    Vietnamese belongs, no English twins for the time limit and the fee."""
    Procedure.objects.filter(name=COPY).update(
        time_limit="2 working days", time_rule={"type": "working_days", "days": 2},
        time_limit_en="", fee_en="")
    return Procedure.objects.get(name=COPY)


VI_TIME, EN_TIME = "2 ngày làm việc", "2 working days"
VI_FEE = "8.000 đồng/bản sao"
MARKED_FEE = f'<span lang="vi" data-fallback="vi">{VI_FEE}</span> <small>(in Vietnamese)</small>'


def _in(client: Any, language: str, url: str, **params: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("page", ["procedure", "list", "submit", "desk receive"])
def test_the_catalogues_pages_show_time_limit_and_fee_in_their_language(
        client: Any, older_copy: Procedure, desk: dict[str, Any], applicant_user: Any,
        page: str) -> None:
    url, params, shows_fee = {
        "procedure": (f"/services/{older_copy.code}/", {}, True),
        "list": ("/services/", {"q": "trich luc"}, False),
        "submit": (f"/dossiers/submit/{older_copy.code}/", {}, True),
        "desk receive": ("/desk/receive/", {"procedure": older_copy.code}, True),
    }[page]
    client.force_login(desk["commune"] if page.startswith("desk") else applicant_user)
    vi, en = _in(client, "vi", url, **params), _in(client, "en", url, **params)
    assert VI_TIME in vi and EN_TIME not in vi
    assert EN_TIME in en and VI_TIME not in en
    if shows_fee:
        assert VI_FEE in vi and "(in Vietnamese)" not in vi and "(bằng tiếng" not in vi
        assert MARKED_FEE in en


def test_a_dossiers_pages_and_receipt_show_the_fee_in_their_language(
        client: Any, older_copy: Procedure, desk: dict[str, Any], submit: Any) -> None:
    dossier = submit(COPY)
    assert dossier.fee_payable
    client.force_login(dossier.applicant)
    mine = f"/dossiers/{dossier.code}/"
    assert VI_FEE in _in(client, "vi", mine) and MARKED_FEE in _in(client, "en", mine)
    client.force_login(desk["commune"])
    at_desk = f"/desk/{dossier.code}/"
    assert VI_FEE in _in(client, "vi", at_desk) and MARKED_FEE in _in(client, "en", at_desk)
    with translation.override("en"):  # the receipt is in the official language, unmarked
        receipt = receipt_html(dossier)
    assert VI_FEE in receipt and "(in Vietnamese)" not in receipt


def test_the_api_answers_in_the_requests_language_and_names_its_fallbacks(
        client: Any, older_copy: Procedure) -> None:
    def answers(language: str) -> tuple[dict[str, Any], dict[str, Any]]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        found = client.get("/api/v1/procedures/", {"q": "trich luc"}).json()["items"]
        return found[0], client.get(f"/api/v1/procedures/{older_copy.code}/").json()

    for item in answers("vi"):
        assert item["time_limit_text"] == VI_TIME and item["fee_text"] == VI_FEE
        assert item["agency_text"] == "UBND cấp xã" and item["fallback"] == []
        assert item["time_limit"] == "2 working days"  # the catalogue's own text, as it is
    for item in answers("en"):
        assert item["time_limit_text"] == EN_TIME and item["fee_text"] == VI_FEE
        assert item["agency_text"] == "Commune People's Committee"
        assert item["fallback"] == ["fee_text"]
