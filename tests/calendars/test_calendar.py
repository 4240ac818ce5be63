from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import grant, staff_user
from tests.helpers import run_command
from tinhso.audit.models import AuditEvent
from tinhso.calendars import audit_events
from tinhso.calendars.services import announcements_load, calendar_day_set
from tinhso.core.calendar import work_calendar

pytestmark = pytest.mark.django_db


def test_the_2026_calendar_from_the_package_and_the_announcements():
    from tinhso.accounts.permissions import SYSTEM

    assert announcements_load(actor=SYSTEM) == 3
    assert announcements_load(actor=SYSTEM) == 0  # idempotent
    calendar = work_calendar(range(2026, 2027))
    for day in range(14, 23):  # Tết 2026 for civil servants: 14-22 February
        assert not calendar.is_working_day(date(2026, 2, day))
    assert calendar.is_working_day(date(2026, 2, 23))
    assert calendar.is_working_day(date(2026, 8, 22))  # Saturday worked in compensation
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.add_working_days(datetime(2026, 2, 12, 9, 0), 1) == datetime(2026, 2, 13, 9)


def test_administrators_edit_the_calendar_and_it_is_audited(reference_units, admin_user):
    calendar_day_set(actor=admin_user, day=date(2026, 12, 31), kind="day_off",
                     name="Nghỉ bù (thử)")
    assert not work_calendar(range(2026, 2027)).is_working_day(date(2026, 12, 31))
    assert AuditEvent.objects.filter(action=audit_events.CALENDAR_CHANGED).exists()
    clerk = staff_user(unit=reference_units["56"])
    grant(clerk, "officer", reference_units["56"])
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=clerk, day=date(2026, 12, 30), kind="day_off", name="x")


def test_tinhso_calendar_show(db):
    run_command("calendar", "load")
    out = run_command("calendar", "show", "2026")
    assert "assumption" in out and "07:00-11:30, 13:30-17:00" in out
    assert "16/02/2026" in out and "22/08/2026" in out
    assert "working days in 2026." in out
