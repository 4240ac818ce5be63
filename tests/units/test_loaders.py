from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.units import audit_events
from tinhso.units.loaders import load_provinces, units_load_reference
from tinhso.units.models import Level, Unit

pytestmark = pytest.mark.django_db


def provinces_on(day: date) -> int:
    return Unit.objects.filter(level=Level.PROVINCE).valid_on(day).count()


def test_63_provinces_before_the_merger_and_34_after(reference_units):
    assert provinces_on(date(2022, 1, 1)) == 63
    assert provinces_on(date(2025, 6, 30)) == 63
    assert provinces_on(date(2025, 7, 1)) == 34
    assert provinces_on(date(2026, 1, 1)) == 34


def test_each_old_province_knows_its_successor(reference_units):
    merged = Unit.objects.filter(level=Level.PROVINCE, valid_to=date(2025, 6, 30))
    assert merged.count() == 29
    assert all(p.successor is not None and p.successor.valid_to is None for p in merged)
    assert reference_units["58"].successor.code == "56"  # Ninh Thuận -> Khánh Hòa
    assert reference_units["84"].successor.name == "Vĩnh Long"  # Trà Vinh


def test_a_renamed_province_keeps_its_former_name(reference_units):
    hue = reference_units["46"]
    assert hue.name == "Huế"
    assert hue.name_on(date(2022, 1, 1)) == "Thừa Thiên Huế"
    assert hue.name_on(date(2026, 1, 1)) == "Huế"


def test_khanh_hoa_has_nine_districts_until_the_merger_and_65_communes_after(khanh_hoa):
    below = Unit.objects.filter(parent=khanh_hoa)
    assert below.filter(level=Level.DISTRICT).valid_on(date(2025, 6, 30)).count() == 9
    assert below.filter(level=Level.DISTRICT).valid_on(date(2025, 7, 1)).count() == 0
    assert below.filter(level=Level.COMMUNE).valid_on(date(2025, 6, 30)).count() == 0
    communes = below.filter(level=Level.COMMUNE).valid_on(date(2026, 1, 1))
    assert communes.count() == 65
    assert communes.filter(kind="phường").count() == 16
    assert communes.filter(kind="xã").count() == 48
    assert communes.get(kind="đặc khu").name == "Đặc khu Trường Sa"
    former_areas = {c.attributes["former_area"] for c in communes}
    assert "Phan Rang-Tháp Chàm (Ninh Thuận)" in former_areas


def test_departments_are_marked_where_not_confirmed(khanh_hoa):
    finance = Unit.objects.get(code="56.STC")
    assert finance.level == Level.DEPARTMENT and not finance.is_illustrative
    assert not finance.code_is_official
    planning = Unit.objects.get(code="56.SKHDT")
    assert planning.successor == finance and planning.valid_to == date(2025, 2, 28)
    assert Unit.objects.get(code="56.SYT").is_illustrative


def test_loading_twice_changes_nothing_and_is_audited_once(reference_units):
    before = {u.code: u.updated_at for u in Unit.objects.all()}
    counts = units_load_reference(actor=SYSTEM)
    assert counts["created"] == 0 and counts["updated"] == 0
    assert {u.code: u.updated_at for u in Unit.objects.all()} == before
    assert AuditEvent.objects.filter(action=audit_events.UNITS_IMPORTED).count() == 1


def test_paths_give_each_unit_its_ancestors(reference_units):
    ward = reference_units["22366"]
    assert ward.path == "/VN/56/22366/"
    assert ward.ancestor_codes == ["VN", "56"]
    assert ward.depth == 2
    assert Unit.objects.within(reference_units["56"]).filter(code="22366").exists()
    assert not Unit.objects.within(reference_units["58"]).filter(code="22366").exists()


def test_a_bad_successor_is_reported_with_file_and_line(db, tmp_path: Path):
    bad = tmp_path / "provinces.csv"
    bad.write_text(
        "code,name,kind,successor_2025_code,successor_2025_name\n"
        "01,Hà Nội,thành phố,01,Hà Nội\n"
        "02,Hà Giang,tỉnh,99,Nowhere\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"provinces.csv line 3, successor_2025_code: '99'"):
        load_provinces(bad)
