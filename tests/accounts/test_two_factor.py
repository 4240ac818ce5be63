"""Two-factor sign-in: who must give a second factor (one rule, per role), the second step after
the password, enrolment, throttled wrong codes, single-use recovery codes, and the reset by
another administrator; citizens are never asked, API tokens are not concerned."""

from __future__ import annotations

from binascii import unhexlify
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import IndicatorFactory, UserFactory, citizen, grant, staff_user
from tests.factories.accounts import PASSWORD
from tests.helpers import run_command
from tinhso.accounts.permissions import (
    ACTIONS,
    SECOND_FACTOR_ACTIONS,
    may,
    requires_second_factor,
)
from tinhso.accounts.services import api_token_create
from tinhso.accounts.two_factor import new_totp_key, second_factor_reset, totp_enrol
from tinhso.audit.models import AuditEvent
from tinhso.indicators.models import IndicatorValue, ValueStatus
from tinhso.indicators.services import value_save

pytestmark = pytest.mark.django_db

ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture
def required(settings: Any) -> None:
    """As in production: the setting on (tests/conftest.py turns it off for the others)."""
    settings.TINHSO_REQUIRE_2FA = True


def code(key: str, ahead: int = 0) -> str:
    """The authenticator's code now (or ``ahead`` steps of 30 s later), from the device key."""
    return f"{totp(unhexlify(key), t0=-30 * ahead):06d}"


def wrong(key: str) -> str:
    return f"{(int(code(key)) + 500_000) % 1_000_000:06d}"


def password_login(client: Any, user: Any) -> Any:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password is right"
    return response


def enrolled(user: Any) -> tuple[TOTPDevice, list[str]]:
    key = new_totp_key()
    return totp_enrol(user=user, key=key, code=code(key))


def wait_out_the_throttle(user: Any) -> None:
    """As if the wait after a wrong recovery code (a second, doubling) had passed."""
    StaticDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(days=1))


def actions(user: Any) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="2fa.")
                .order_by("id").values_list("action", flat=True))


@pytest.fixture
def submitted(people: dict[str, Any], reference_units: dict[str, Any]) -> IndicatorValue:
    """A value the Department of Finance's reporter submitted, for its approver."""
    return value_save(actor=people["reporter"], indicator=IndicatorFactory(code="rate"),
                      unit=reference_units["56.STC"], period="2025", value=70, submit=True)


def test_the_roles_that_approve_or_administer_need_a_second_factor(reference_units):
    assert set(SECOND_FACTOR_ACTIONS) <= set(ACTIONS), "each named action is registered"
    unit = reference_units["56"]
    expected = {"administrator": True, "coordinator": True, "approver": True,
                "officer": True,  # decides (approves or refuses) dossiers
                "unit_reporter": False, "leader": False}
    for role, needed in expected.items():
        user = staff_user(unit=unit, username=f"vai.{role}")
        grant(user, role, unit)
        assert requires_second_factor(user) is needed, role
    assert not requires_second_factor(staff_user(unit=unit, username="no.role"))
    assert not requires_second_factor(citizen(username="congdan"))
    assert not requires_second_factor(UserFactory(username="dn", kind="business"))
    assert requires_second_factor(staff_user(unit=unit, username="su", is_superuser=True))


def test_an_approver_with_a_password_alone_cannot_approve(client, required, people,
                                                          submitted):
    password_login(client, people["approver"])
    page = client.get(f"/indicators/values/{submitted.pk}/")
    assert page.status_code == 302 and page["Location"].startswith(ENROL)
    response = client.post(f"/indicators/values/{submitted.pk}/approve/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    # The browser's session on the API is not signed in until the second step either.
    api = client.post(f"/api/v1/values/{submitted.pk}/approve/")
    assert api.status_code in (401, 403)
    submitted.refresh_from_db()
    assert submitted.status == ValueStatus.SUBMITTED
    # The permission helper says the same for the session's user.
    user = people["approver"]
    user.is_verified = lambda: False
    assert not may(user, "indicators.approve", submitted.unit)
    user.is_verified = lambda: True
    assert may(user, "indicators.approve", submitted.unit)


def test_enrolment_with_a_code_from_the_app_then_recovery_codes_shown_once(
        client, required, people, submitted):
    password_login(client, people["approver"])
    page = client.get(ENROL).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, an image (no script)
    key = client.session["tinhso_2fa_pending_key"]
    refused = client.post(ENROL, {"code": wrong(key)})
    assert refused.status_code == 200 and refused.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=people["approver"]).exists()
    done = client.post(ENROL, {"code": code(key), "next": f"/indicators/values/{submitted.pk}/"})
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert TOTPDevice.objects.get(user=people["approver"]).confirmed
    # Signed in now: approving works; the secret is never shown again.
    client.post(f"/indicators/values/{submitted.pk}/approve/")
    submitted.refresh_from_db()
    assert submitted.status == ValueStatus.APPROVED
    assert client.get(ENROL)["Location"] == "/accounts/two-factor/"
    assert actions(people["approver"]) == ["2fa.enrolled"]


