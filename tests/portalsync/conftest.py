"""Fixtures for the synchronisation tests: the one-stop fixtures (catalogue, desk, submit), the
fake portal switched on and emptied, and a clock near now (the portal must have an event
within the real-time threshold of when it happened)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.procedures.conftest import (  # noqa: F401  (fixtures)
    applicant_user,
    catalogue,
    desk,
    media_in_tmp,
    submit,
)
from tinhso.portalsync.connectors import FAKE, FakePortal


@pytest.fixture
def portal(settings: Any) -> Iterator[FakePortal]:
    """The fake portal, switched on and empty."""
    settings.TINHSO_PORTAL = "fake"
    FAKE.reset()
    yield FAKE
    FAKE.reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """committed(function, *args, **kwargs): run it as an action that commits (what it queues
    for after the commit runs then, as in production); returns its result."""

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def now() -> datetime:
    return timezone.localtime(timezone.now())
