from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UnitFactory, grant, staff_user
from tinhso.audit.models import AuditEvent
from tinhso.units import audit_events
from tinhso.units.models import Level, Unit
from tinhso.units.services import unit_create, unit_update

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_unit_below_their_unit_and_it_is_audited(province_admin,
                                                                            khanh_hoa):
    unit = unit_create(actor=province_admin, code="56.TEST", name="Ban thử nghiệm",
                       level=Level.DEPARTMENT, parent=khanh_hoa)
    assert unit.path == "/VN/56/56.TEST/"
    event = AuditEvent.objects.get(action=audit_events.UNIT_CREATED)
    assert event.actor == province_admin and event.unit == unit
    assert event.details["code"] == "56.TEST" and event.details["parent"] == "56"


def test_an_administrator_cannot_act_outside_their_unit(province_admin, reference_units):
    with pytest.raises(PermissionDenied, match="Ninh Thuận"):
        unit_update(actor=province_admin, unit=reference_units["58"], name="X")
    with pytest.raises(PermissionDenied):
        unit_create(actor=province_admin, code="60.X", name="X", level=Level.DEPARTMENT,
                    parent=reference_units["60"])
    assert not Unit.objects.filter(code="60.X").exists()
    assert reference_units["58"].name == Unit.objects.get(code="58").name


def test_other_roles_may_not_change_units(khanh_hoa):
    coordinator = staff_user(unit=khanh_hoa)
    grant(coordinator, "coordinator", khanh_hoa)
    with pytest.raises(PermissionDenied):
        unit_update(actor=coordinator, unit=khanh_hoa, name="Khánh Hòa mới")


def test_update_records_before_and_after(admin_user, khanh_hoa):
    unit_update(actor=admin_user, unit=khanh_hoa, name_en="Khanh Hoa")
    event = AuditEvent.objects.get(action=audit_events.UNIT_UPDATED)
    assert event.details["changes"] == {"name_en": {"from": "", "to": "Khanh Hoa"}}


def test_an_update_that_changes_nothing_writes_nothing(admin_user, khanh_hoa):
    unit_update(actor=admin_user, unit=khanh_hoa, name=khanh_hoa.name)
    assert not AuditEvent.objects.filter(action=audit_events.UNIT_UPDATED).exists()


def test_moving_a_unit_moves_its_subtree(admin_user):
    root = Unit.objects.get(code="VN")
    a = UnitFactory(code="A", parent=root, level=Level.PROVINCE)
    b = UnitFactory(code="B", parent=root, level=Level.PROVINCE)
    child = UnitFactory(code="A1", parent=a, level=Level.DISTRICT)
    grandchild = UnitFactory(code="A11", parent=child, level=Level.COMMUNE)
    unit_update(actor=admin_user, unit=child, parent=b)
    grandchild.refresh_from_db()
    assert grandchild.path == "/VN/B/A1/A11/"
    assert grandchild.depth == 3


def test_a_unit_cannot_move_below_itself(admin_user, khanh_hoa):
    ward = Unit.objects.get(code="22366")
    with pytest.raises(ValidationError):
        unit_update(actor=admin_user, unit=khanh_hoa, parent=ward)
    khanh_hoa.refresh_from_db()
    assert khanh_hoa.path == "/VN/56/"


def test_dates_must_be_in_order(admin_user, khanh_hoa):
    with pytest.raises(ValidationError, match="end date"):
        unit_update(actor=admin_user, unit=khanh_hoa, valid_from=date(2026, 1, 1),
                    valid_to=date(2025, 1, 1))
