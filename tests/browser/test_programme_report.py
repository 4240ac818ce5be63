"""Issue 10's path in Chromium: the Department of Finance's reporter files a progress report with
an evidence file on the task page, the coordinator returns it with a comment, the reporter
corrects and resubmits, the coordinator accepts; the task's progress and its group's roll-up
move, on the task page and in the programme tree."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-2026!"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def people(reference_units: dict[str, Any]) -> dict[str, Any]:
    from tinhso.accounts.models import RoleAssignment, User

    u = reference_units
    made = {}
    for username, unit, role, scope in [("dieuphoi", "56.SKHCN", "coordinator", "56"),
                                        ("baocao", "56.STC", "unit_reporter", "56.STC")]:
        user = User.objects.create_user(username=username, password=PASSWORD, kind="staff",
                                        unit=u[unit], first_name=username.capitalize())
        RoleAssignment.objects.create(user=user, role=role, unit=u[scope])
        made[username] = user
    return made


@pytest.fixture
def programme(reference_units: dict[str, Any]) -> dict[str, Any]:
    """Plan 10633/KH-UBND, group 2 (digital government): Finance's task at 0 % and Health's at
    50 %, equal weights: the group stands at 25 %."""
    from tests.factories import programme_document, programme_task, task_group

    u = reference_units
    plan = programme_document(u["56"])
    group = task_group(plan, "2", title="Phát triển chính quyền số", weight=Decimal(1),
                       area="digital_government")
    start, due = date.today() - timedelta(days=200), date.today() + timedelta(days=300)
    mine = programme_task(group, u["56.STC"], "2.1", title="Số hóa hồ sơ thủ tục hành chính",
                          start_on=start, due_on=due, dti_codes=["chinh_quyen_so"])
    programme_task(group, u["56.SYT"], "2.2", title="Bệnh án điện tử", progress=50,
                   start_on=start, due_on=due)
    return {"plan": plan, "group": group, "task": mine}


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def percent(text: str) -> re.Pattern[str]:
    """'50,0 %' as the Vietnamese page writes it (a no-break space before the sign)."""
    return re.compile(r"^\s*" + re.escape(text).replace(r"\ ", r"\s") + r"\s*$")


def test_report_returned_resubmitted_accepted_moves_the_task_and_its_group(
        page: Page, live_server: Any, people: dict[str, Any], programme: dict[str, Any],
        tmp_path: Any) -> None:
    from tinhso.programme.models import ProgressReport

    base = live_server.url
    task_url = f"{base}/programme/tasks/{programme['task'].pk}/"
    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(PDF)

    # Before: the task at 0 %, its group at (0 + 50) / 2 = 25 % for the coordinator (the
    # reporter's tree counts only the tasks Finance leads or supports).
    log_in(page, base, "dieuphoi")
    page.goto(f"{base}/programme/")
    expect(page.get_by_test_id("group-progress-2")).to_have_text(percent("25,0 %"))

    # The reporter files a report at 40 % with an evidence file.
    log_in(page, base, "baocao")
    page.goto(task_url)
    expect(page.get_by_test_id("task-progress")).to_have_text(percent("0 %"))
    form = page.get_by_test_id("report-form-56.STC")
    form.locator("[name=percent]").fill("40")
    form.locator("[name=done_text]").fill("Đã số hóa 40 % hồ sơ của năm")
    form.locator("[name=obstacles]").fill("Thiếu máy quét ở bộ phận một cửa")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    page.get_by_test_id("report-submit-56.STC").click()
    first = ProgressReport.objects.get()
    report = page.get_by_test_id(f"report-{first.pk}")
    expect(report).to_have_attribute("data-status", "submitted")
    expect(report).to_contain_text("Thiếu máy quét ở bộ phận một cửa")
    expect(report.get_by_test_id("evidence-link")).to_have_text("bien-ban-nghiem-thu.pdf")
    expect(page.get_by_test_id("task-progress")).to_have_text(percent("0 %"))

    # The coordinator returns it with a comment.
    log_in(page, base, "dieuphoi")
    page.goto(task_url)
    decision = page.get_by_test_id(f"decision-{first.pk}")
    decision.locator(f"#id_return_{first.pk}_comment").fill("Bổ sung số liệu của các xã")
    page.get_by_test_id(f"return-{first.pk}").click()
    returned = page.get_by_test_id(f"report-{first.pk}")
    expect(returned).to_have_attribute("data-status", "returned")
    expect(returned.get_by_test_id("decision-comment")).to_have_text(
        "Bổ sung số liệu của các xã")
    with page.expect_download() as download:
        returned.get_by_test_id("evidence-link").click()
    assert download.value.suggested_filename == "bien-ban-nghiem-thu.pdf"

    # The reporter sees the comment, corrects and resubmits at 50 %.
    log_in(page, base, "baocao")
    page.goto(task_url)
    expect(page.get_by_test_id("returned-comment")).to_contain_text("Bổ sung số liệu của các xã")
    form = page.get_by_test_id("report-form-56.STC")
    form.locator("[name=percent]").fill("50")
    form.locator("[name=done_text]").fill("Đã số hóa 50 % hồ sơ, đủ số liệu của 65 xã")
    form.locator("input[name=evidence]").set_input_files(str(evidence))
    page.get_by_test_id("report-submit-56.STC").click()
    second = ProgressReport.objects.exclude(pk=first.pk).get()
    assert second.previous_id == first.pk
    expect(page.get_by_test_id(f"report-{second.pk}")).to_have_attribute(
        "data-status", "submitted")

    # The coordinator accepts: the task and its group move.
    log_in(page, base, "dieuphoi")
    page.goto(task_url)
    page.get_by_test_id(f"accept-{second.pk}").click()
    expect(page.get_by_test_id(f"report-{second.pk}")).to_have_attribute(
        "data-status", "accepted")
    expect(page.get_by_test_id("task-progress")).to_have_text(percent("50 %"))
    history = page.get_by_test_id("history")
    # reported, returned, reported, accepted (the task was written directly, without event)
    expect(history.locator("tbody tr")).to_have_count(4)
    page.goto(f"{base}/programme/")
    # (50 + 50) / 2 = 50 %, and the terms say so.
    expect(page.get_by_test_id("group-progress-2")).to_have_text(percent("50,0 %"))
    group = page.get_by_test_id("group-2")
    expect(group.locator(f"tr[data-task='{programme['task'].pk}']")).to_contain_text("50")
    group.get_by_test_id("how-computed").first.locator("summary").click()
    expect(group.get_by_test_id("formula").first).to_contain_text("100,0 / 2")
