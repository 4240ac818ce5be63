"""Issue 3's path in Chromium: a coordinator defines an indicator with a target and opens a
round; a unit reporter fills the Excel template and uploads it; an approver approves; the
indicator's chart moves. A bad upload lists its problems and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-2026!"


@pytest.fixture
def people(reference_units: dict[str, Any]) -> dict[str, Any]:
    from tinhso.accounts.models import RoleAssignment, User

    u = reference_units
    made = {}
    for username, unit, role, scope in [("dieuphoi", "56.SKHCN", "coordinator", "56"),
                                        ("baocao", "56.STC", "unit_reporter", "56.STC"),
                                        ("pheduyet", "56.STC", "approver", "56.STC")]:
        user = User.objects.create_user(username=username, password=PASSWORD, kind="staff",
                                        unit=u[unit])
        RoleAssignment.objects.create(user=user, role=role, unit=u[scope])
        made[username] = user
    return made


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def test_define_open_fill_upload_approve_and_see_the_chart_move(
        page: Page, live_server: Any, people: dict[str, Any], tmp_path: Any) -> None:
    base = live_server.url
    # The coordinator defines the indicator with its 2027 target...
    log_in(page, base, "dieuphoi")
    page.goto(f"{base}/indicators/new/")
    form = page.get_by_test_id("indicator-form")
    form.locator("#id_code").fill("paperless_rate")
    form.locator("#id_name").fill("Tỷ lệ họp không giấy")
    form.locator("#id_measure").select_option("percent")
    form.locator("#id_aggregation").select_option("average")
    form.locator("input[name=reporting_levels][value=department]").check()
    form.locator("#id_target_year").fill("2027")
    form.locator("#id_target_value").fill("90")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("indicator-name")).to_have_text("Tỷ lệ họp không giấy")
    expect(page.get_by_test_id("target-line")).to_contain_text("90")
    # ... and opens a round for the Department of Finance.
    page.goto(f"{base}/indicators/rounds/new/")
    round_form = page.get_by_test_id("round-form")
    round_form.locator("#id_title").fill("Báo cáo năm 2026")
    round_form.locator("#id_period").fill("2026")
    round_form.locator("#id_deadline").fill("2026-12-31")
    round_form.get_by_label("paperless_rate", exact=False).check()
    round_form.locator("#id_units").fill("56.STC")
    round_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("round-board")).to_contain_text("Sở Tài chính")

    # The reporter downloads the template, fills it in and uploads it.
    log_in(page, base, "baocao")
    page.goto(f"{base}/indicators/to-report/")
    with page.expect_download() as download:
        page.get_by_test_id("template-56.STC").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    assert sheet["A2"].value == "paperless_rate" and sheet["D2"].value == "56.STC"
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,unit,period,value\npaperless_rate,56.STC,2026,140\n"
                   "paperless_rate,56.SYT,2026,50\n", encoding="utf-8")
    upload = page.get_by_test_id("upload-form").first
    upload.locator("input[type=file]").set_input_files(str(bad))
    upload.locator("button[type=submit]").click()
    errors = page.get_by_test_id("upload-errors")
    expect(errors.locator("tbody tr")).to_have_count(2)
    from tinhso.indicators.models import IndicatorValue

    assert not IndicatorValue.objects.exists()  # the bad file changed nothing
    sheet["G2"] = 72.5
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    page.goto(f"{base}/indicators/to-report/")
    upload = page.get_by_test_id("upload-form").first
    upload.locator("input[type=file]").set_input_files(str(filled))
    upload.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_contain_text("1")

    # The approver approves; the chart now has the value.
    log_in(page, base, "pheduyet")
    page.goto(f"{base}/indicators/review/")
    page.locator("[data-testid^=approve-]").first.click()
    expect(page.get_by_test_id("review-table").locator("tbody tr")).to_have_count(1)
    page.goto(f"{base}/indicators/paperless_rate/?unit=56")
    expect(page.get_by_test_id("series-table")).to_contain_text("72,5")
    expect(page.locator("#series-chart")).to_be_visible()
    page.wait_for_function("typeof Chart !== 'undefined' && !!Chart.getChart('series-chart')")
    labels, points = page.evaluate(
        "(() => { const c = Chart.getChart('series-chart');"
        " return [c.data.labels, c.data.datasets[0].data]; })()")
    assert labels == ["2026", "2027"]  # one place per year, up to the target's
    assert points == [72.5, None]


def test_what_if_updates_the_gap_at_once(page: Page, live_server: Any,
                                         reference_units: dict[str, Any]) -> None:
    from django.core.management import call_command

    call_command("demo", "--quiet-accounts", verbosity=0)
    page.goto(f"{live_server.url}/rankings/dti-province-922/2022/56/")
    expect(page.get_by_test_id("score-to-beat")).to_have_text("0,6077")
    expect(page.get_by_test_id("plan")).to_be_visible()
    page.locator("input[name=v_chinh_quyen_so]").fill("0.92")  # no button pressed
    expect(page.get_by_test_id("current-score")).to_have_text("0,6085")
    expect(page.get_by_test_id("plan")).to_have_count(0)


def test_every_target_rank_typed_in_the_browser_gets_its_own_answer(
        page: Page, live_server: Any, reference_units: dict[str, Any]) -> None:
    """The leader types a target rank: the results follow the field (never a hidden 500 with
    the previous rank's results left on screen), and a rank outside the field says why."""
    from django.core.management import call_command

    call_command("demo", "--quiet-accounts", verbosity=0)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 500 else None)
    page.goto(f"{live_server.url}/rankings/dti-province-922/2022/56/")
    heading = page.locator("#gap-heading")
    for rank in range(1, 64):
        page.locator("input[name=rank]").fill(str(rank))
        expect(heading).to_contain_text(f"{rank}/63")
        expect(page.get_by_test_id("score-to-beat")).to_be_visible()
    for wrong in ("64", "0"):  # the server says why, in the results, instead of old results
        page.locator("input[name=rank]").fill(wrong)
        expect(page.get_by_test_id("rank-error")).to_contain_text("63")
        expect(page.get_by_test_id("score-to-beat")).to_have_count(0)
    assert failed == []
