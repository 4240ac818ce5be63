"""core.throttle: a guess takes its slot before it is evaluated, in one conditional UPDATE, so
that at most the limit of guesses from one address is ever evaluated, also when many arrive at
once (the counter used to be read, then written: 40-60 parallel wrong look-ups had 16-23
guesses evaluated against a limit of 10)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from tinhso.core.models import ThrottleCounter
from tinhso.core.throttle import LOOKUP
from tinhso.procedures import dossier_api, portal_views


def _request(address: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_slots_are_taken_up_to_the_limit_given_back_by_a_right_guess_and_renewed(settings):
    settings.TINHSO_LOOKUP_FAILURE_LIMIT = 3
    guesser, other = _request("203.0.113.7"), _request("198.51.100.9")
    assert [LOOKUP.reserve(guesser) for _ in range(4)] == [True, True, True, False]
    assert LOOKUP.blocked(guesser) and not LOOKUP.blocked(other)
    assert LOOKUP.reserve(other)
    LOOKUP.release(guesser)  # a right guess does not count
    assert not LOOKUP.blocked(guesser)
    assert LOOKUP.reserve(guesser) and not LOOKUP.reserve(guesser)
    # Once the wait is over, the count starts anew; counters long expired are forgotten.
    ThrottleCounter.objects.update(expires_at=ThrottleCounter.objects.get(
        key__endswith="203.0.113.7").expires_at - timedelta(days=2))
    assert LOOKUP.reserve(guesser) and not LOOKUP.blocked(guesser)
    assert ThrottleCounter.objects.get(key__endswith="203.0.113.7").count == 1
    assert LOOKUP.reserve(_request("192.0.2.1"))
    assert not ThrottleCounter.objects.filter(key__endswith="198.51.100.9").exists()


def _in_parallel(threads: int, work: Any) -> list[Any]:
    barrier, results, lock = threading.Barrier(threads), [], threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            result = work()
            with lock:
                results.append(result)
        finally:
            connection.close()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("surface", ["api", "page"])
def test_parallel_wrong_lookups_evaluate_at_most_the_limit(settings, monkeypatch, surface):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    settings.TINHSO_LOOKUP_FAILURE_LIMIT = 10
    evaluated, lock = [], threading.Lock()

    def wrong_lookup(*, code: str, phone: str) -> None:
        with lock:
            evaluated.append(phone)
        return None

    module = dossier_api if surface == "api" else portal_views
    monkeypatch.setattr(module, "dossier_lookup", wrong_lookup)

    def guess() -> int:
        phone = f"09{threading.get_ident() % 10**8:08d}"
        if surface == "api":
            return Client().get("/api/v1/dossiers/lookup/", {"code": "22366-261117-0001",
                                                              "phone": phone},
                                REMOTE_ADDR="203.0.113.7").status_code
        return Client().post("/dossiers/lookup/", {"code": "22366-261117-0001",
                                                   "phone": phone},
                             REMOTE_ADDR="203.0.113.7").status_code

    statuses = _in_parallel(40, guess)
    print(f"{surface}: {len(evaluated)} of 40 parallel guesses evaluated (limit 10)")
    assert len(evaluated) == 10
    wrong = 404 if surface == "api" else 200
    assert sorted(statuses) == [wrong] * 10 + [429] * 30

