"""Issue 5's path in Chromium: a citizen submits a dossier online, the commune's officer asks
for a supplement, the citizen answers, the officer approves and returns the result, the citizen
rates it; the statistics page's online and on-time rates and the commune's 766 score move."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-2026!"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def one_stop(reference_units: dict[str, Any]) -> dict[str, Any]:
    """The catalogue, a citizen, the officer of Phường Nha Trang, and one earlier dossier of
    that commune received in person and resolved late (so both rates start at 0 %)."""
    from tinhso.accounts.models import RoleAssignment, User
    from tinhso.procedures.loaders import procedures_load
    from tinhso.procedures.models import Procedure
    from tinhso.procedures.services import Applicant, dossier_approve, dossier_receive

    procedures_load()
    commune = reference_units["22366"]
    citizen = User.objects.create_user(username="congdan", password=PASSWORD, kind="citizen",
                                       first_name="Nguyễn Văn", last_name="An")
    officer = User.objects.create_user(username="motcua", password=PASSWORD, kind="staff",
                                       unit=commune)
    RoleAssignment.objects.create(user=officer, role="officer", unit=commune)
    now = timezone.localtime()
    earlier = dossier_receive(
        actor=officer, procedure=Procedure.objects.get(name="Chứng thực chữ ký"), unit=commune,
        channel="in_person", applicant=Applicant("Trần Thị C", "0912345678"), form_data={},
        now=datetime(now.year, 1, 2, 9, 0, tzinfo=now.tzinfo))
    dossier_approve(actor=officer, dossier=earlier, now=datetime(now.year, 1, 9, 9, 0,
                                                                 tzinfo=now.tzinfo))
    return {"citizen": citizen, "officer": officer}


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def open_action(page: Page, action: str) -> Any:
    """The desk shows each action folded: unfold it and return its form."""
    page.locator(f"#act-{action} > summary").click()
    return page.get_by_test_id(f"act-{action}")


def figures(page: Page, base: str) -> dict[str, float]:
    """The commune's statistics page, read in either language (64,06 % or 64.06 %)."""
    page.goto(f"{base}/services/statistics/?unit=22366")
    shown = {key: page.get_by_test_id(key).locator(".big").inner_text()
             for key in ("stat-online", "stat-on-time", "stat-766")}
    return {key: float(re.sub(r"[^\d,.]", "", text).replace(",", "."))
            for key, text in shown.items()}


def test_submit_supplement_answer_approve_return_rate_and_the_figures_move(
        page: Page, live_server: Any, one_stop: dict[str, Any], tmp_path: Any) -> None:
    base = live_server.url
    page.set_default_timeout(30_000)  # a loaded CI machine runs both databases' suites
    before = figures(page, base)
    assert before["stat-online"] == 0 and before["stat-on-time"] == 0

    # The citizen finds the procedure without diacritics and submits it online.
    log_in(page, base, "congdan")
    page.goto(f"{base}/services/?q=xac+nhan+tinh+trang+hon+nhan")
    page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân").click()
    page.get_by_test_id("submit-online").click()
    form = page.get_by_test_id("submit-form")
    form.locator("#id_applicant_phone").fill("0905 123 456")
    form.locator("#id_unit").select_option(label="Phường Nha Trang")
    form.locator("[name='form.purpose']").fill("Kết hôn")
    document = tmp_path / "to-khai.pdf"
    document.write_bytes(PDF)
    form.locator("input[type=file]").first.set_input_files(str(document))
    form.get_by_role("button", name="Submit the dossier").click()
    page.wait_for_url(re.compile(r"/dossiers/22366-\d{6}-\d{4}/"))
    code = page.get_by_test_id("dossier-code").inner_text().strip()
    assert re.fullmatch(r"22366-\d{6}-\d{4}", code)
    expect(page.get_by_test_id("dossier-status")).to_contain_text("Received")

    # The officer asks for a supplement: the clock stops.
    log_in(page, base, "motcua")
    page.goto(f"{base}/desk/")
    expect(page.get_by_test_id("queue-table")).to_contain_text(code)
    page.goto(f"{base}/desk/{code}/")
    supplement = open_action(page, "request_supplement")
    supplement.locator("[name=reason]").fill("Bổ sung bản sao căn cước")
    supplement.locator("button[type=submit]").click()
    expect(page.get_by_test_id("dossier-status")).to_contain_text("Waiting for supplement")

    # The citizen answers.
    log_in(page, base, "congdan")
    page.goto(f"{base}/dossiers/{code}/")
    expect(page.get_by_test_id("supplement-request")).to_contain_text("căn cước")
    answer = page.get_by_test_id("supplement")
    answer.locator("[name=note]").fill("Đã bổ sung bản sao")
    answer.locator("[name=files]").set_input_files(str(document))
    answer.get_by_role("button", name="Send the supplement").click()
    expect(page.get_by_test_id("dossier-status")).to_contain_text("In processing")

    # The officer approves and returns the result as a file.
    log_in(page, base, "motcua")
    page.goto(f"{base}/desk/{code}/")
    open_action(page, "approve").locator("button[type=submit]").click()
    expect(page.get_by_test_id("dossier-status")).to_contain_text("Resolved")
    result = tmp_path / "giay-xac-nhan.pdf"
    result.write_bytes(PDF)
    returning = open_action(page, "return_result")
    returning.locator("[name=result]").set_input_files(str(result))
    returning.locator("button[type=submit]").click()
    expect(page.get_by_test_id("dossier-status")).to_contain_text("Result returned")

    # The citizen downloads the result and rates the service.
    log_in(page, base, "congdan")
    page.goto(f"{base}/dossiers/{code}/")
    expect(page.get_by_test_id("results")).to_contain_text("giay-xac-nhan.pdf")
    rating = page.get_by_test_id("rating")
    rating.locator("input[name=level][value='5']").check()
    rating.get_by_role("button", name="Send the rating").click()
    expect(page.get_by_test_id("rating")).to_contain_text("Very satisfied")

    # The commune's figures, computed from its two dossiers, moved.
    after = figures(page, base)
    assert after["stat-online"] == 50 and after["stat-on-time"] == 50
    assert after["stat-766"] > before["stat-766"]
    page.goto(f"{base}/")
    expect(page.get_by_test_id("home-online-rate")).to_contain_text("50.00")
