"""Security headers Django's SecurityMiddleware does not send.

``Permissions-Policy`` (settings.PERMISSIONS_POLICY) switches off the browser features no page
uses (camera, microphone, location...), so that a script that got in could not ask for them.
The Content-Security-Policy is django-csp's (csp.middleware.CSPMiddleware, settings
CONTENT_SECURITY_POLICY).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
