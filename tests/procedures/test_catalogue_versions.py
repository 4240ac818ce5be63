"""The catalogue's history: each change a version in force from its date; the procedure as it
stood on a day; a dossier keeps the time limit in force when it was received."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.procedures.conftest import TUESDAY_9AM, VN
from tinhso.audit.models import AuditEvent
from tinhso.procedures import versions
from tinhso.procedures.models import Procedure, ProcedureVersion
from tinhso.procedures.services.catalogue import (
    Decision,
    catalogue_refresh,
    procedure_create,
    procedure_retire,
    procedure_revise,
)

pytestmark = pytest.mark.django_db

MARRIAGE = "Cấp Giấy xác nhận tình trạng hôn nhân"  # 3 working days in the sample


def _values(procedure: Procedure, **changes: object) -> dict[str, object]:
    values = {"name": procedure.name, "field": procedure.field, "level": procedure.level,
              "agency": procedure.agency, "time_limit": procedure.time_limit,
              "fee": procedure.fee, "legal_basis": procedure.legal_basis,
              "online_level": procedure.online_level,
              "required_documents": [d["name"] for d in procedure.required_documents]}
    values.update(changes)
    return values


def test_the_sample_s_procedures_get_a_first_version_without_decision_or_dates(catalogue):
    procedure = catalogue[MARRIAGE]
    [first] = versions.history(procedure)
    assert first.number == 1 and first.effective_from is None
    assert first.decision_number == "" and first.decision_date is None
    assert first.time_limit == "3 ngày làm việc"
    assert ProcedureVersion.objects.count() == Procedure.objects.count() == 15


def test_a_dossier_keeps_the_time_limit_in_force_when_it_was_received(catalogue, people,
                                                                      submit):
    procedure = catalogue[MARRIAGE]
    version = procedure_revise(
        actor=people["coordinator"], procedure=procedure,
        values=_values(procedure, time_limit="5 ngày làm việc"),
        decision=Decision("1234/QĐ-UBND", effective_from=date(2026, 11, 20)))
    assert version.number == 2 and "time_limit" in version.changed
    before = submit(MARRIAGE, at=TUESDAY_9AM)  # 17/11: the old three days
    assert before.due_at.astimezone(VN) == datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    # Monday 23/11 09:00 + 5 working days (Tuesday 24/11 is a day off) = Tuesday 01/12 09:00
    after = submit(MARRIAGE, at=datetime(2026, 11, 23, 9, 0, tzinfo=VN))
    assert after.due_at.astimezone(VN) == datetime(2026, 12, 1, 9, 0, tzinfo=VN)
    procedure.refresh_from_db()
    assert procedure.time_limit == "5 ngày làm việc"  # in force today
    assert procedure.time_limit_en == ""  # the English twin of the old text is not kept
    assert AuditEvent.objects.filter(action="procedure.revised",
                                     object_id=str(procedure.pk)).exists()


def test_a_version_announced_now_takes_effect_on_its_day(catalogue, people):
    procedure = catalogue[MARRIAGE]
    procedure_revise(actor=people["coordinator"], procedure=procedure,
                     values=_values(procedure, fee="20.000 đồng"),
                     decision=Decision("99/QĐ-UBND", effective_from=date(2099, 1, 1)))
    procedure.refresh_from_db()
    assert procedure.fee == "Do Hội đồng nhân dân tỉnh quy định"  # not yet
    assert versions.procedure_on(procedure, date(2098, 12, 31)).fee == procedure.fee
    assert versions.procedure_on(procedure, date(2099, 1, 1)).fee == "20.000 đồng"
    assert catalogue_refresh(today=date(2098, 12, 31)) == 0
    assert catalogue_refresh(today=date(2099, 1, 1)) == 1
    procedure.refresh_from_db()
    assert procedure.fee == "20.000 đồng"


def test_a_retired_procedure_takes_no_dossier_after_its_day(catalogue, people, submit):
    procedure = catalogue[MARRIAGE]
    procedure_retire(actor=people["coordinator"], procedure=procedure,
                     decision=Decision("7/QĐ-UBND", effective_from=date(2026, 11, 20)))
    procedure.refresh_from_db()
    assert not procedure.in_force
    assert submit(MARRIAGE, at=TUESDAY_9AM).code  # received while it was in force
    with pytest.raises(ValidationError) as refused:
        submit(MARRIAGE, at=datetime(2026, 11, 23, 9, 0, tzinfo=VN))
    assert "procedure" in refused.value.message_dict
    assert AuditEvent.objects.filter(action="procedure.retired").count() == 1


def test_a_new_procedure_announced_for_later_is_not_in_force_before(reference_units, people):
    procedure = procedure_create(
        actor=people["coordinator"], code="2.000999",
        values={"name": "Thủ tục mới", "field": "Hộ tịch", "level": "Cấp xã",
                "agency": "UBND cấp xã", "time_limit": "10 ngày làm việc", "fee": "",
                "legal_basis": "Nghị định 1/2099", "online_level": "Toàn trình",
                "required_documents": ["Tờ khai"]},
        decision=Decision("5/QĐ-UBND", effective_from=date(2099, 3, 1)))
    assert not procedure.in_force and procedure.level == "commune"
    assert versions.procedure_on(procedure, date(2099, 2, 28)) is None
    assert versions.procedure_on(procedure, date(2099, 3, 1)).time_rule == {
        "type": "working_days", "days": 10}
    assert procedure not in versions.catalogue_on(date(2099, 2, 28))
    assert [p.code for p in versions.catalogue_on(date(2099, 3, 1))] == ["2.000999"]


def test_keeping_the_catalogue_needs_the_right_and_a_change(catalogue, people):
    procedure = catalogue[MARRIAGE]
    with pytest.raises(PermissionDenied):
        procedure_revise(actor=people["reporter"], procedure=procedure,
                         values=_values(procedure, fee="1 đồng"),
                         decision=Decision("1/QĐ-UBND", effective_from=date(2026, 1, 1)))
    with pytest.raises(ValidationError, match="Nothing changed"):
        procedure_revise(actor=people["coordinator"], procedure=procedure,
                         values=_values(procedure),
                         decision=Decision("1/QĐ-UBND", effective_from=date(2026, 1, 1)))
    with pytest.raises(ValidationError) as refused:
        procedure_revise(actor=people["coordinator"], procedure=procedure,
                         values=_values(procedure, time_limit="sớm nhất có thể", level="huyện"),
                         decision=Decision("1/QĐ-UBND", effective_from=date(2026, 1, 1)))
    assert set(refused.value.message_dict) == {"time_limit", "level"}
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1


def test_the_daily_refresh_command_applies_the_versions_whose_day_has_come(catalogue, people,
                                                                           capsys):
    procedure = catalogue[MARRIAGE]
    procedure_revise(actor=people["coordinator"], procedure=procedure,
                     values=_values(procedure, fee="30.000 đồng"),
                     decision=Decision("3/QĐ-UBND", effective_from=date(2026, 11, 1)))
    Procedure.objects.filter(pk=procedure.pk).update(fee="cũ")  # as if not yet brought
    call_command("procedures", "refresh")
    assert "1 procedures brought to the version in force today." in capsys.readouterr().out
    procedure.refresh_from_db()
    assert procedure.fee == "30.000 đồng"
