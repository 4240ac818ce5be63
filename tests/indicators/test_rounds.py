from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import IndicatorFactory
from tinhso.audit.models import AuditEvent
from tinhso.indicators import audit_events
from tinhso.indicators.models import IndicatorValue, ValueStatus
from tinhso.indicators.rounds import completeness, round_open, round_remind, rounds_to_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(reference_units, people):
    u = reference_units
    coordinator, reporter = people["coordinator"], people["reporter"]
    indicators = [IndicatorFactory(code="paperless", reporting_levels=["department"]),
                  IndicatorFactory(code="skills", measure="count")]
    collection = round_open(actor=coordinator, title="Báo cáo năm 2026", period="2026",
                            deadline=date(2026, 12, 15), indicators=indicators,
                            units=[u["56.STC"], u["56.SYT"], u["22366"]], owner_unit=u["56"])
    return {"u": u, "coordinator": coordinator, "reporter": reporter, "round": collection,
            "indicators": indicators}


def test_completeness_and_lateness(setup):
    u, collection = setup["u"], setup["round"]
    paperless, skills = setup["indicators"]
    for indicator in (paperless, skills):
        IndicatorValue.objects.create(indicator=indicator, unit=u["56.STC"], period="2026",
                                      value=1, source="t", status=ValueStatus.SUBMITTED)
    IndicatorValue.objects.create(indicator=paperless, unit=u["56.SYT"], period="2026", value=1,
                                  source="t", status=ValueStatus.DRAFT)
    before = completeness(collection, today=date(2026, 12, 1))
    by_code = {row.unit.code: row for row in before.units}
    assert by_code["56.STC"].state == "submitted" and by_code["56.STC"].owed == 2
    assert by_code["56.SYT"].state == "in_progress"
    assert by_code["22366"].owed == 1  # a commune does not report 'paperless'
    assert by_code["22366"].state == "not_started"
    assert before.reported == 1 and round(before.rate) == 33 and before.late == []
    after = completeness(collection, today=date(2026, 12, 16))
    assert {row.unit.code for row in after.late} == {"56.SYT", "22366"}


def test_reminders_go_to_the_reporters_of_late_units(setup, django_capture_on_commit_callbacks):
    u, collection = setup["u"], setup["round"]
    collection.deadline = date(2020, 1, 1)
    collection.save()
    setup["round"].units.set([u["56.STC"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert round_remind(actor=setup["coordinator"], collection=collection) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["baocao@stc.khanhhoa.gov.vn"]
    assert "Báo cáo năm 2026" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action=audit_events.ROUND_REMINDED).exists()


def test_opening_a_round_is_validated_and_permitted(setup):
    u = setup["u"]
    with pytest.raises(ValidationError) as caught:
        round_open(actor=setup["coordinator"], title="x", period="2026Q5", deadline=date.today(),
                   indicators=[], units=[u["58"]], owner_unit=u["56"])
    assert set(caught.value.message_dict) == {"period", "indicators", "units"}
    with pytest.raises(PermissionDenied):
        round_open(actor=setup["reporter"], title="x", period="2026", deadline=date.today(),
                   indicators=setup["indicators"], units=[u["56.STC"]], owner_unit=u["56"])


def test_to_report_lists_the_users_units(setup):
    rounds = rounds_to_report(setup["reporter"])
    assert [(r.title, [unit.code for unit in units]) for r, units in rounds] == [
        ("Báo cáo năm 2026", ["56.STC"])]
