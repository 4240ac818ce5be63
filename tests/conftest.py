"""Shared fixtures. Tests mirror src/tinhso/; factories live in tests/factories/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from tests.factories import grant, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.units.loaders import units_load_reference
from tinhso.units.models import Unit


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Messages from services in English, so that tests read them; pages choose per request."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    """Each test builds the calendar from its own database (the process keeps it a minute),
    and starts with nothing else a process keeps (lookups, the waiting delivery)."""
    from tinhso.core.calendar import forget_calendars
    from tinhso.core.memo import forget_all
    from tinhso.procedures.notifications import forget_waiting

    forget_calendars()
    forget_all()
    forget_waiting()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path_factory: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Staff log in with force_login and no second factor; tests/accounts/test_two_factor.py
    # switches it on (and every test of a user with an authenticator is asked for a code).
    settings.TINHSO_REQUIRE_2FA = False
    # The transparency portal computes its figures on every request in tests (no figures kept
    # from another test's database); tests/transparency/test_portal.py turns the keeping on.
    settings.TINHSO_PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def reference_units(db: None) -> dict[str, Unit]:
    """The shipped reference units (63 provinces, Khánh Hòa's departments and localities)."""
    units_load_reference(actor=SYSTEM)
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def khanh_hoa(reference_units: dict[str, Unit]) -> Unit:
    return reference_units["56"]


@pytest.fixture
def admin_user(reference_units: dict[str, Unit]) -> Any:
    user = staff_user(unit=reference_units["VN"], username="admin")
    grant(user, "administrator", reference_units["VN"])
    return user


@pytest.fixture
def province_admin(reference_units: dict[str, Unit]) -> Any:
    user = staff_user(unit=reference_units["56"], username="admin56")
    grant(user, "administrator", reference_units["56"])
    return user


@pytest.fixture
def people(reference_units: dict[str, Unit]) -> dict[str, Any]:
    """Khánh Hòa's coordinator (of the Department of Science and Technology, role at the
    province), the Department of Finance's reporter and approver, the Health reporter."""
    u = reference_units
    coordinator = staff_user(unit=u["56.SKHCN"], username="dieuphoi")
    grant(coordinator, "coordinator", u["56"])
    reporter = staff_user(unit=u["56.STC"], username="baocao",
                          email="baocao@stc.khanhhoa.gov.vn")
    grant(reporter, "unit_reporter", u["56.STC"])
    approver = staff_user(unit=u["56.STC"], username="pheduyet")
    grant(approver, "approver", u["56.STC"])
    health = staff_user(unit=u["56.SYT"], username="baocao.syt")
    grant(health, "unit_reporter", u["56.SYT"])
    return {"coordinator": coordinator, "reporter": reporter, "approver": approver,
            "health": health}


@pytest.fixture
def english_pages(client: Any, settings: Any) -> None:
    """The test client reads pages in English (the language cookie), as messages are asserted
    in English whatever the catalogue translates; `pytest.mark.usefixtures("english_pages")`."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
