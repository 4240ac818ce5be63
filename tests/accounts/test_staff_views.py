from __future__ import annotations

import pytest

from tests.factories import grant, staff_user
from tinhso.accounts import audit_events
from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_only_the_staff_of_their_units(client, reference_units,
                                                             province_admin):
    staff_user(unit=reference_units["56.STC"], username="o.tai.chinh")
    staff_user(unit=reference_units["58"], username="o.ninh.thuan")
    client.force_login(province_admin)
    page = client.get("/staff/").content.decode()
    assert "o.tai.chinh" in page and "o.ninh.thuan" not in page
    assert client.get("/staff/o.ninh.thuan/").status_code == 404


def test_create_a_staff_member_with_a_role(client, reference_units, province_admin):
    client.force_login(province_admin)
    response = client.post("/staff/new/", {
        "username": "ketoan", "first_name": "Lê Thị", "last_name": "Hoa", "unit": "56.STC",
        "role": "unit_reporter", "password": "Mot-mat-khau-dai-2026",
    })
    assert response.status_code == 302
    user = User.objects.get(username="ketoan")
    assert user.role_assignments.get().role == "unit_reporter"


def test_creating_outside_the_scope_or_with_bad_input_says_why(client, reference_units,
                                                               province_admin):
    client.force_login(province_admin)
    response = client.post("/staff/new/", {"username": "x", "unit": "58",
                                           "password": "Mot-mat-khau-dai-2026"})
    assert response.status_code == 403
    response = client.post("/staff/new/", {"username": "y", "unit": "NOPE", "password": "1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"unit"}
    response = client.post("/staff/new/", {"username": "y", "unit": "56", "password": "1"})
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_grant_and_revoke_a_role(client, reference_units, province_admin):
    member = staff_user(unit=reference_units["56.STC"], username="canbo")
    client.force_login(province_admin)
    response = client.post("/staff/canbo/", {"role": "approver", "unit": "56.STC"})
    assert response.status_code == 302
    assignment = member.role_assignments.get()
    response = client.post(f"/staff/canbo/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302 and not member.role_assignments.exists()
    actions = set(AuditEvent.objects.filter(object_id=str(member.pk))
                  .values_list("action", flat=True))
    assert actions == {audit_events.ROLE_GRANTED, audit_events.ROLE_REVOKED}
    response = client.post("/staff/canbo/", {"role": "approver", "unit": "58"})
    assert response.status_code == 403


def test_deactivate_a_staff_member(client, reference_units, province_admin):
    member = staff_user(unit=reference_units["56.STC"], username="canbo")
    client.force_login(province_admin)
    client.post("/staff/canbo/active/")
    member.refresh_from_db()
    assert not member.is_active
    assert client.post(f"/staff/{province_admin.username}/active/").status_code == 403


def test_others_may_not_manage_staff(client, reference_units):
    leader = staff_user(unit=reference_units["56"])
    grant(leader, "leader", reference_units["56"])
    client.force_login(leader)
    assert client.get("/staff/").status_code == 403
    assert 'href="/staff/"' not in client.get("/").content.decode()
