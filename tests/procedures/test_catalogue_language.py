"""The catalogue in Vietnamese as the law writes it, with its English twin (issue 12)."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from tinhso.procedures.loaders import DATA, procedures_load
from tinhso.procedures.models import Procedure
from tinhso.procedures.timelimits import parse_time_limit


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
