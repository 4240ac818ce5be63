"""The demo with two-factor sign-in on: the demo accounts that approve or administer have an
authenticator with the published, illustrative secret, and the second step shows its code."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.permissions import SYSTEM
from tinhso.demo.loader import _units, demo_totp_secret, load_accounts, load_second_factors

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "tinhso-demo-2026"


def enrolled_demo_accounts() -> set[str]:
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username",
                                                                     flat=True))


def test_the_demo_enrols_who_approves_or_administers(settings: Any, reference_units, client):
    settings.TINHSO_REQUIRE_2FA = True
    load_accounts(_units())
    load_second_factors(SYSTEM)
    load_second_factors(SYSTEM)  # a second run changes nothing
    assert enrolled_demo_accounts() == {"admin", "dieuphoi", "pheduyet.stc", "motcua.nhatrang"}
    assert TOTPDevice.objects.count() == 4
    response = client.post("/accounts/login/", {"username": "pheduyet.stc",
                                                "password": DEMO_PASSWORD})
    step = client.get(response["Location"], follow=True)
    shown = step.context["demo_code"]
    assert shown == f"{totp(base64.b32decode(demo_totp_secret())):06d}"
    assert shown in step.content.decode()
    assert client.post("/accounts/two-factor/verify/", {"code": shown,
                                                        "next": "/me/"})["Location"] == "/me/"


def test_without_the_requirement_the_demo_enrols_nobody(settings: Any, reference_units):
    settings.TINHSO_REQUIRE_2FA = False
    load_accounts(_units())
    load_second_factors(SYSTEM)
    assert enrolled_demo_accounts() == set()
