"""The one-stop workflow through its services: receipt, due dates, supplements, decisions,
ratings, the statistics aggregate, audit and notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import pdf_upload
from tests.procedures.conftest import TUESDAY_9AM, VN
from tinhso.audit.models import AuditEvent
from tinhso.procedures import aggregate
from tinhso.procedures.models import Channel, Dossier, DossierStat
from tinhso.procedures.services import (
    Applicant,
    dossier_answer_supplement,
    dossier_approve,
    dossier_assign,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
    dossier_withdraw,
)

pytestmark = pytest.mark.django_db


def test_an_online_submission_gets_a_code_a_due_date_and_an_acknowledgement(
        submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        dossier = submit("Cấp Giấy xác nhận tình trạng hôn nhân")  # 3 working days
    assert not mail.outbox  # nothing is sent before the commit
    for callback in queued:
        callback()
    assert dossier.code == "22366-261117-0001"
    assert dossier.channel == Channel.ONLINE and dossier.status == "received"
    # Tuesday 09:00 + 3 working days (8 h each) = Friday 09:00.
    assert dossier.due_at.astimezone(VN) == datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    assert [f.document for f in dossier.files.all()] == ["to_khai"]
    assert AuditEvent.objects.filter(action="dossier.submitted", object_id=str(dossier.pk)
                                     ).exists()
    assert mail.outbox and dossier.code in mail.outbox[0].subject
    assert submit("Cấp Giấy xác nhận tình trạng hôn nhân").code == "22366-261117-0002"


def test_a_submission_is_refused_with_every_problem_by_field_and_nothing_written(
        submit, catalogue):
    procedure = catalogue["Đăng ký khai sinh"]
    with pytest.raises(ValidationError) as refused:
        submit(form_data={"child_name": "", "birth_date": "31/02/2026", "sex": "x"},
               files={"doc.to_khai": pdf_upload("a.pdf", b"not a pdf")},
               applicant=Applicant("", "12345"))
    errors = refused.value.message_dict
    assert set(errors) >= {"applicant_name", "applicant_phone", "form.child_name",
                           "form.birth_date", "form.sex", "form.birth_place",
                           "doc.to_khai", "doc.giay_chung_sinh"}
    assert "not really a PDF" in errors["doc.to_khai"][0]
    assert not Dossier.objects.exists() and not DossierStat.objects.exists()
    assert procedure.required_documents[0]["name"] == "Tờ khai đăng ký khai sinh"


def test_only_agencies_that_receive_the_procedure_and_only_online_procedures(
        submit, reference_units):
    with pytest.raises(ValidationError, match="does not receive"):
        submit("Đăng ký khai sinh", unit="56.STP")
    with pytest.raises(ValidationError, match="not offered online"):
        submit("Chứng thực chữ ký")
    assert submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP").code.startswith("56.STP-")


def test_a_supplement_stops_the_clock_and_the_answer_restarts_it(submit, desk, applicant_user):
    dossier = submit("Cấp Giấy xác nhận tình trạng hôn nhân")
    officer = desk["commune"]
    # Wednesday 09:00: one working day used, two left.
    dossier_request_supplement(actor=officer, dossier=dossier, reason="Thiếu bản sao CCCD",
                               now=TUESDAY_9AM + timedelta(days=1))
    assert dossier.status == "supplement" and dossier.remaining_seconds == 2 * 8 * 3600
    # The citizen answers the next Monday 09:00: due two working days later, the Thursday
    # (Tuesday 24/11 is Vietnamese Culture Day, a day off).
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
    dossier_answer_supplement(account=applicant_user, dossier=dossier, note="Đã bổ sung",
                              files={"cccd": pdf_upload("cccd.pdf")}, now=monday)
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    assert dossier.due_at.astimezone(VN) == datetime(2026, 11, 26, 9, 0, tzinfo=VN)
    dossier_approve(actor=officer, dossier=dossier, now=monday + timedelta(hours=2))
    assert dossier.on_time is True and not dossier.apologies.exists()


def test_a_late_decision_is_late_and_brings_the_apology_letter(submit, desk):
    dossier = submit("Đăng ký khai sinh")  # same working day
    dossier_approve(actor=desk["commune"], dossier=dossier,
                    now=TUESDAY_9AM + timedelta(days=1))
    assert dossier.on_time is False
    letter = dossier.apologies.get()
    assert "after its due date" in letter.reason
    assert list(dossier.events.values_list("action", flat=True)) == [
        "submit", "approve", "apologise"]


def test_two_supplement_requests_count_late_even_within_the_time(submit, desk, applicant_user):
    dossier = submit("Cấp Giấy xác nhận tình trạng hôn nhân")
    officer = desk["commune"]
    for hours in (1, 3):
        dossier_request_supplement(actor=officer, dossier=dossier, reason="Thiếu",
                                   now=TUESDAY_9AM + timedelta(hours=hours))
        dossier_answer_supplement(account=applicant_user, dossier=dossier, note="Có",
                                  now=TUESDAY_9AM + timedelta(hours=hours + 1))
    dossier_approve(actor=officer, dossier=dossier, now=TUESDAY_9AM + timedelta(hours=6))
    assert dossier.supplement_count == 2 and dossier.on_time is False


def test_impossible_transitions_and_outsiders_are_refused(submit, desk, applicant_user):
    dossier = submit("Đăng ký khai sinh")
    with pytest.raises(PermissionDenied):
        dossier_approve(actor=desk["other"], dossier=dossier)
    with pytest.raises(ValidationError, match="not possible"):
        dossier_return_result(actor=desk["commune"], dossier=dossier)
    with pytest.raises(ValidationError, match="reason"):
        dossier_refuse(actor=desk["commune"], dossier=dossier, reason="  ")
    with pytest.raises(PermissionDenied):
        dossier_rate(account=desk["commune"], dossier=dossier, level=5)
    dossier.refresh_from_db()
    assert dossier.status == "received"
    assert list(dossier.events.values_list("action", flat=True)) == ["submit"]


def test_a_department_dossier_assigned_and_approved_by_its_approver(submit, desk):
    dossier = submit("Cấp Phiếu lý lịch tư pháp", unit="56.STP")
    dossier_assign(actor=desk["justice"], dossier=dossier, unit=dossier.unit,
                   officer=desk["justice"], now=TUESDAY_9AM + timedelta(hours=1))
    assert dossier.status == "processing" and dossier.assigned_to == desk["justice"]
    with pytest.raises(ValidationError, match="does not process"):
        dossier_assign(actor=desk["justice"], dossier=dossier, unit=dossier.unit,
                       officer=desk["commune"])
    dossier_approve(actor=desk["approver"], dossier=dossier,
                    now=TUESDAY_9AM + timedelta(hours=2))
    dossier_return_result(actor=desk["justice"], dossier=dossier,
                          result=pdf_upload("phieu-ltp.pdf"),
                          now=TUESDAY_9AM + timedelta(hours=3))
    assert dossier.status == "returned" and dossier.electronic_result
    assert dossier.files.filter(kind="result").count() == 1


def test_the_desk_receives_in_person_and_refuses_online_as_a_channel(catalogue, desk,
                                                                     reference_units):
    procedure = catalogue["Chứng thực chữ ký"]
    dossier = dossier_receive(actor=desk["commune"], procedure=procedure,
                              unit=reference_units["22366"], channel=Channel.IN_PERSON,
                              applicant=Applicant("Trần Thị C", "0912345678"), form_data={},
                              now=TUESDAY_9AM)
    assert dossier.channel == "in_person" and not dossier.digitised
    with pytest.raises(PermissionDenied):
        dossier_receive(actor=desk["other"], procedure=procedure,
                        unit=reference_units["22366"], channel=Channel.IN_PERSON,
                        applicant=Applicant("Trần Thị C", "0912345678"), form_data={})
    with pytest.raises(ValidationError, match="online ones"):
        dossier_receive(actor=desk["commune"], procedure=procedure,
                        unit=reference_units["22366"], channel=Channel.ONLINE,
                        applicant=Applicant("Trần Thị C", "0912345678"), form_data={})


def test_the_aggregate_follows_every_action_and_equals_a_rebuild(submit, desk, applicant_user,
                                                                catalogue, reference_units):
    officer = desk["commune"]
    on_time = submit("Cấp Giấy xác nhận tình trạng hôn nhân", paid_online=True)
    dossier_approve(actor=officer, dossier=on_time, now=TUESDAY_9AM + timedelta(hours=1))
    dossier_return_result(actor=officer, dossier=on_time, result=pdf_upload(),
                          now=TUESDAY_9AM + timedelta(hours=2))
    dossier_rate(account=applicant_user, dossier=on_time, level=5,
                 now=TUESDAY_9AM + timedelta(hours=3))
    late = submit("Đăng ký khai sinh")
    dossier_approve(actor=officer, dossier=late, now=TUESDAY_9AM + timedelta(days=2))
    refused = submit("Đăng ký tạm trú")
    dossier_refuse(actor=officer, dossier=refused, reason="Không đủ điều kiện",
                   now=TUESDAY_9AM + timedelta(hours=5))
    withdrawn = submit("Đăng ký thường trú")
    dossier_withdraw(actor=officer, dossier=withdrawn, reason="Công dân rút hồ sơ",
                     now=TUESDAY_9AM + timedelta(hours=4))
    dossier_receive(actor=officer, procedure=catalogue["Chứng thực chữ ký"],
                    unit=reference_units["22366"], channel=Channel.IN_PERSON,
                    applicant=Applicant("Trần Thị C", "0912345678"), form_data={},
                    now=TUESDAY_9AM, reused_data=True, population_data=True)
    live = aggregate.totals(DossierStat.objects.all())
    # Electronic results: the one returned as a file, and the birth registration whose
    # procedure gives its result electronically (not yet handed over).
    assert live == {"received": 5, "resolved": 3, "resolved_on_time": 2, "refused": 1,
                    "withdrawn": 1, "fee_payable": 4, "paid_online": 1, "digitised": 4,
                    "electronic_result": 2, "rated": 1, "satisfied": 1, "reused_data": 1,
                    "population_data": 1}  # every count
    live_rows = sorted(DossierStat.objects.values_list(
        "unit_id", "procedure_id", "month", "channel", *aggregate.COUNTS))
    aggregate.rebuild()
    assert sorted(DossierStat.objects.values_list(
        "unit_id", "procedure_id", "month", "channel", *aggregate.COUNTS)) == live_rows
