"""Guesses counted per client address, shared by every worker process (a database row per
address, ``core.models.ThrottleCounter``), for public forms that would otherwise let anyone
guess: a dossier's phone number from its code.

A guess takes a slot *before* it is evaluated (``reserve``), in one conditional UPDATE, so that
however many requests arrive at once, at most ``limit`` guesses from one address are ever
evaluated; a right guess gives its slot back (``release``): only failures count. After
``limit`` failures the address is refused until ``minutes`` pass with no new guess (each guess
restarts the wait)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from tinhso.core.http import client_ip
from tinhso.core.models import ThrottleCounter

# Counters expired this long ago are deleted when a new one is made.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Throttle:
    scope: str

    def _key(self, request: Any) -> str:
        return f"{self.scope}:{client_ip(request) or 'unknown'}"[:200]

    @property
    def minutes(self) -> int:
        return int(settings.TINHSO_LOOKUP_COOLOFF_MINUTES)

    @property
    def limit(self) -> int:
        return int(settings.TINHSO_LOOKUP_FAILURE_LIMIT)

    def blocked(self, request: Any) -> bool:
        """Whether the address has no slot left (reads only)."""
        return ThrottleCounter.objects.filter(key=self._key(request), count__gte=self.limit,
                                              expires_at__gt=timezone.now()).exists()

    def reserve(self, request: Any) -> bool:
        """Take a slot for one guess; False (refuse the guess unevaluated) when the address
        has none left."""
        key, now = self._key(request), timezone.now()
        until = now + timedelta(minutes=self.minutes)
        if self._take(key, now, until):
            return True
        try:
            with transaction.atomic():
                ThrottleCounter.objects.create(key=key, count=1, expires_at=until)
        except IntegrityError:
            # The row is there: at the limit, or another request has just created it.
            return self._take(key, now, until)
        ThrottleCounter.objects.filter(expires_at__lt=now - FORGET_AFTER).delete()
        return True

    def _take(self, key: str, now: datetime, until: datetime) -> bool:
        """One UPDATE that adds the guess only while under the limit (or starts the count
        anew once expired); the database serialises concurrent ones on the row."""
        return bool(ThrottleCounter.objects
                    .filter(Q(key=key) & (Q(count__lt=self.limit) | Q(expires_at__lte=now)))
                    .update(count=Case(When(expires_at__lte=now, then=Value(1)),
                                       default=F("count") + 1),
                            expires_at=until))

    def release(self, request: Any) -> None:
        """Give back the slot of a guess that was right."""
        ThrottleCounter.objects.filter(key=self._key(request), count__gt=0).update(
            count=F("count") - 1)


LOOKUP = Throttle("dossier-lookup")
