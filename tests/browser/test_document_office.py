"""Issue 16's path in Chromium: the province's clerk registers an incoming document that
assigns work, a leader assigns it to the Department of Finance with a deadline and a group of
the programme, the task appears on the programme's task page, Finance's officer drafts the
answer, Finance's clerk numbers and issues it, the leader closes the task citing it, and both
registers show the pair."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-2026!"


@pytest.fixture
def office(reference_units: dict[str, Any]) -> dict[str, Any]:
    from tests.factories import programme_document, task_group
    from tinhso.accounts.models import RoleAssignment, User

    u = reference_units
    for username, unit, role in [("vanthu", "56", "clerk"), ("lanhdao", "56", "leader"),
                                 ("chuyenvien.stc", "56.STC", "officer"),
                                 ("vanthu.stc", "56.STC", "clerk")]:
        user = User.objects.create_user(username=username, password=PASSWORD, kind="staff",
                                        unit=u[unit], first_name=username)
        RoleAssignment.objects.create(user=user, role=role, unit=u[unit])
    plan = programme_document(u["56"])
    group = task_group(plan, "2", title="Phát triển chính quyền số")
    return {"group": group, "finance": u["56.STC"]}


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def register_incoming(page: Page, base: str) -> str:
    """The clerk's registration; the document's page address."""
    page.goto(f"{base}/documents/")
    page.get_by_test_id("register-incoming").click()
    form = page.get_by_test_id("incoming-form")
    for name, value in {"issuer_code": "000.00.00.G12", "issuer_name": "Bộ Khoa học và Công nghệ",
                        "number": "405", "notation": "QĐ-BKHCN", "kind": "Quyết định",
                        "issued_on": f"{date.today() - timedelta(days=3):%d/%m/%Y}",
                        "subject": "Về việc triển khai Bộ chỉ số DTI (thử)",
                        "signer_name": "Nguyễn Văn A"}.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=assigns_work]").check()
    page.get_by_test_id("incoming-submit").click()
    expect(page.get_by_test_id("arrival-number")).to_contain_text(f"1/{date.today().year}")
    return page.url


def test_a_document_is_registered_assigned_answered_and_paired_in_both_registers(
        page: Page, live_server: Any, office: dict[str, Any]) -> None:
    from tinhso.programme.models import Task

    base = live_server.url
    log_in(page, base, "vanthu")
    document_url = register_incoming(page, base)

    # The leader assigns it to Finance with a deadline and a group of the programme.
    log_in(page, base, "lanhdao")
    page.goto(document_url)
    page.locator("#act-direct summary").click()
    form = page.get_by_test_id("direct-form")
    form.locator("[name=direct-lead_unit]").select_option(str(office["finance"].pk))
    due = date.today() + timedelta(days=20)
    form.locator("[name=direct-due_on]").fill(f"{due:%d/%m/%Y}")
    form.locator("[name=direct-instruction]").fill("Sở Tài chính chủ trì, trả lời Bộ")
    form.locator("[name=direct-task_group]").select_option(str(office["group"].pk))
    page.get_by_test_id("direct-submit").click()
    expect(page.get_by_test_id("deadline")).to_have_text(f"{due:%d/%m/%Y}")

    # The task is in the programme, with the document's subject, Finance leading.
    page.get_by_test_id("programme-task").locator("a").click()
    expect(page.get_by_test_id("task-title")).to_contain_text("Bộ chỉ số DTI (thử)")
    expect(page.get_by_test_id("lead-unit")).to_contain_text(office["finance"].name)
    task = Task.objects.get()
    assert task.due_on == due and task.group_id == office["group"].pk

    # Finance's officer drafts the answer from the document's page.
    log_in(page, base, "chuyenvien.stc")
    page.goto(document_url)
    page.get_by_test_id("answer-link").click()
    form = page.get_by_test_id("outgoing-form")
    expect(form.locator("[name=external]")).to_have_value(
        "000.00.00.G12 | Bộ Khoa học và Công nghệ")
    form.locator("[name=notation]").fill("STC-VP")
    page.get_by_test_id("outgoing-submit").click()
    expect(page.get_by_test_id("document-status")).to_have_attribute("data-status", "draft")
    answer_url = page.url

    # Finance's clerk numbers and issues it.
    log_in(page, base, "vanthu.stc")
    page.goto(answer_url)
    page.get_by_test_id("issue-form").locator("[name=issue-signer_name]").fill("Trần Thị B")
    page.get_by_test_id("issue-submit").click()
    expect(page.get_by_test_id("document-code")).to_have_text("01/STC-VP")
    expect(page.get_by_test_id("reply-to")).to_contain_text("405/QĐ-BKHCN")

    # The leader sees it answered and closes the task citing the answer.
    log_in(page, base, "lanhdao")
    page.goto(document_url)
    expect(page.get_by_test_id("document-status")).to_have_attribute("data-status", "answered")
    page.get_by_test_id("task-close-submit").click()
    expect(page.get_by_test_id("programme-task")).to_contain_text("01/STC-VP")
    page.get_by_test_id("programme-task").locator("a").click()
    expect(page.get_by_test_id("task-output")).to_contain_text("01/STC-VP")

    # Both registers show the pair.
    log_in(page, base, "vanthu")
    page.goto(f"{base}/documents/registers/incoming/?unit=56")
    row = page.get_by_test_id("register").locator("tbody tr").first
    expect(row).to_contain_text("405/QĐ-BKHCN")
    expect(row.get_by_test_id("pair")).to_contain_text("01/STC-VP")
    log_in(page, base, "vanthu.stc")
    page.goto(f"{base}/documents/registers/outgoing/?unit=56.STC")
    row = page.get_by_test_id("register").locator("tbody tr").first
    expect(row).to_contain_text("01/STC-VP")
    expect(row.get_by_test_id("pair")).to_contain_text("405/QĐ-BKHCN")


def test_the_document_office_fits_a_phone(chromium: Any, live_server: Any,
                                          office: dict[str, Any]) -> None:
    from tests.browser.test_narrow import PHONE, check
    from tests.factories import incoming_fields
    from tinhso.accounts.models import User
    from tinhso.documents import services

    clerk = User.objects.get(username="vanthu")
    document = services.incoming_register(actor=clerk, unit=clerk.unit, **incoming_fields(
        subject="Về việc triển khai Bộ chỉ số chuyển đổi số cấp tỉnh năm 2026 (thử) " * 3))
    context = chromium.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True,
                                   has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        base = live_server.url
        log_in(phone, base, "vanthu")
        for path in ("/documents/", f"/documents/{document.pk}/", "/documents/incoming/new/",
                     "/documents/outgoing/new/", "/documents/registers/incoming/?unit=56",
                     "/documents/registers/outgoing/?unit=56", "/documents/overdue/"):
            check(phone, base + path)
    finally:
        context.close()
