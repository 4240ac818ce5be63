"""Failures counted per client address, shared by every worker process (the database cache), for
public forms that would otherwise let anyone guess: a dossier's phone number from its code.

After ``limit`` failures from one address, that address is refused until ``minutes`` pass with
no new failure (each failure restarts the wait). Successes are not counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches

from tinhso.core.http import client_ip


@dataclass(frozen=True)
class Throttle:
    scope: str

    def _key(self, request: Any) -> str:
        return f"{self.scope}:{client_ip(request) or 'unknown'}"

    @property
    def minutes(self) -> int:
        return int(settings.TINHSO_LOOKUP_COOLOFF_MINUTES)

    def blocked(self, request: Any) -> bool:
        limit = int(settings.TINHSO_LOOKUP_FAILURE_LIMIT)
        return int(caches["throttle"].get(self._key(request), 0)) >= limit

    def failed(self, request: Any) -> None:
        cache, key = caches["throttle"], self._key(request)
        cache.set(key, int(cache.get(key, 0)) + 1, timeout=self.minutes * 60)


LOOKUP = Throttle("dossier-lookup")
