"""How updates reach the National Public Service Portal: connectors, registered by name.

A connector has a ``name`` and ``send(update)``, which returns once the portal has
acknowledged the update and raises (any exception; its text is kept as the update's last
error) when it has not. It may offer ``batch()``, a context manager entered around each batch
of sends. Each update carries a stable id (:func:`update_id`), the same at every attempt, so
the portal can recognise a resend (a worker killed after sending but before recording the
acknowledgment sends it again).

Two are built in: ``fake``, a portal in memory for the tests and the demo (it records what it
received, and can be told to fail or to be slow), and ``http``, which posts each update as JSON
to ``TINHSO_PORTAL_URL``. ``TINHSO_PORTAL`` names the one switched on; empty (the default when
no URL is set): none, nothing is sent and the Decision 766 item has no source.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings


@dataclass(frozen=True)
class Update:
    id: str  # stable: the same at every attempt (the portal's deduplication key)
    dossier: str  # the dossier's code
    payload: dict[str, Any]


def update_id(event_id: int) -> str:
    """``<installation>-event-<id of the dossier event>`` (``TINHSO_INSTANCE`` tells apart
    installations that send to one portal)."""
    instance = re.sub(r"[^A-Za-z0-9-]+", "-",
                      str(getattr(settings, "TINHSO_INSTANCE", ""))).strip("-") or "tinhso"
    return f"{instance}-event-{event_id}"


class PortalError(Exception):
    """The portal did not acknowledge an update."""


class Connector(Protocol):
    name: str

    def send(self, update: Update) -> None:
        """Return once the portal acknowledged ``update``; raise otherwise."""
        ...


@dataclass
class FakePortal:
    """A portal in memory: ``received`` holds each update it acknowledged, once per id (a
    resend of an id it has is acknowledged and not kept twice, as the real portal
    deduplicates); ``fail`` makes it refuse the updates of these dossier codes (``"*"``: all),
    ``delay`` makes it answer that many seconds late."""

    name: str = "fake"
    received: list[Update] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)
    delay: float = 0.0
    attempts: int = 0

    def send(self, update: Update) -> None:
        self.attempts += 1
        if self.delay:
            time.sleep(self.delay)
        if "*" in self.fail or update.dossier in self.fail:
            raise PortalError("the portal is unavailable (fake)")
        if all(u.id != update.id for u in self.received):
            self.received.append(update)

    def reset(self) -> None:
        self.received.clear()
        self.fail.clear()
        self.delay, self.attempts = 0.0, 0


class HttpPortal:
    """Posts each update as JSON to ``TINHSO_PORTAL_URL`` with HTTP basic authentication
    (``TINHSO_PORTAL_USER``, ``TINHSO_PORTAL_PASSWORD``) or a bearer token
    (``TINHSO_PORTAL_TOKEN``), the update's id in the ``Idempotency-Key`` header, within
    ``TINHSO_PORTAL_TIMEOUT_SECONDS``; any 2xx answer acknowledges it."""

    name = "http"

    def _headers(self, update: Update) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": update.id}
        token = getattr(settings, "TINHSO_PORTAL_TOKEN", "")
        user = getattr(settings, "TINHSO_PORTAL_USER", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            pair = f"{user}:{getattr(settings, 'TINHSO_PORTAL_PASSWORD', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return headers

    def send(self, update: Update) -> None:
        url = getattr(settings, "TINHSO_PORTAL_URL", "")
        if not url.startswith(("https://", "http://")):
            raise PortalError("TINHSO_PORTAL_URL is not an http(s) address")
        body = json.dumps({"id": update.id, **update.payload}).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers=self._headers(update))
        timeout = float(getattr(settings, "TINHSO_PORTAL_TIMEOUT_SECONDS", 10))
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise PortalError(f"the portal answered {response.status}")


CONNECTORS: dict[str, Connector] = {}


def register(connector: Connector) -> None:
    CONNECTORS[connector.name] = connector


FAKE = FakePortal()
register(FAKE)
register(HttpPortal())


def enabled() -> Connector | None:
    """The connector switched on (``TINHSO_PORTAL``), or None: synchronisation is off."""
    name = getattr(settings, "TINHSO_PORTAL", "")
    return CONNECTORS.get(name) if name else None
