"""The programme's work pages: filing a report with evidence, the coordinator's decision (four
eyes), the review queue, and the coordinator's forms for documents, groups and tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import grant, pdf_upload, programme_task, staff_user
from tinhso.accounts.permissions import SYSTEM
from tinhso.programme.forms import report_periods
from tinhso.programme.models import Document, ProgressReport, ReportStatus, Task, TaskGroup
from tinhso.programme.selectors import clock
from tinhso.programme.services import report_submit, task_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def login(user: Any) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"  # pages in English, whatever is translated
    client.force_login(user)
    return client


def period(task: Any) -> str:
    """The period the form offers by default (the last closed one)."""
    return report_periods(task, clock())[1]


def report_data(task: Any, unit: str = "56.STC", **values: Any) -> dict[str, Any]:
    return {"unit": unit, "period": period(task), "percent": "40",
            "done_text": "Đã số hóa 40 % hồ sơ", "obstacles": "", "proposals": "", **values}


def send(client: Client, task: Any, **values: Any) -> Any:
    return client.post(reverse("programme:report_submit", args=[task.pk]),
                       report_data(task, **values))


def field_error(response: Any, name: str) -> str:
    """The text of the error shown next to field ``name`` ('' when there is none)."""
    html = response.content.decode()
    marker = f'data-field="{name}">'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</small>", 1)[0]


def test_reporter_files_a_report_with_evidence(people: dict[str, Any], task: Any) -> None:
    client = login(people["reporter"])
    page = client.get(reverse("programme:report_submit", args=[task.pk]))
    assert page.status_code == 200
    assert 'name="percent"' in page.content.decode()
    response = send(client, task, evidence=[pdf_upload("bien-ban.pdf"), pdf_upload("anh.pdf")])
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:task", args=[task.pk])
    report = ProgressReport.objects.get(task=task)
    assert (report.unit.code, report.percent, report.status) == ("56.STC", 40, "submitted")
    assert sorted(e.name for e in report.evidence.all()) == ["anh.pdf", "bien-ban.pdf"]
    assert report.submitted_by == people["reporter"]


def test_returned_resubmitted_then_accepted_moves_progress(people: dict[str, Any],
                                                           task: Any) -> None:
    reporter, coordinator = login(people["reporter"]), login(people["coordinator"])
    send(reporter, task, evidence=[pdf_upload()])
    first = ProgressReport.objects.get(task=task)

    empty = coordinator.post(reverse("programme:report_return", args=[first.pk]),
                             {"comment": "  "})
    assert empty.status_code == 200
    assert "reason" in field_error(empty, "comment").lower()
    first.refresh_from_db()
    assert first.status == ReportStatus.SUBMITTED

    returned = coordinator.post(reverse("programme:report_return", args=[first.pk]),
                                {"comment": "Thiếu số liệu của các xã"})
    assert returned.status_code == 302

    page = reporter.get(reverse("programme:report_submit", args=[task.pk])).content.decode()
    assert "Thiếu số liệu của các xã" in page
    assert "Resubmit" in page
    assert "Đã số hóa 40 % hồ sơ" in page  # the returned report's text, to correct

    assert send(reporter, task, percent="45",
                done_text="Bổ sung số liệu của 65 xã").status_code == 302
    second = ProgressReport.objects.get(task=task, status=ReportStatus.SUBMITTED)
    assert second.previous == first
    accepted = coordinator.post(reverse("programme:report_accept", args=[second.pk]),
                                {"comment": ""})
    assert accepted.status_code == 302
    task.refresh_from_db()
    assert task.progress == 45


def test_progress_going_back_needs_a_reason(people: dict[str, Any], task: Any) -> None:
    Task.objects.filter(pk=task.pk).update(progress=50)
    client = login(people["reporter"])
    response = send(client, task, percent="30")
    assert response.status_code == 200
    assert "50" in field_error(response, "regression_reason")
    assert not ProgressReport.objects.exists()
    assert send(client, task, percent="30",
                regression_reason="Phải làm lại phần mềm").status_code == 302


def test_report_at_100_percent_needs_its_output(people: dict[str, Any], task: Any) -> None:
    client = login(people["reporter"])
    today = f"{timezone.localdate():%d/%m/%Y}"
    response = send(client, task, percent="100", completed_on=today)
    assert response.status_code == 200
    assert "result document" in field_error(response, "result_document")
    assert not ProgressReport.objects.exists()
    assert send(client, task, percent="100", completed_on=today,
                result_document="125/QĐ-UBND").status_code == 302
    report = ProgressReport.objects.get()
    assert (report.completed_on, report.result_document) == (timezone.localdate(),
                                                             "125/QĐ-UBND")


def test_report_on_a_cancelled_task_is_refused(people: dict[str, Any], task: Any) -> None:
    task_cancel(actor=SYSTEM, task=task, reason="Gộp vào nhiệm vụ 2.2")
    client = login(people["reporter"])
    page = client.get(reverse("programme:report_submit", args=[task.pk])).content.decode()
    assert 'name="done_text"' not in page
    response = send(client, task)
    assert response.status_code == 200
    assert "cancelled" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_who_may_not_report_is_refused(people: dict[str, Any], task: Any,
                                       reference_units: Any) -> None:
    # Health supports the task: it may add its part, not report as the lead unit
    health = login(people["health"])
    assert send(health, task).status_code == 403
    assert send(health, task, unit="56.SYT").status_code == 302
    part = ProgressReport.objects.get()
    assert (part.kind, part.percent) == ("support", None)
    # a leader reads the task but reports for no unit
    leader = staff_user(unit=reference_units["56"], username="lanhdao")
    grant(leader, "leader", reference_units["56"])
    assert send(login(leader), task).status_code == 403
    # a task the reporter's unit has nothing to do with is not even shown
    other = programme_task(task.group, reference_units["56.SYT"], code="9")
    assert send(login(people["reporter"]), other, unit="56.SYT").status_code == 404
    assert ProgressReport.objects.count() == 1


def test_the_author_never_decides_on_their_own_report(people: dict[str, Any], task: Any,
                                                      reference_units: Any) -> None:
    grant(people["reporter"], "coordinator", reference_units["56"])
    client = login(people["reporter"])
    assert send(client, task).status_code == 302
    report = ProgressReport.objects.get()
    page = client.get(reverse("programme:report_submit", args=[task.pk])).content.decode()
    assert "another person decides" in page
    assert reverse("programme:report_accept", args=[report.pk]) not in page
    assert client.post(reverse("programme:report_accept", args=[report.pk])).status_code == 403
    # nor is it waiting for them: their review queue (and its count) leaves it out, while
    # another coordinator's lists it
    assert f'data-report-id="{report.pk}"' not in client.get(
        reverse("programme:review")).content.decode()
    assert f'data-report-id="{report.pk}"' in login(people["coordinator"]).get(
        reverse("programme:review")).content.decode()
    assert client.post(reverse("programme:report_return", args=[report.pk]),
                       {"comment": "tự trả"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # a reporter who is no coordinator may not decide either
    assert login(people["approver"]).post(
        reverse("programme:report_accept", args=[report.pk])).status_code == 403


def test_review_queue_lists_the_waiting_reports(people: dict[str, Any], task: Any) -> None:
    older = report_submit(actor=people["health"], task=task, unit=task.support_units.get(),
                          period=period(task), done_text="Cung cấp dữ liệu y tế")
    newer = report_submit(actor=people["reporter"], task=task, period=period(task), percent=30,
                          done_text="Đã số hóa 30 %", evidence=[pdf_upload()])
    coordinator = login(people["coordinator"])
    page = coordinator.get(reverse("programme:review"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'data-report-id="{older.pk}"') < html.index(f'data-report-id="{newer.pk}"')
    assert reverse("programme:task", args=[task.pk]) in html
    assert login(people["reporter"]).get(reverse("programme:review")).status_code == 403

    url = reverse("programme:report_return", args=[newer.pk])
    refused = coordinator.post(url, {"comment": "", "next": "review"})
    assert refused.status_code == 200 and field_error(refused, "comment")
    done = coordinator.post(reverse("programme:report_accept", args=[older.pk]),
                            {"next": "review"})
    assert done["Location"] == reverse("programme:review")
    html = coordinator.get(reverse("programme:review")).content.decode()
    assert f'data-report-id="{older.pk}"' not in html
    assert f'data-report-id="{newer.pk}"' in html


def test_coordinator_creates_a_document_a_group_and_a_task(people: dict[str, Any],
                                                           reference_units: Any) -> None:
    client = login(people["coordinator"])
    url = reverse("programme:document_create")
    values = {"number": "16/NQ-XYZ-", "kind": "resolution", "title": "Về chuyển đổi số",
              "issuer": "Tỉnh ủy Khánh Hòa", "issued_on": "20/05/2021",
              "unit": reference_units["56"].pk, "supersession": ""}
    bad = client.post(url, values)
    assert bad.status_code == 200 and field_error(bad, "number")
    assert not Document.objects.exists()
    created = client.post(url, {**values, "number": "16-NQ/TU"})
    assert created.status_code == 302
    document = Document.objects.get(number="16-NQ/TU")
    assert document.issued_on == date(2021, 5, 20)
    assert login(people["reporter"]).get(url).status_code == 403

    group_url = reverse("programme:group_create", args=[document.pk])
    assert client.post(group_url, {"code": "2", "title": "Chính quyền số",
                                   "area": "digital_government", "weight": "2"}).status_code == 302
    group = TaskGroup.objects.get(document=document, code="2")

    task_url = reverse("programme:task_create", args=[group.pk])
    assert "Digital government" in client.get(task_url).content.decode()  # a DTI indicator
    task_values = {"code": "2.1", "title": "Nền tảng tích hợp, chia sẻ dữ liệu",
                   "lead_unit": reference_units["56.SKHCN"].pk,
                   "support_units": [reference_units["56.STC"].pk],
                   "start_on": "01/03/2026", "due_on": "31/01/2026", "weight": "1",
                   "dti_codes": ["chinh_quyen_so"]}
    late = client.post(task_url, task_values)
    assert late.status_code == 200
    assert "before it starts" in field_error(late, "due_on")
    outside = client.post(task_url, {**task_values, "due_on": "30/11/2026",
                                     "lead_unit": reference_units["48"].pk})
    assert field_error(outside, "lead_unit")
    assert not Task.objects.exists()
    ok = client.post(task_url, {**task_values, "due_on": "30/11/2026"})
    assert ok.status_code == 302
    task = Task.objects.get(group=group, code="2.1")
    assert ok["Location"] == reverse("programme:task", args=[task.pk])
    assert (task.due_on, task.dti_codes, task.assigned_by) == (date(2026, 11, 30),
                                                               ["chinh_quyen_so"], document)
    assert list(task.support_units.values_list("code", flat=True)) == ["56.STC"]


def test_coordinator_edits_and_cancels_a_task(people: dict[str, Any], task: Any) -> None:
    client = login(people["coordinator"])
    edit_url = reverse("programme:task_edit", args=[task.pk])
    form = client.get(edit_url).content.decode()
    assert "30/11/2026" in form
    values = {"title": "Số hóa hồ sơ thủ tục hành chính", "lead_unit": task.lead_unit_id,
              "support_units": [u.pk for u in task.support_units.all()],
              "start_on": "05/01/2026", "due_on": "31/12/2026", "weight": "20",
              "dti_codes": ["chinh_quyen_so"]}
    assert client.post(edit_url, values).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_on, task.weight) == (values["title"], date(2026, 12, 31), 20)
    assert 'name="weight" value="20"' in client.get(edit_url).content.decode()
    assert login(people["reporter"]).get(edit_url).status_code == 403

    cancel_url = reverse("programme:task_cancel", args=[task.pk])
    empty = client.post(cancel_url, {"reason": ""})
    assert empty.status_code == 200 and field_error(empty, "reason")
    task.refresh_from_db()
    assert task.cancelled_on is None
    assert login(people["reporter"]).post(cancel_url, {"reason": "x"}).status_code == 403
    assert client.post(cancel_url, {"reason": "Gộp vào 2.2"}).status_code == 302
    task.refresh_from_db()
    assert (task.cancelled_on, task.cancel_reason) == (timezone.localdate(), "Gộp vào 2.2")


def test_the_task_page_shows_each_person_their_actions(people: dict[str, Any], task: Any,
                                                       reference_units: Any) -> None:
    url = reverse("programme:task", args=[task.pk])
    lead = login(people["reporter"]).get(url).content.decode()
    assert 'data-testid="report-form-56.STC"' in lead and 'name="percent"' in lead
    assert 'data-testid="task-manage"' not in lead and 'data-testid="decisions"' not in lead

    part = login(people["health"]).get(url).content.decode()
    assert 'data-testid="report-form-56.SYT"' in part and 'name="percent"' not in part
    assert 'data-testid="report-form-56.STC"' not in part

    report_submit(actor=people["reporter"], task=task, period=period(task), percent=30,
                  done_text="Đã số hóa 30 %")
    report = ProgressReport.objects.get()
    coordinator = login(people["coordinator"]).get(url).content.decode()
    assert 'data-testid="report-form' not in coordinator
    assert reverse("programme:report_accept", args=[report.pk]) in coordinator
    assert reverse("programme:report_return", args=[report.pk]) in coordinator
    assert reverse("programme:task_edit", args=[task.pk]) in coordinator
    assert reverse("programme:task_cancel", args=[task.pk]) in coordinator

    leader = staff_user(unit=reference_units["56"], username="lanhdao")
    grant(leader, "leader", reference_units["56"])
    reader = login(leader).get(url)
    assert reader.status_code == 200
    assert 'data-testid="task-title"' in reader.content.decode()
    assert 'data-testid="task-actions"' not in reader.content.decode()
