from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings


def run_command(*args: str) -> str:
    """Run a `tinhso` command and return what it printed."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@contextmanager
def demo_for_module(django_db_blocker: Any, tmp_path_factory: Any, name: str,
                    **settings: Any) -> Iterator[None]:
    """The demo's data for a whole test module (a module-scoped fixture's body), rolled back
    after it; each test runs in a savepoint inside. Its files go to a temporary directory, its
    tasks run at once, and ``settings`` apply to the whole module (conftest's settings are per
    test, and this comes earlier)."""
    quiet = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp(f"{name}-media")),
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], **settings)
    with django_db_blocker.unblock(), quiet:
        database = str(connection.settings_dict["NAME"])
        assert "test" in database or "memory" in database, f"not a test database: {database}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--quiet-accounts", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
