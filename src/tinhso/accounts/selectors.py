from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from tinhso.accounts.models import ApiToken, User, hash_token


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked, unexpired token belongs to; None otherwise."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