@pytest.mark.usefixtures("english_pages")
def test_a_wrong_code_is_refused_and_throttled(client, required, settings, people):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the first failure makes one wait a minute
    device, _codes = enrolled(people["approver"])
    password_login(client, people["approver"])
    assert client.get("/me/")["Location"].startswith(VERIFY)
    refused = client.post(VERIFY, {"code": wrong(device.key)})
    assert "wrong" in refused.context["form"].errors["code"][0]
    throttled = client.post(VERIFY, {"code": code(device.key, ahead=1)})
    assert "Too many wrong codes" in throttled.context["form"].errors["code"][0]
    assert client.get("/me/").status_code == 302
    # A minute later the right code signs in.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=61))
    response = client.post(VERIFY, {"code": code(device.key, ahead=1), "next": "/me/"})
    assert response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert actions(people["approver"]) == ["2fa.enrolled", "2fa.failed", "2fa.failed",
                                           "2fa.verified"]
    failed = AuditEvent.objects.filter(action="2fa.failed").order_by("id")
    assert [e.details["reason"] for e in failed] == ["wrong code", "throttled"]


def test_a_recovery_code_works_once_and_new_ones_replace_the_old(client, required, people):
    _device, codes = enrolled(people["approver"])
    password_login(client, people["approver"])
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/me/"})
    assert response["Location"] == "/me/"
    assert StaticToken.objects.filter(device__user=people["approver"]).count() == 9
    client.post("/accounts/logout/")
    password_login(client, people["approver"])
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors["code"]
    wait_out_the_throttle(people["approver"])
    assert client.post(VERIFY, {"code": codes[1], "next": "/me/"})["Location"] == "/me/"
    renewed = client.post("/accounts/two-factor/recovery-codes/").context["codes"]
    assert len(renewed) == 10 and not set(renewed) & set(codes)
    client.post("/accounts/logout/")
    password_login(client, people["approver"])
    assert client.post(VERIFY, {"code": codes[2]}).status_code == 200  # refused: old code
    wait_out_the_throttle(people["approver"])
    assert client.post(VERIFY, {"code": renewed[0]}).status_code == 302


def test_an_administrator_resets_a_members_second_factor_with_a_reason(
        client, required, people, province_admin):
    approver = people["approver"]
    enrolled(approver)
    admin_device, _codes = enrolled(province_admin)
    client.force_login(province_admin)
    client.post(VERIFY, {"code": code(admin_device.key, ahead=1)})
    url = f"/staff/{approver.username}/two-factor/reset/"
    client.post(url, {"reason": " "})
    assert TOTPDevice.objects.filter(user=approver).exists(), "no reason, no reset"
    client.post(url, {"reason": "Mất điện thoại"})
    assert not TOTPDevice.objects.filter(user=approver).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert (event.actor_repr, event.details["reason"]) == ("admin56", "Mất điện thoại")
    # The member enrols again at the next sign-in.
    client.post("/accounts/logout/")
    password_login(client, approver)
    assert client.get("/me/")["Location"].startswith(ENROL)


def test_nobody_resets_their_own_second_factor_nor_does_a_non_administrator(people,
                                                                            province_admin):
    enrolled(province_admin)
    enrolled(people["approver"])
    with pytest.raises(PermissionDenied, match="another administrator"):
        second_factor_reset(actor=province_admin, user=province_admin, reason="lost")
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=people["coordinator"], user=people["approver"], reason="x")
    with pytest.raises(ValidationError):
        second_factor_reset(actor=province_admin, user=people["approver"], reason="")
    assert TOTPDevice.objects.count() == 2
    assert not AuditEvent.objects.filter(action="2fa.reset").exists()


def test_a_citizen_is_never_asked(client, required, reference_units):
    person = citizen(username="congdan")
    password_login(client, person)
    assert client.get("/me/").status_code == 200
    assert client.get(ENROL).status_code == 403
    assert not requires_second_factor(person)


def test_an_api_token_is_not_asked_for_a_second_factor(client, required, people, submitted):
    _token, raw = api_token_create(actor=people["approver"], user=people["approver"],
                                   name="script")
    response = client.post(f"/api/v1/values/{submitted.pk}/approve/",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == ValueStatus.APPROVED


def test_the_operator_resets_the_last_administrators_second_factor(admin_user):
    """The only administrator lost their phone: whoever runs tinhso on the server resets it."""
    enrolled(admin_user)
    out = run_command("users", "reset-2fa", "admin", "--reason", "Mất điện thoại")
    assert "reset" in out and not TOTPDevice.objects.filter(user=admin_user).exists()
    event = AuditEvent.objects.get(action="2fa.reset")
    assert (event.actor_repr, event.details["reason"]) == ("system", "Mất điện thoại")
