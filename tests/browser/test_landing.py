"""Every demo account signs in and lands on its own page, which shows first what needs that
person today; the first item leads to the page where it is done. At 390 px the page does not
scroll sideways.

The demo leaves three accounts with nothing to do (no value submitted for the approver, no
dossier of the citizen's or the business's own), the reporter with programme reports that depend
on the period, and the ward's desk with whatever its random dossiers give on the day: the
fixture adds one illustrative piece of work for each, through the services where there is
one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "tinhso-demo-2026"
ACCOUNTS = ["dieuphoi", "lanhdao", "baocao.stc", "pheduyet.stc", "motcua.nhatrang", "congdan",
            "doanhnghiep"]
# Where an item leads, and what that page shows to do it.
DONE_AT = {
    "/programme/tasks/": '[data-testid="task-title"]',
    "/indicators/values/": 'form[action$="/approve/"]',
    "/indicators/to-report/": '[data-testid="upload-form"]',
    "/indicators/rounds/": "table",
    "/rankings/self-assessment/": '[data-testid="verify"]',
    "/desk/": '[data-testid="dossier-code"]',
    "/dossiers/": '[data-testid="supplement"], [data-testid="results"], [data-testid="rating"]',
}


@pytest.fixture
def demo(reference_units: dict[str, Any]) -> None:
    """The demo, and the work it does not give some accounts (illustrative, as the demo is)."""
    from tests.factories import DossierFactory, IndicatorFactory, ProcedureFactory
    from tinhso.accounts.models import User
    from tinhso.accounts.permissions import SYSTEM
    from tinhso.demo.loader import demo_load
    from tinhso.indicators.rounds import round_open
    from tinhso.indicators.services import value_save
    from tinhso.units.models import Unit

    demo_load(actor=SYSTEM)
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    finance, ward = Unit.objects.get(code="56.STC"), Unit.objects.get(code="22366")
    indicator = IndicatorFactory(code="minh_hoa_ho_so_so_hoa", name="Hồ sơ được số hóa (minh họa)",
                                 reporting_levels=["department"])
    value_save(actor=users["baocao.stc"], indicator=indicator, unit=finance, period="2026",
               value=42, source="Sở Tài chính (minh họa)", submit=True)
    # A round the coordinator opens for Finance, so that the reporter has values to enter
    # whatever the day (the demo's programme reports depend on the period).
    asked = IndicatorFactory(code="minh_hoa_dich_vu_truc_tuyen", reporting_levels=["department"],
                             name="Dịch vụ công trực tuyến (minh họa)")
    round_open(actor=users["dieuphoi"], title="Thu thập số liệu (minh họa)", period="2026",
               deadline=date.today() + timedelta(days=10), indicators=[asked], units=[finance],
               owner_unit=Unit.objects.get(code="56"))
    DossierFactory(procedure=ProcedureFactory(level="commune"), unit=ward, is_illustrative=True)
    DossierFactory(online=True, paused_in_time=True, applicant=users["congdan"],
                   is_illustrative=True)
    DossierFactory(online=True, resolved_on_time=True, applicant=users["doanhnghiep"],
                   is_illustrative=True)


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def test_each_demo_account_lands_on_its_page_and_reaches_what_needs_it(
        page: Page, live_server: Any, demo: None) -> None:
    base = live_server.url
    for username in ACCOUNTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, base, username)
        assert page.url == f"{base}/me/", username
        today = page.get_by_test_id("today")
        first = today.get_by_test_id("need-item").first
        expect(first).to_be_visible()
        href = first.get_attribute("href") or ""
        with page.expect_navigation() as navigation:
            first.click()
        assert navigation.value is not None and navigation.value.status == 200, (username, href)
        assert page.url.split("#")[0] == f"{base}{href}".split("#")[0], username
        marker = next(m for prefix, m in DONE_AT.items() if href.startswith(prefix))
        expect(page.locator(marker).first).to_be_visible()
        # On a phone: the landing page does not scroll sideways.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/me/")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{username}: the page is {width} px wide at 390 px"
    page.wait_for_load_state("networkidle")


def test_the_leaders_charts_are_drawn_with_their_tables(page: Page, live_server: Any,
                                                        demo: None) -> None:
    sign_in(page, live_server.url, "lanhdao")
    charts = page.locator("canvas[data-chart]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3  # the DTI rank, the late tasks, the services' quality
    drawn = page.evaluate("Array.from(document.querySelectorAll('canvas[data-chart]'))"
                          ".every(c => Chart.getChart(c) !== undefined)")
    assert drawn
    rank = page.get_by_test_id("dti-rank")
    expect(rank).to_contain_text("16/34")
    with page.expect_navigation():
        rank.get_by_test_id("dti-gap-link").click()
    assert page.url.endswith("/rankings/dti-province-922/2022/56/")
    page.wait_for_load_state("networkidle")  # nothing still asked of the server at teardown
