"""The portal keeps its computed figures a few minutes per process: each test starts and ends
with none kept, so that it reads its own database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings


@pytest.fixture(autouse=True)
def _no_kept_figures() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any,
               tmp_path_factory: Any) -> Iterator[None]:
    """The demo data for the whole module, rolled back after it (each test runs in a savepoint
    inside), as ``tests/api/test_fuzz.py`` does."""
    quiet = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("transparency-media")),
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), quiet:
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--quiet-accounts", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
