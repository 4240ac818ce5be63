"""The per-process lookup caches: kept a limited time, copies handed out, misses not kept,
cleared at once by a change saved in this process."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone

from tinhso.core.memo import TimedCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Row:
    def __init__(self, value: int) -> None:
        self.value = value


def test_a_value_is_kept_for_the_time_limit_and_each_caller_gets_a_copy(settings: Any) -> None:
    settings.TINHSO_LOOKUP_CACHE_SECONDS = 30
    clock, loads = Clock(), []
    cache: TimedCache[Row] = TimedCache("test rows", clock=clock)

    def load() -> Row:
        loads.append(1)
        return Row(len(loads))

    first = cache.get("a", load)
    first.value = 99  # a caller's change stays with the caller
    clock.now += 29
    assert cache.get("a", load).value == 1 and len(loads) == 1
    clock.now += 2
    assert cache.get("a", load).value == 2 and len(loads) == 2


def test_misses_are_not_kept_and_zero_seconds_turns_caching_off(settings: Any) -> None:
    cache: TimedCache[Row] = TimedCache("test misses", clock=Clock())
    assert cache.get("x", lambda: None) is None and len(cache) == 0
    settings.TINHSO_LOOKUP_CACHE_SECONDS = 0
    assert cache.get("y", lambda: Row(1)).value == 1 and len(cache) == 0


@pytest.mark.django_db
def test_a_token_revoked_elsewhere_stops_within_the_time_limit(reference_units: Any,
                                                               settings: Any) -> None:
    from tests.factories import staff_user
    from tinhso.accounts.models import ApiToken
    from tinhso.accounts.selectors import TOKENS, user_for_token
    from tinhso.accounts.services import api_token_create

    settings.TINHSO_LOOKUP_CACHE_SECONDS = 30
    clock = Clock()
    TOKENS._clock = clock
    try:
        user = staff_user(unit=reference_units["56"])
        token, raw = api_token_create(actor=user, user=user, name="script")
        assert user_for_token(raw) == user  # its first use is recorded: read again next time
        assert user_for_token(raw) == user
        # Another process revokes it (no signal reaches this one): at most 30 s more here.
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        assert user_for_token(raw) == user
        clock.now += 31
        assert user_for_token(raw) is None
    finally:
        TOKENS._clock = time.monotonic



@pytest.mark.django_db
def test_a_role_granted_between_two_api_requests_counts_at_once(reference_units: Any) -> None:
    """The cached token's user is not handed out: the roles remembered during one request are
    read again for the next."""
    from tests.factories import grant, staff_user
    from tinhso.accounts.permissions import may
    from tinhso.accounts.selectors import user_for_token
    from tinhso.accounts.services import api_token_create

    unit = reference_units["56.STP"]
    user = staff_user(unit=unit)
    _, raw = api_token_create(actor=user, user=user, name="script")
    user_for_token(raw)  # its first use, recorded
    assert not may(user_for_token(raw), "audit.view", unit)
    grant(user, "administrator", unit)
    assert may(user_for_token(raw), "audit.view", unit)
