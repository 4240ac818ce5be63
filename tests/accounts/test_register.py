from __future__ import annotations

import pytest

from tinhso.accounts import audit_events
from tinhso.accounts.models import User, UserKind
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {"kind": "citizen", "full_name": "Trần Thị Bình", "username": "tranbinh",
        "email": "binh@example.vn", "phone": "0912345678",
        "password1": "Mot-mat-khau-dai-2026", "password2": "Mot-mat-khau-dai-2026"}


def test_a_citizen_opens_an_account_and_is_signed_in(client):
    response = client.post("/accounts/register/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="tranbinh")
    assert user.kind == UserKind.CITIZEN and user.unit is None
    assert user.get_full_name() == "Trần Thị Bình"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action=audit_events.USER_CREATED, actor=user).exists()


def test_a_business_gives_its_name_and_a_valid_tax_code(client):
    data = {**GOOD, "kind": "business", "username": "cty", "full_name": "",
            "tax_code": "42012"}
    response = client.post("/accounts/register/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"organisation_name", "tax_code"}
    assert not User.objects.filter(username="cty").exists()


def test_every_problem_is_shown_and_nothing_is_saved(client):
    User.objects.create_user(username="tranbinh", password="x")
    data = {**GOOD, "phone": "12345", "password2": "khac"}
    response = client.post("/accounts/register/", data)
    errors = response.context["form"].errors
    assert set(errors) >= {"username", "phone", "password2"}
    assert User.objects.count() == 1
    page = response.content.decode()
    assert 'role="alert"' in page


def test_weak_passwords_are_refused_on_the_password_field(client):
    data = {**GOOD, "password1": "12345678", "password2": "12345678"}
    response = client.post("/accounts/register/", data)
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(username="tranbinh").exists()
