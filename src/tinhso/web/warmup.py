"""Warm a freshly started worker before it takes its first request.

Without it the first visitor pays for loading the URLconf (and with it every app's views, the
API and NumPy), compiling the templates, reading both translation catalogues and opening the
database connection: about six seconds. gunicorn calls :func:`warm` from ``post_worker_init``
(``tinhso.gunicorn_conf``); it renders the home page once in each language through the whole
middleware stack, reading only.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.test import Client
from django.urls import get_resolver

log = logging.getLogger(__name__)
PAGES = ("/", "/services/", "/services/statistics/", "/indicators/")


def _host() -> str:
    """A host name the site accepts (the test client's own would be refused)."""
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host and not host.startswith("."):
            return host
    return "localhost"


def warm(pages: tuple[str, ...] = PAGES) -> dict[str, int]:
    """Load the URLconf and render ``pages`` in each language; returns path -> status code.
    Never raises: a worker that could not warm up still serves (and logs why)."""
    started = time.monotonic()
    statuses: dict[str, int] = {}
    try:
        get_resolver().url_patterns  # noqa: B018  (imports every app's views)
        client = Client(HTTP_HOST=_host(), raise_request_exception=False)
        for code, _name in settings.LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
            for path in pages:
                statuses[f"{code}:{path}"] = client.get(path).status_code
    except Exception:  # a cold worker beats a dead one
        log.exception("warm-up failed")
    log.info("warm-up in %.1f s: %s", time.monotonic() - started, statuses)
    return statuses
