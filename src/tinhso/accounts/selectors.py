from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tinhso.accounts.models import ApiToken, RoleAssignment, User, UserKind, hash_token
from tinhso.accounts.permissions import ACTIONS
from tinhso.core.db import within_paths
from tinhso.core.memo import TimedCache

TOKENS: TimedCache[ApiToken] = TimedCache("API tokens by hash").clear_on_change(ApiToken, User)


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked, unexpired token belongs to; None otherwise.

    Every API request asks this: the token and its user are kept a short while per process
    (core.memo: a revocation or deactivation saved elsewhere takes effect within
    TINHSO_LOOKUP_CACHE_SECONDS, at once in this process); the checks run on each request."""
    key = hash_token(raw)
    token = TOKENS.get(key, lambda: ApiToken.objects.select_related("user").filter(
        key_hash=key).first())
    now = timezone.now()
    if (token is None or token.revoked_at is not None
            or (token.expires_at is not None and token.expires_at <= now)
            or not token.user.is_active):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        TOKENS.forget(key)  # the next request reads the new time (once a minute at most)
    # A user of its own for this request: what permissions remember on it (the roles) must
    # not outlive the request, and the cached token's user is shared.
    return copy.copy(token.user)


def staff_in_scope(paths: list[str] | None, search: str = "") -> QuerySet[User]:
    """Staff whose unit lies within the given unit paths (None: all), with units and roles."""
    qs = User.objects.filter(kind=UserKind.STAFF).select_related("unit").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit")
                 .order_by("role"))
    )
    if paths is not None:
        qs = qs.filter(within_paths("unit__path", paths))
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(first_name__icontains=search)
                       | Q(last_name__icontains=search) | Q(unit__name__icontains=search))
    return qs.order_by("unit__path", "username")


def role_holder_emails(role: str, unit_paths: Iterable[str]) -> dict[str, list[str]]:
    """E-mail addresses of the active staff holding ``role`` at each of these units (at that
    very unit, not below it), by unit path; units nobody holds it at are left out. One query."""
    found: dict[str, set[str]] = {}
    rows = (RoleAssignment.objects
            .filter(role=role, unit__path__in=set(unit_paths), user__is_active=True,
                    user__kind=UserKind.STAFF)
            .exclude(user__email="").values_list("unit__path", "user__email"))
    for path, email in rows:
        found.setdefault(path, set()).add(email)
    return {path: sorted(emails) for path, emails in found.items()}


def role_holder_emails_at_or_above(role: str, unit_paths: Iterable[str]
                                   ) -> dict[str, list[str]]:
    """E-mail addresses of the active users holding ``role`` at each of these units or at a unit
    above it (those answerable for it), by unit path; a unit nobody answers for gets an empty
    list. One query."""
    held = list(RoleAssignment.objects.filter(role=role, user__is_active=True)
                .exclude(user__email="").values_list("unit__path", "user__email"))
    return {path: sorted({email for at, email in held if path.startswith(at)})
            for path in unit_paths}


def user_by_username(username: str) -> User | None:
    """The user with this user name, or None."""
    return User.objects.filter(username=username).first()


def user_by_pk(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def staff_holding(roles: Iterable[str], unit_path: str) -> QuerySet[User]:
    """Active users holding one of ``roles`` at ``unit_path`` or a unit below it, by name."""
    return (User.objects.filter(is_active=True, role_assignments__role__in=list(roles),
                                role_assignments__unit__path__startswith=unit_path)
            .distinct().order_by("last_name", "first_name", "username"))


def units_held(user: Any, action: str) -> list[Any]:
    """The units where ``user`` holds a role that may do ``action``, highest first (the unit
    of the role itself, not the units it covers)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = ACTIONS[action].roles
    held = user.role_assignments.filter(role__in=roles).select_related("unit")
    return sorted({a.unit for a in held}, key=lambda unit: (unit.depth, unit.path))
