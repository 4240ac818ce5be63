"""Two-factor sign-in (django-otp): a TOTP authenticator and ten single-use recovery codes.

Writes here, like the account services: each authorised, in a transaction, audited. Who must
have a second factor is one rule, :func:`tinhso.accounts.permissions.requires_second_factor`;
the middleware (accounts.middleware) sends them to enrol or to give a code after the password.
"""

from __future__ import annotations

import base64
import secrets
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts import audit_events
from tinhso.accounts.models import User, UserKind
from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
DEMO_NAME = "demo (illustrative)"


def new_totp_key() -> str:
    """A fresh secret for an authenticator: 20 random bytes, hex (as TOTPDevice keeps it)."""
    return secrets.token_hex(20)


def key_base32(key: str) -> str:
    """The secret as an authenticator app takes it when typed (base32, in groups of four)."""
    raw = base64.b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def totp_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def has_second_factor(user: Any) -> bool:
    return totp_device(user) is not None


def may_enrol(user: Any) -> bool:
    """Staff enrol (and superusers); citizens and businesses are never asked."""
    return bool(getattr(user, "is_authenticated", False)
                and (user.is_superuser or user.kind == UserKind.STAFF))


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").lower()


def _new_recovery_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def totp_enrol(*, user: Any, key: str, code: str, ip_address: str | None = None
               ) -> tuple[TOTPDevice, list[str]]:
    """The user confirms the authenticator holding ``key`` with a code it shows now; returns
    the device and ten new recovery codes (shown once). A wrong code is a ValidationError."""
    if not may_enrol(user):
        raise PermissionDenied(_("Only staff members set up two-factor sign-in."))
    if has_second_factor(user):
        raise ValidationError(_("Two-factor sign-in is already set up for this account."))
    totp = TOTP(unhexlify(key))
    token = _code(code)
    if not (token.isdigit() and len(token) == 6 and totp.verify(int(token), tolerance=1)):
        raise ValidationError({"code": _("This code is wrong or has expired: type the six "
                                         "digits the app shows now.")})
    TOTPDevice.objects.filter(user=user).delete()  # an earlier, unconfirmed one
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True,
                                       last_t=totp.t(), last_used_at=timezone.now())
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action=audit_events.SECOND_FACTOR_ENROLLED, obj=user,
                 unit=user.unit, ip_address=ip_address, details={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def totp_enrol_illustrative(*, actor: Any, user: User, key: str) -> TOTPDevice:
    """A demo account's authenticator with a published secret (tinhso demo); no codes."""
    require(actor, "users.manage", user.unit)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEMO_NAME, key=key, confirmed=True)
        audit_record(actor=actor, action=audit_events.SECOND_FACTOR_ENROLLED, obj=user,
                     unit=user.unit, details={"illustrative": True})
    return device


def demo_code(user: Any) -> str | None:
    """The code now of a demo account's published authenticator (shown on the second step as
    illustrative); None for every other account."""
    device = totp_device(user)
    if device is None or not user.is_illustrative or device.name != DEMO_NAME:
        return None
    return f"{TOTP(device.bin_key).token():06d}"


@dataclass(frozen=True)
class Verification:
    device: Any  # the device that accepted the code, or None
    error: str = ""


def _refused(user: Any, kind: str, reason: str, ip: str | None, error: str) -> Verification:
    audit_record(actor=user, action=audit_events.SECOND_FACTOR_FAILED, obj=user, unit=user.unit,
                 ip_address=ip, details={"kind": kind, "reason": reason})
    return Verification(None, error)


@transaction.atomic
def second_factor_verify(*, user: Any, code: str, ip_address: str | None = None
                         ) -> Verification:
    """Check a six-digit code of the authenticator or a recovery code (used up when it
    matches). Wrong codes are throttled per device: each failure doubles the wait. Never
    raises for a wrong code, so that the failure and its count are kept."""
    token = _code(code)
    kind = "totp" if token.isdigit() and len(token) == 6 else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return _refused(user, kind, "no device", ip_address,
                        _("This account has no recovery codes.") if kind == "recovery"
                        else _("This account has no authenticator."))
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        wait = max(1, int((until - timezone.now()).total_seconds())) if until else 1
        return _refused(user, kind, "throttled", ip_address,
                        _("Too many wrong codes: wait %(seconds)s seconds and try again.")
                        % {"seconds": wait})
    if not device.verify_token(token):
        return _refused(user, kind, "wrong code", ip_address,
                        _("This code is wrong or has expired."))
    audit_record(actor=user, action=audit_events.SECOND_FACTOR_VERIFIED, obj=user,
                 unit=user.unit, ip_address=ip_address, details={"kind": kind})
    return Verification(device)


@transaction.atomic
def recovery_codes_renew(*, user: Any, ip_address: str | None = None) -> list[str]:
    """Ten new recovery codes for a user with an authenticator; the old ones stop working."""
    if not has_second_factor(user):
        raise ValidationError(_("Set up two-factor sign-in first."))
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action=audit_events.RECOVERY_CODES_RENEWED, obj=user,
                 unit=user.unit, ip_address=ip_address)
    return codes


@transaction.atomic
def second_factor_reset(*, actor: Any, user: User, reason: str) -> int:
    """An administrator of the user's unit removes the user's authenticator and recovery
    codes (a lost phone): the user enrols again at the next sign-in. Never one's own."""
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied(_("Nobody resets their own two-factor sign-in: ask another "
                                 "administrator."))
    require(actor, "users.manage", user.unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the two-factor sign-in is reset.")})
    removed = TOTPDevice.objects.filter(user=user).count()
    removed += StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action=audit_events.SECOND_FACTOR_RESET, obj=user, unit=user.unit,
                 details={"reason": reason[:500], "devices": removed})
    return removed
