"""The synchronisation pages: each agency's updates and rate for the staff who see its
dossiers, the failing updates with their error, and a dossier's events on its desk page (the
htmx part too); another agency's dossier does not exist; off, the page says so."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tinhso.portalsync.connectors import FakePortal
from tinhso.procedures.services import dossier_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client: Client, desk: dict[str, Any]) -> Client:
    client.force_login(desk["commune"])
    client.cookies["django_language"] = "en"
    return client


def test_the_agency_page_shows_sent_failing_and_the_rate(
        officer: Client, portal: FakePortal, submit: Any, desk: dict[str, Any],
        now: datetime, committed: Any) -> None:
    synced = committed(submit, "Đăng ký khai sinh", at=now)
    committed(dossier_approve, actor=desk["commune"], dossier=synced,
              now=now + timedelta(minutes=1))
    portal.fail.add("*")
    failing = committed(submit, "Đăng ký khai sinh", at=now)
    committed(submit, "Cấp Phiếu lý lịch tư pháp", unit="56.STP", at=now)  # not theirs
    page = officer.get("/portal-sync/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-unit="22366"' in html and 'data-unit="56.STP"' not in html
    assert "1 of 2 received" in html and "50.00\u00a0%" in html
    assert f"Updates sent ({now.year})" in html
    assert failing.code in html and "the portal is unavailable (fake)" in html
    assert "Illustrative: updates go to a fake portal" in html


def test_the_rate_in_vietnamese_and_off_said_plainly(
        settings: Any, officer: Client, submit: Any, now: datetime, committed: Any) -> None:
    settings.TINHSO_PORTAL = ""
    committed(submit, "Đăng ký khai sinh", at=now)
    officer.cookies["django_language"] = "vi"
    html = officer.get("/portal-sync/").content.decode()
    assert 'data-testid="sync-off"' in html
    assert "0,00\u00a0%" in html


def test_the_dossier_part_on_the_desk_page_and_alone(
        officer: Client, portal: FakePortal, submit: Any, desk: dict[str, Any],
        now: datetime, committed: Any) -> None:
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    portal.fail.add("*")
    committed(dossier_approve, actor=desk["commune"], dossier=dossier,
              now=now + timedelta(minutes=1))
    desk_page = officer.get(f"/desk/{dossier.code}/").content.decode()
    assert f'hx-get="/portal-sync/dossiers/{dossier.code}/"' in desk_page
    part = officer.get(f"/portal-sync/dossiers/{dossier.code}/", HTTP_HX_REQUEST="true",
                       HTTP_ACCEPT_LANGUAGE="en")
    html = part.content.decode()
    assert part.status_code == 200 and "<html" not in html
    assert html.count('data-state="sent"') == 1 and html.count('data-state="failing"') == 1
    assert "failed 1 time, will be tried again" in html
    alone = officer.get(f"/portal-sync/dossiers/{dossier.code}/")
    assert alone.status_code == 200 and "<html" in alone.content.decode()


def test_another_agencys_dossier_does_not_exist(
        client: Client, portal: FakePortal, submit: Any, desk: dict[str, Any],
        now: datetime, committed: Any) -> None:
    dossier = committed(submit, "Đăng ký khai sinh", at=now)
    client.force_login(desk["other"])
    assert client.get(f"/portal-sync/dossiers/{dossier.code}/").status_code == 404
    html = client.get("/portal-sync/").content.decode()
    assert 'data-unit="22366"' not in html


def test_the_page_reads_in_the_same_queries_however_many_agencies(
        client: Client, province_admin: Any, portal: FakePortal, submit: Any, now: datetime,
        committed: Any) -> None:
    client.force_login(province_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portal-sync/").status_code == 200
        return len(captured)

    committed(submit, "Đăng ký khai sinh", at=now)
    one = queries()
    for unit in ("22333", "22333", "56.STP"):
        name = "Cấp Phiếu lý lịch tư pháp" if unit == "56.STP" else "Đăng ký khai sinh"
        committed(submit, name, unit=unit, at=now)
    html = client.get("/portal-sync/").content.decode()
    assert html.count("data-unit=") == 3
    assert queries() == one
