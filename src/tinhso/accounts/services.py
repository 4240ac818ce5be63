"""Writes on people: each checks permission, runs in a transaction and records audit."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts import audit_events
from tinhso.accounts.models import ApiToken, Role, RoleAssignment, User, UserKind, hash_token
from tinhso.accounts.permissions import forget_scopes, require
from tinhso.audit.services import audit_record
from tinhso.units.models import Unit

USER_FIELDS = ("first_name", "last_name", "email", "phone", "unit", "is_active",
               "preferred_language", "national_id", "tax_code", "organisation_name")


def _user_details(user: User) -> dict[str, Any]:
    return {"username": user.username, "kind": user.kind,
            "unit": user.unit.code if user.unit_id and user.unit else None}


@transaction.atomic
def staff_user_create(
    *, actor: Any, username: str, unit: Unit, password: str | None = None,
    roles: list[str] | None = None, validate: bool = True, **fields: Any,
) -> User:
    """A staff member of ``unit``, optionally with roles held at that unit."""
    require(actor, "users.manage", unit)
    user = User(username=username.strip(), kind=UserKind.STAFF, unit=unit, **fields)
    if password:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action=audit_events.USER_CREATED, obj=user, unit=unit,
                 details=_user_details(user))
    for role in roles or []:
        role_grant(actor=actor, user=user, role=role, unit=unit)
    return user


@transaction.atomic
def public_user_register(
    *, username: str, password: str, kind: str, email: str = "", **fields: Any
) -> User:
    """A citizen or business signs up for themselves (no unit, no roles)."""
    if kind not in (UserKind.CITIZEN, UserKind.BUSINESS):
        raise ValidationError({"kind": _("Choose citizen or business.")})
    user = User(username=username.strip(), kind=kind, email=email, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action=audit_events.USER_CREATED, obj=user,
                 details=_user_details(user))
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **changes: Any) -> User:
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    user = User.objects.select_for_update().get(pk=user.pk)
    require(actor, "users.manage", user.unit)
    if "unit" in changes and changes["unit"] is not None:
        require(actor, "users.manage", changes["unit"])
    diff: dict[str, Any] = {}
    for field, value in changes.items():
        old = getattr(user, field)
        if old != value:
            diff[field] = {"from": getattr(old, "code", old), "to": getattr(value, "code", value)}
            setattr(user, field, value)
    if diff:
        user.full_clean(exclude=["password"])
        user.save()
        action = (audit_events.USER_DEACTIVATED if diff.get("is_active", {}).get("to") is False
                  else audit_events.USER_UPDATED)
        audit_record(actor=actor, action=action, obj=user, unit=user.unit,
                     details={"changes": diff})
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str, validate: bool = True) -> None:
    if actor is not user and getattr(actor, "pk", None) != user.pk:
        require(actor, "users.manage", user.unit)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=audit_events.USER_PASSWORD_SET, obj=user, unit=user.unit)


def user_set_language(*, user: User, language: str) -> None:
    """A preference, not a change of data: kept on the account, not audited."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, unit: Unit) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("'%s' is not a role.") % role})
    if user.kind != UserKind.STAFF:
        raise ValidationError({"role": _("Only staff members hold roles.")})
    require(actor, "users.manage", unit)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit,
        defaults={"granted_by": actor if getattr(actor, "pk", None) else None},
    )
    if created:
        audit_record(actor=actor, action=audit_events.ROLE_GRANTED, obj=user, unit=unit,
                     details={"role": role, "unit": unit.code})
        forget_scopes(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, user: User, role: str, unit: Unit) -> bool:
    require(actor, "users.manage", unit)
    deleted, _details = RoleAssignment.objects.filter(user=user, role=role, unit=unit).delete()
    if deleted:
        audit_record(actor=actor, action=audit_events.ROLE_REVOKED, obj=user, unit=unit,
                     details={"role": role, "unit": unit.code})
        forget_scopes(user)
    return bool(deleted)


@transaction.atomic
def api_token_create(
    *, actor: Any, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the raw key, which is never shown again."""
    if getattr(actor, "pk", None) != user.pk:
        require(actor, "users.manage", user.unit)
    raw = "tsk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw), expires_at=expires_at
    )
    audit_record(actor=actor, action=audit_events.TOKEN_CREATED, obj=user, unit=user.unit,
                 details={"token": token.prefix, "name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    if getattr(actor, "pk", None) != token.user_id:
        require(actor, "users.manage", token.user.unit)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=audit_events.TOKEN_REVOKED, obj=token.user,
                     unit=token.user.unit, details={"token": token.prefix})
