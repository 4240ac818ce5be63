"""The portal keeps its computed figures a few minutes per process: each test starts and ends
with none kept, so that it reads its own database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.helpers import demo_for_module


@pytest.fixture(autouse=True)
def _no_kept_figures() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any,
               tmp_path_factory: Any) -> Iterator[None]:
    """The demo data for the whole module, rolled back after it (each test runs in a savepoint
    inside)."""
    with demo_for_module(django_db_blocker, tmp_path_factory, "transparency"):
        yield
