from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import IndicatorFactory
from tinhso.audit.models import AuditEvent
from tinhso.indicators import audit_events
from tinhso.indicators.models import Aggregation, IndicatorValue, ValueStatus
from tinhso.indicators.services import (
    evidence_add,
    indicator_create,
    indicator_update,
    target_set,
    to_decimal,
    value_approve,
    value_reopen,
    value_return,
    value_save,
    value_submit,
)

pytestmark = pytest.mark.django_db



def test_a_coordinator_defines_indicators_and_formulas(people, reference_units):
    c = people["coordinator"]
    indicator_create(actor=c, code="received", name="Hồ sơ tiếp nhận", measure="count")
    indicator_create(actor=c, code="online", name="Hồ sơ trực tuyến", measure="count")
    rate = indicator_create(actor=c, code="online_rate", name="Tỷ lệ trực tuyến",
                            measure="percent", formula="online / received * 100",
                            aggregation=Aggregation.FORMULA, owner_unit=reference_units["56"])
    assert rate.is_formula
    assert AuditEvent.objects.filter(action=audit_events.INDICATOR_CREATED).count() == 3


def test_a_bad_formula_is_rejected_with_the_reason(people):
    c = people["coordinator"]
    indicator_create(actor=c, code="a", name="A", measure="count")
    with pytest.raises(ValidationError, match="unknown indicator code\\(s\\) nope"):
        indicator_create(actor=c, code="b", name="B", measure="percent", formula="a / nope")
    b = indicator_create(actor=c, code="b", name="B", measure="count", formula="a * 2",
                         aggregation=Aggregation.FORMULA)
    indicator_create(actor=c, code="c", name="C", measure="count", formula="b + 1",
                     aggregation=Aggregation.FORMULA)
    with pytest.raises(ValidationError, match="cycle"):
        indicator_update(actor=c, indicator=b, formula="c * 2")
    b.refresh_from_db()
    assert b.formula == "a * 2"


def test_reporters_cannot_define_indicators(people):
    with pytest.raises(PermissionDenied):
        indicator_create(actor=people["reporter"], code="x", name="X", measure="count")


def test_the_life_of_a_value(people, reference_units):
    indicator = IndicatorFactory(code="digital_skills", measure="percent")
    unit = reference_units["56.STC"]
    value = value_save(actor=people["reporter"], indicator=indicator, unit=unit, period="2025",
                       value="64,06", comment="Theo báo cáo quý")
    assert value.status == ValueStatus.DRAFT and value.value == Decimal("64.06")
    value_submit(actor=people["reporter"], value=value)
    with pytest.raises(ValidationError, match="submitted"):
        value_save(actor=people["reporter"], indicator=indicator, unit=unit, period="2025",
                   value=70)
    value_return(actor=people["approver"], value=value, reason="Thiếu minh chứng")
    value.refresh_from_db()
    assert value.status == ValueStatus.RETURNED and value.return_reason == "Thiếu minh chứng"
    value_save(actor=people["reporter"], indicator=indicator, unit=unit, period="2025",
               value=65, submit=True)
    value_approve(actor=people["approver"], value=value)
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED and value.value == 65
    with pytest.raises(ValidationError, match="approved"):
        value_save(actor=people["reporter"], indicator=indicator, unit=unit, period="2025",
                   value=1)
    with pytest.raises(ValidationError, match="reason"):
        value_reopen(actor=people["approver"], value=value, reason=" ")
    value_reopen(actor=people["approver"], value=value, reason="Số liệu được điều chỉnh")
    value.refresh_from_db()
    assert value.status == ValueStatus.RETURNED
    history = list(AuditEvent.objects.filter(object_type="indicators.indicatorvalue",
                                             object_id=str(value.pk))
                   .order_by("id").values_list("action", flat=True))
    assert history == ["value.saved", "value.submitted", "value.returned", "value.submitted",
                       "value.approved", "value.reopened"]


def test_reporters_enter_only_for_their_units_and_do_not_approve(people, reference_units):
    indicator = IndicatorFactory()
    with pytest.raises(PermissionDenied):
        value_save(actor=people["reporter"], indicator=indicator, unit=reference_units["56.SYT"],
                   period="2025", value=1)
    value = value_save(actor=people["reporter"], indicator=indicator,
                       unit=reference_units["56.STC"], period="2025", value=1, submit=True)
    with pytest.raises(PermissionDenied):
        value_approve(actor=people["reporter"], value=value)
    assert IndicatorValue.objects.get().status == ValueStatus.SUBMITTED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "2025Q1"}, "is reported by Year"),
        ({"period": "2025-01"}, "not a period"),
        ({"value": "abc"}, "not a number"),
        ({"value": "101"}, "between 0 and 100"),
    ],
)
def test_bad_values_say_what_is_wrong(people, reference_units, kwargs, message):
    indicator = IndicatorFactory(measure="percent")
    args = {"period": "2025", "value": "50", **kwargs}
    with pytest.raises(ValidationError, match=message):
        value_save(actor=people["reporter"], indicator=indicator,
                   unit=reference_units["56.STC"], **args)
    assert not IndicatorValue.objects.exists()


def test_formula_indicators_and_other_levels_are_not_entered(people, reference_units):
    IndicatorFactory(code="a", measure="count")
    computed = IndicatorFactory(code="b", formula="a * 2", measure="count")
    with pytest.raises(ValidationError, match="computed from a formula"):
        value_save(actor=people["coordinator"], indicator=computed,
                   unit=reference_units["56.STC"], period="2025", value=1)
    communes_only = IndicatorFactory(reporting_levels=["commune"])
    with pytest.raises(ValidationError, match="does not report"):
        value_save(actor=people["coordinator"], indicator=communes_only,
                   unit=reference_units["56.STC"], period="2025", value=1)


def test_numbers_as_people_write_them():
    assert to_decimal("64,06") == Decimal("64.06")
    assert to_decimal("1.234.567,5") == Decimal("1234567.5")
    assert to_decimal("1,234,567.5") == Decimal("1234567.5")
    assert to_decimal("35,8 %") == Decimal("35.8")
    with pytest.raises(ValidationError):
        to_decimal("NaN")


def test_evidence_is_checked(people, reference_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = IndicatorFactory()
    value = value_save(actor=people["reporter"], indicator=indicator,
                       unit=reference_units["56.STC"], period="2025", value=1)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = evidence_add(actor=people["reporter"], value=value, upload=pdf)
    assert evidence.size == len(b"%PDF-1.4 test") and evidence.file.name.endswith(".pdf")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not really a PDF"):
        evidence_add(actor=people["reporter"], value=value, upload=fake)
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="only PDF"):
        evidence_add(actor=people["reporter"], value=value, upload=exe)


def test_targets(people, reference_units):
    indicator = IndicatorFactory(measure="percent")
    target = target_set(actor=people["coordinator"], indicator=indicator,
                        unit=reference_units["56"], year=2025, value="80",
                        baseline_year=2020, baseline_value="64,06")
    assert target.baseline_value == Decimal("64.06")
    with pytest.raises(PermissionDenied):
        target_set(actor=people["reporter"], indicator=indicator, unit=reference_units["56"],
                   year=2030, value=90)
