"""Fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API.

Never a downloaded browser: when /usr/bin/chromium is missing the browser tests are skipped
(scripts/install-browser.sh installs it), except in CI (CI=true), where they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database access of the fixtures and of pytest-django's teardown ("async unsafe").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_BROWSER = (
    "Debian's chromium is not installed at /usr/bin/chromium: run scripts/install-browser.sh"
)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_BROWSER)
        pytest.skip(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page in its own context, on a desktop screen.

    The browser asks for English (en-US), as many in Vietnam do: the site is still Vietnamese
    until the visitor chooses otherwise.
    """
    context = chromium.new_context(
        locale="en-US",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def reference_units(transactional_db: None) -> dict[str, Any]:
    """The shipped reference units, committed for real: the live server reads them in its thread.

    (tests/conftest.py sets the plain static files storage for every test, live server included.)
    """
    from tinhso.accounts.permissions import SYSTEM
    from tinhso.units.loaders import units_load_reference
    from tinhso.units.models import Unit

    units_load_reference(actor=SYSTEM)
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def coordinator_password() -> str:
    return "Mat-khau-2026!"


@pytest.fixture
def coordinator(reference_units: dict[str, Any], coordinator_password: str) -> Any:
    """A staff member of Khánh Hòa (unit 56) with the coordinator role there."""
    from tinhso.accounts.models import RoleAssignment, User

    khanh_hoa = reference_units["56"]
    user = User.objects.create_user(
        username="dieuphoi",
        password=coordinator_password,
        kind="staff",
        unit=khanh_hoa,
    )
    RoleAssignment.objects.create(user=user, role="coordinator", unit=khanh_hoa)
    return user
