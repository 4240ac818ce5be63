"""Bad input, in one place for the page, the job and the command: each refusal names what is
wrong, before anything is written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tinhso.accounts.models import User
from tinhso.accounts.permissions import SYSTEM
from tinhso.reports.models import ReportRun
from tinhso.reports.services import report_request
from tinhso.reports.validation import ReportInvalid, validate

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def check(fake_format: str, **kwargs: object) -> object:
    asked = {"actor": SYSTEM, "kind": "programme", "period": "2026", "unit": "56",
             "fmt": fake_format, "today": TODAY, **kwargs}
    return validate(**asked)  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"kind": "budget"}, "kind", "Unknown report type “budget”: use one of programme, "
                                 "indicators, dti, services."),
    ({"fmt": "odt"}, "fmt", "Unknown format “odt”"),
    ({"period": "2026-Q5"}, "period", "“2026-Q5” is not a period"),
    ({"period": "26"}, "period", "is not a period"),
    ({"period": "2027"}, "period", "has not begun"),
    ({"period": "2020"}, "period", "no programme tasks"),
    ({"unit": "99.XYZ"}, "unit", "There is no unit with code “99.XYZ”."),
    ({"kind": "services", "layout": "party"}, "layout", "not available for this report"),
    ({"number": "abc"}, "number", "whole number from 1"),
    ({"number": 0}, "number", "whole number from 1"),
])
def test_bad_input_is_named(demo, fake_format, change, field, words) -> None:
    with pytest.raises(ReportInvalid) as refused:
        check(fake_format, **change)
    assert refused.value.field == field and words in refused.value.message


def test_periods_as_the_forms_write_them(demo, fake_format) -> None:
    for raw, code in (("2026", "2026"), ("2026-Q4", "2026Q4"), ("2026-11", "202611"),
                      ("2026Q3", "2026Q3"), ("2026-s1", "2026S1")):
        assert check(fake_format, period=raw).asked.period.code == code  # type: ignore


def test_a_department_reporter_cannot_report_on_another_unit(demo, fake_format) -> None:
    reporter = User.objects.get(username="baocao.stc")
    assert check(fake_format, actor=reporter, unit="56.STC")  # their own department
    for other in ("56", "22366"):
        with pytest.raises(PermissionDenied, match="may not make reports"):
            check(fake_format, actor=reporter, unit=other)
    officer = User.objects.get(username="motcua.nhatrang")  # an officer makes no report
    with pytest.raises(PermissionDenied):
        check(fake_format, actor=officer, unit="22366")


def test_a_refused_request_writes_nothing(demo, fake_format) -> None:
    reporter = User.objects.get(username="baocao.stc")
    before = ReportRun.objects.count()
    with pytest.raises(PermissionDenied):
        report_request(actor=reporter, kind="services", period="2026", unit="56",
                       fmt=fake_format)
    with pytest.raises(ReportInvalid):
        report_request(actor=reporter, kind="services", period="2019", unit="56.STC",
                       fmt=fake_format)
    assert ReportRun.objects.count() == before
