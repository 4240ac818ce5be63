from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import pdf_upload
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.programme import schedule
from tinhso.programme.models import ReportStatus, TaskEvent
from tinhso.programme.selectors import clock, task_status
from tinhso.programme.services import (
    document_create,
    report_accept,
    report_return,
    report_submit,
    task_cancel,
    task_create,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def submit(people: dict[str, Any], task: Any, **kwargs: Any) -> Any:
    values = {"period": "2026Q3", "percent": 40, "done_text": "Đã số hóa 40 % hồ sơ",
              "today": TODAY}
    return report_submit(actor=people["reporter"], task=task, **{**values, **kwargs})


def test_report_returned_resubmitted_accepted_moves_progress(people: dict[str, Any],
                                                             task: Any) -> None:
    first = submit(people, task, evidence=[pdf_upload("bien-ban.pdf")])
    assert first.evidence.get().name == "bien-ban.pdf"
    report_return(actor=people["coordinator"], report=first, comment="Thiếu số liệu xã")
    first.refresh_from_db()
    assert first.status == ReportStatus.RETURNED
    second = submit(people, task, percent=45, done_text="Bổ sung số liệu của 65 xã")
    assert second.previous == first
    report_accept(actor=people["coordinator"], report=second, today=TODAY)
    task.refresh_from_db()
    assert task.progress == 45
    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["created", "reported", "returned", "reported", "accepted"]
    assert AuditEvent.objects.filter(action="progress.accepted",
                                     actor=people["coordinator"]).exists()


def test_author_never_decides_on_their_own_report(people: dict[str, Any], task: Any,
                                                  reference_units: Any) -> None:
    from tests.factories import grant

    grant(people["reporter"], "coordinator", reference_units["56"])
    report = submit(people, task)
    with pytest.raises(PermissionDenied):
        report_accept(actor=people["reporter"], report=report)
    with pytest.raises(PermissionDenied):
        report_return(actor=people["reporter"], report=report, comment="tự trả")


def test_reporter_outside_the_lead_unit_is_refused(people: dict[str, Any], task: Any) -> None:
    with pytest.raises(PermissionDenied, match="outside your units"):
        report_submit(actor=people["health"], task=task, unit=task.lead_unit, period="2026Q3",
                      percent=10, done_text="x", today=TODAY)
    # Health supports the task: it adds its part, without a percent
    part = report_submit(actor=people["health"], task=task, unit=people["health"].unit,
                         period="2026Q3", percent=90, done_text="Phối hợp", today=TODAY)
    assert part.kind == "support" and part.percent is None


def test_progress_backwards_needs_a_reason(people: dict[str, Any], task: Any) -> None:
    report_accept(actor=people["coordinator"], report=submit(people, task, percent=60))
    with pytest.raises(ValidationError) as exc:
        submit(people, task, period="2026Q4", percent=50)
    assert "regression_reason" in exc.value.message_dict
    submit(people, task, period="2026Q4", percent=50,
           regression_reason="Một phần hồ sơ phải số hóa lại")


def test_a_task_closes_only_with_its_output(people: dict[str, Any], task: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(people, task, percent=100, completed_on=date(2026, 11, 27))
    assert "result_document" in exc.value.message_dict
    report = submit(people, task, percent=100, completed_on=date(2026, 11, 27),
                    result_document="125/BC-STC")
    report_accept(actor=people["coordinator"], report=report, today=TODAY)
    task.refresh_from_db()
    assert task.done_on == date(2026, 11, 27) and task.result_document == "125/BC-STC"
    assert task_status(task, clock(TODAY)) == schedule.DONE_ON_TIME
    with pytest.raises(ValidationError, match="done"):
        submit(people, task, period="2026Q4")


def test_done_after_the_due_date_is_done_late(people: dict[str, Any], task: Any) -> None:
    # due Monday 30/11/2026, completed Tuesday 01/12
    report = submit(people, task, percent=100, completed_on=date(2026, 12, 1),
                    evidence=[pdf_upload("ket-qua.pdf")])
    report_accept(actor=people["coordinator"], report=report, today=TODAY)
    task.refresh_from_db()
    assert task_status(task, clock(TODAY)) == schedule.DONE_LATE


def test_no_report_on_a_cancelled_task(people: dict[str, Any], task: Any) -> None:
    with pytest.raises(ValidationError):
        task_cancel(actor=people["coordinator"], task=task, reason=" ")
    task_cancel(actor=people["coordinator"], task=task, reason="Gộp vào nhiệm vụ 2.2")
    with pytest.raises(ValidationError, match="cancelled"):
        submit(people, task)


def test_task_due_before_it_starts_is_refused(group: Any, reference_units: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        task_create(actor=SYSTEM, group=group, code="9", title="Sai ngày",
                    lead_unit=reference_units["56.STC"], start_on=date(2026, 5, 1),
                    due_on=date(2026, 4, 1))
    assert "due_on" in exc.value.message_dict


def test_document_number_follows_decree_30(reference_units: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        document_create(actor=SYSTEM, number="KH 4636", kind="plan", title="x", issuer="UBND",
                        issued_on=date(2025, 9, 29), unit=reference_units["56"])
    assert "number" in exc.value.message_dict
    plan = document_create(actor=SYSTEM, number="4636/KH-UBND", kind="plan", title="x",
                           issuer="UBND tỉnh Khánh Hòa", issued_on=date(2025, 9, 29),
                           unit=reference_units["56"])
    assert plan.number == "4636/KH-UBND"


def test_a_task_code_stays_unique_in_its_group(task: Any, group: Any,
                                               reference_units: Any) -> None:
    from tinhso.programme.services import task_update

    other = task_create(actor=SYSTEM, group=group, code="2.2", title="Khác",
                        lead_unit=reference_units["56.STC"], start_on=date(2026, 1, 5),
                        due_on=date(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        task_update(actor=SYSTEM, task=other, code="2.1")
    assert "code" in exc.value.message_dict
    task_update(actor=SYSTEM, task=other, code="2.3")
    other.refresh_from_db()
    assert other.code == "2.3"
