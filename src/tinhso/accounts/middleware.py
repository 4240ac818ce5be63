"""The second step of signing in: after the password, who has an authenticator gives a code, and
who must have one (accounts.permissions.requires_second_factor) enrols first. Until then every
page leads there (the two-factor pages, logging out and static files excepted) and the session
API answers as to nobody; an API token is not concerned (it is a second secret of its own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from tinhso.accounts.models import UserKind
from tinhso.accounts.permissions import lacks_second_factor
from tinhso.accounts.two_factor import has_second_factor

EXEMPT_NAMES = ("accounts:logout", "accounts:two_factor_verify", "accounts:two_factor_enrol",
                "web:set_language", "healthz")


def second_step(user: Any) -> str | None:
    """'verify' (give a code), 'enrol' (set up an authenticator first) or None (signed in)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not user.is_superuser and getattr(user, "kind", None) != UserKind.STAFF:
        return None  # citizens and businesses are never asked
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return None
    if has_second_factor(user):
        return "verify"
    return "enrol" if lacks_second_factor(user) else None


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware, which tells whether this session gave a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (*(reverse(name) for name in EXEMPT_NAMES),
                            settings.STATIC_URL or "/static/")
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES  # no session read otherwise
        if user is not None and signed_in and not request.path.startswith(self.exempt()):
            step = second_step(user)
            if step is not None:
                if request.path.startswith("/api/"):
                    # The session is not signed in until the second step; a token still is.
                    request.user = AnonymousUser()
                else:
                    return redirect_to_login(request.get_full_path(),
                                             reverse(f"accounts:two_factor_{step}"))
        return self.get_response(request)
