from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import citizen, grant, staff_user
from tinhso.accounts import audit_events
from tinhso.accounts.models import RoleAssignment, User, UserKind
from tinhso.accounts.permissions import may
from tinhso.accounts.selectors import user_for_token
from tinhso.accounts.services import (
    api_token_create,
    api_token_revoke,
    public_user_register,
    role_grant,
    role_revoke,
    staff_user_create,
    user_update,
)
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_staff_in_their_units_with_roles(province_admin,
                                                                  reference_units):
    user = staff_user_create(actor=province_admin, username="bao.cao",
                             unit=reference_units["56.STC"], password="Mot-mat-khau-dai-2026",
                             roles=["unit_reporter"])
    assert user.kind == UserKind.STAFF and user.check_password("Mot-mat-khau-dai-2026")
    assert RoleAssignment.objects.filter(user=user, role="unit_reporter").exists()
    actions = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action",
                                                                                  flat=True))
    assert sorted(actions) == sorted([audit_events.USER_CREATED, audit_events.ROLE_GRANTED])


def test_no_user_is_created_outside_the_administrators_scope(province_admin, reference_units):
    with pytest.raises(PermissionDenied):
        staff_user_create(actor=province_admin, username="x", unit=reference_units["58"])
    assert not User.objects.filter(username="x").exists()


def test_weak_passwords_are_refused(province_admin, reference_units):
    with pytest.raises(ValidationError):
        staff_user_create(actor=province_admin, username="y", unit=reference_units["56"],
                          password="123456")
    assert not User.objects.filter(username="y").exists()


def test_granting_and_revoking_roles_changes_what_a_user_may_do(province_admin, reference_units):
    officer = staff_user(unit=reference_units["22366"])
    role_grant(actor=province_admin, user=officer, role="administrator",
               unit=reference_units["22366"])
    assert may(officer, "units.manage", reference_units["22366"])
    assert role_revoke(actor=province_admin, user=officer, role="administrator",
                       unit=reference_units["22366"])
    assert not may(officer, "units.manage", reference_units["22366"])
    assert AuditEvent.objects.filter(action=audit_events.ROLE_REVOKED).count() == 1


def test_citizens_hold_no_roles(province_admin, reference_units):
    person = citizen()
    with pytest.raises(ValidationError, match="staff"):
        role_grant(actor=province_admin, user=person, role="officer", unit=reference_units["56"])


def test_citizens_and_businesses_register_themselves(db):
    business = public_user_register(username="cty.abc", password="Mot-mat-khau-dai-2026",
                                    kind="business", organisation_name="Công ty ABC",
                                    tax_code="4201234567")
    assert business.kind == UserKind.BUSINESS and business.unit is None
    assert business.display_name == "Công ty ABC"
    assert AuditEvent.objects.get(action=audit_events.USER_CREATED).actor == business
    with pytest.raises(ValidationError):
        public_user_register(username="z", password="Mot-mat-khau-dai-2026", kind="staff")


def test_deactivating_a_user_is_recorded(province_admin, reference_units):
    user = staff_user(unit=reference_units["56.STC"])
    user_update(actor=province_admin, user=user, is_active=False)
    event = AuditEvent.objects.get(action=audit_events.USER_DEACTIVATED)
    assert event.details["changes"]["is_active"] == {"from": True, "to": False}


def test_tokens_authenticate_until_revoked(province_admin, reference_units):
    user = staff_user(unit=reference_units["56"])
    token, raw = api_token_create(actor=user, user=user, name="script")
    assert raw.startswith("tsk_") and token.key_hash != raw
    assert user_for_token(raw) == user
    assert user_for_token(raw + "x") is None
    api_token_revoke(actor=user, token=token)
    assert user_for_token(raw) is None


def test_a_token_stops_at_its_expiry_and_with_its_user(reference_units):
    from datetime import timedelta

    from django.utils import timezone

    user = staff_user(unit=reference_units["56"])
    soon = timezone.now() + timedelta(hours=1)
    token, raw = api_token_create(actor=user, user=user, name="script", expires_at=soon)
    assert user_for_token(raw) == user
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    assert user_for_token(raw) is None
    _, other_raw = api_token_create(actor=user, user=user, name="script 2")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert user_for_token(other_raw) is None


def test_nobody_makes_tokens_for_others_without_the_right(reference_units):
    user = staff_user(unit=reference_units["56"])
    other = staff_user(unit=reference_units["56"])
    with pytest.raises(PermissionDenied):
        api_token_create(actor=other, user=user, name="stolen")


def test_grant_helper_is_idempotent(province_admin, reference_units):
    user = staff_user(unit=reference_units["56"])
    grant(user, "leader", reference_units["56"])
    role_grant(actor=province_admin, user=user, role="leader", unit=reference_units["56"])
    assert user.role_assignments.count() == 1
    assert not AuditEvent.objects.filter(action=audit_events.ROLE_GRANTED).exists()
