"""Per-process caches with a time limit, for the lookups every API request repeats (the token,
the procedure, the agency).

On a loaded two-core server each query is a round trip that waits for a PostgreSQL process to be
scheduled: the profile of benchmark (a) showed a third of a submission's time in these three
lookups. A cached row is kept ``TINHSO_LOOKUP_CACHE_SECONDS`` (default 30; 0 turns caching off).
A change saved in this process clears the cache at once (``clear_on_change`` connects
``post_save`` and ``post_delete``); other processes see it within the time limit. Misses are
never cached, and the cached objects are never handed out: each caller gets a copy, so
per-request memos set on one (``_tinhso_scopes``) do not outlive the request.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")

DEFAULT_SECONDS = 30.0
_CACHES: list[TimedCache[Any]] = []


def _seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "TINHSO_LOOKUP_CACHE_SECONDS", DEFAULT_SECONDS))


class TimedCache(Generic[V]):
    """key -> value, each kept for a limited time; at most ``maxsize`` keys (then emptied)."""

    def __init__(self, name: str, maxsize: int = 4096,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.maxsize = maxsize
        self._clock = clock
        self._data: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _CACHES.append(self)

    def get(self, key: Hashable, load: Callable[[], V | None]) -> V | None:
        """A copy of the cached value, or of what ``load`` returns (None is not cached)."""
        seconds = _seconds()
        now = self._clock()
        hit = self._data.get(key)
        if hit is not None and now - hit[0] < seconds:
            return copy.copy(hit[1])
        value = load()
        if value is not None and seconds > 0:
            with self._lock:
                if len(self._data) >= self.maxsize:
                    self._data.clear()
                self._data[key] = (now, value)
            return copy.copy(value)
        return value

    def clear_on_change(self, *models: type[Any]) -> TimedCache[V]:
        """Clear when a row of these models is saved or deleted in this process (queryset
        ``update()`` and bulk writes send no signal: their callers clear)."""
        from django.db.models.signals import post_delete, post_save

        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(self.clear, sender=model, weak=False,
                               dispatch_uid=f"memo:{self.name}:{model._meta.label}:{id(signal)}")
        return self

    def forget(self, key: Hashable) -> None:
        """Drop one key: its next ``get`` loads it again."""
        with self._lock:
            self._data.pop(key, None)

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Forget everything (also a signal receiver: it takes and ignores the arguments)."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def forget_all() -> None:
    """Empty every cache of this process (the tests do it before each test)."""
    for cache in _CACHES:
        cache.clear()
