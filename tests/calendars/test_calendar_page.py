"""The calendar page: staff read a year's days off and compensating working days in their
language; administrators set a day through the calendars' service (audited)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import citizen, grant, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.calendars import audit_events
from tinhso.calendars.services import announcements_load
from tinhso.core.calendar import work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(reference_units):
    user = staff_user(unit=reference_units["22366"], username="motcua")
    grant(user, "officer", reference_units["22366"])
    return user


def test_staff_read_the_year_in_vietnamese_with_vietnamese_dates(client, officer):
    announcements_load(actor=SYSTEM)
    client.force_login(officer)
    page = client.get("/calendar/", {"year": "2026"}).content.decode()
    assert '<tr data-day="2026-02-17" data-working="0">' in page
    assert "17/02/2026" in page and "Tết Nguyên đán" in page and "Lunar New Year" not in page
    assert '<tr data-day="2026-08-22" data-working="1">' in page  # a Saturday worked
    assert "Làm bù cho ngày nghỉ 31/08/2026" in page
    assert "08/22/2026" not in page
    assert 'data-testid="calendar-form"' not in page  # an officer does not change it


def test_in_english_the_holidays_have_english_names_and_the_rest_is_marked_vietnamese(
        client, officer):
    announcements_load(actor=SYSTEM)
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    page = client.get("/calendar/", {"year": "2026"}).content.decode()
    assert "Lunar New Year" in page and "Worked in place of the day off on 31/08/2026" in page
    assert "Day off (substituted from 22/08/2026)" in page and "08/22/2026" not in page


def test_the_calendar_is_for_staff(client, reference_units):
    assert client.get("/calendar/").status_code == 302  # to the login page
    client.force_login(citizen())
    assert client.get("/calendar/").status_code == 403
    assert 'href="/calendar/"' not in client.get("/").content.decode()  # nor in their menu


def test_staff_find_the_calendar_in_the_menu(client, officer):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert 'href="/calendar/"' in page and "Working-day calendar" in page


def test_an_administrator_sets_a_day_and_it_is_audited(client, admin_user, officer):
    client.force_login(admin_user)
    page = client.get("/calendar/", {"year": "2026"}).content.decode()
    assert 'data-testid="calendar-form"' in page
    response = client.post("/calendar/", {"day": "31/12/2026", "kind": "day_off",
                                          "name": "Nghỉ bù (thử)", "source": "Thông báo"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    assert not work_calendar(range(2026, 2027)).is_working_day(date(2026, 12, 31))
    assert AuditEvent.objects.filter(action=audit_events.CALENDAR_CHANGED).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Nghỉ bù (thử)" in page and "31/12/2026" in page
    bad = client.post("/calendar/", {"day": "32/12/2026", "kind": "day_off", "name": "x"})
    assert bad.status_code == 200 and 'data-field="day"' in bad.content.decode()


def test_only_administrators_may_post(client, officer):
    client.force_login(officer)
    response = client.post("/calendar/", {"day": "31/12/2026", "kind": "day_off", "name": "x"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=audit_events.CALENDAR_CHANGED).exists()
