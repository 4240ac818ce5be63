from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import grant, staff_user
from tinhso.audit.models import AuditEvent
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures.catalogue import procedure_search
from tinhso.procedures.loaders import procedures_load
from tinhso.procedures.models import Procedure, fold
from tinhso.procedures.timelimits import due_at, parse_time_limit

CALENDAR = WorkCalendar(days_off=frozenset({date(2026, 12, 1)}))


def test_fold_removes_vietnamese_diacritics():
    assert fold("Cấp giấy phép xây dựng Đường") == "cap giay phep xay dung duong"


def test_time_limits_become_rules():
    assert parse_time_limit("same working day") == {"type": "same_day"}
    assert parse_time_limit("same working day (received after 15:00: next working day)") == {
        "type": "same_day", "cutoff": "15:00"}
    assert parse_time_limit("3 working days") == {"type": "working_days", "days": 3}
    assert parse_time_limit("10 days (15 in special cases)") == {"type": "days", "days": 10}
    with pytest.raises(ValueError, match="cannot read"):
        parse_time_limit("soon")


def test_due_dates_apply_the_rules_on_the_calendar():
    same_day = {"type": "same_day", "cutoff": "15:00"}
    assert due_at(same_day, datetime(2026, 11, 27, 10, 0), CALENDAR) == datetime(
        2026, 11, 27, 17, 0)
    # after 15:00 on Friday: the next working day is Monday 30
    assert due_at(same_day, datetime(2026, 11, 27, 15, 30), CALENDAR) == datetime(
        2026, 11, 30, 17, 0)
    three = {"type": "working_days", "days": 3}
    # Monday 30 09:00 + 3 working days, Tuesday 1 December being a day off
    assert due_at(three, datetime(2026, 11, 30, 9, 0), CALENDAR) == datetime(2026, 12, 4, 9, 0)


@pytest.mark.django_db
def test_the_sample_catalogue_and_accent_insensitive_search(client):
    procedures_load()
    assert Procedure.objects.count() == 15
    assert procedures_load()["created"] == 0  # loading again changes nothing
    names = [p.name for p in procedure_search(q="giay phep xay dung")]
    assert names == ["Cấp giấy phép xây dựng công trình", "Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    assert [p.name for p in procedure_search(q="KHAI SINH")] == ["Đăng ký khai sinh"]
    assert procedure_search(online_level="none").count() == 2
    page = client.get("/services/", {"q": "giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng công trình" in page and "khai sinh" not in page
    body = client.get("/api/v1/procedures/", {"q": "dang ky thuong tru"}).json()
    assert body["count"] == 1 and body["items"][0]["time_rule"] == {"type": "working_days",
                                                                    "days": 7}
    detail = client.get("/services/1.001193/")
    assert detail.status_code == 200 and 'data-testid="due"' in detail.content.decode()
    assert client.get("/services/NOPE/").status_code == 404


def test_loading_the_catalogue_is_for_administrators_and_recorded_once(
        reference_units: Any, admin_user: Any) -> None:
    coordinator = staff_user(unit=reference_units["56"], username="dieuphoi")
    grant(coordinator, "coordinator", reference_units["56"])
    with pytest.raises(PermissionDenied):
        procedures_load(actor=coordinator)
    assert not Procedure.objects.exists()
    procedures_load(actor=admin_user)
    procedures_load(actor=admin_user)  # nothing changes: no second event
    events = AuditEvent.objects.filter(action="catalogue.loaded")
    assert events.count() == 1 and events.get().details["created"] == Procedure.objects.count()
