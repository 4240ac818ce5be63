"""What a landing page asks of accounts: which roles a person holds (read once per request,
from the same cache the permission checks use)."""

from __future__ import annotations

from typing import Any

from tinhso.accounts.models import UserKind
from tinhso.accounts.permissions import _scopes


def roles_held(user: Any) -> set[str]:
    """The roles a staff member holds anywhere (none for visitors, citizens and businesses)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if getattr(user, "kind", None) != UserKind.STAFF:
        return set()
    return {role for role, _path in _scopes(user)}
