"""API authentication: a bearer token (``Authorization: Bearer tsk_...``) or the web session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from tinhso.accounts.selectors import user_for_token


class TokenAuth(HttpBearer):
    openapi_description = "An API token: `tinhso tokens create USERNAME NAME` prints one."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, as on the web pages: a signed-in user's write needs the CSRF
    token (403 without it); a request with no signed-in user is not authenticated by it (so
    an anonymous write answers 401, as a read does, not a CSRF refusal)."""

    param_name = "sessionid"
    openapi_description = "The session cookie of a signed-in browser; writes need the CSRF token."

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = self.authenticate(request, None)
        if user is not None:
            # CSRF matters only for a session that would act: checked once a user is signed in
            # (ninja's cookie check raises HttpError 403 for a write without the token).
            self._get_key(request)
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


AUTH = [TokenAuth(), SessionAuth()]
