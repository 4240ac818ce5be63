"""Every demo account signs in and lands on its own page, which shows first what needs that
person today; the first item leads to the page where it is done. At 390 px the page does not
scroll sideways. The demo as ``tinhso demo`` loads it, nothing added: it gives each account its
work of the load day (``tinhso.demo.work``)."""

from __future__ import annotations

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
    """The demo, as loaded by ``tinhso demo``."""
    from tinhso.accounts.permissions import SYSTEM  # local: Django is set up by then
    from tinhso.demo.loader import demo_load  # local: Django is set up by then

    demo_load(actor=SYSTEM)


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
    # The chart script is deferred: wait for it to load and draw every chart (a time-out here
    # means a chart never drawn), rather than look once while it may still be on its way.
    page.wait_for_function("typeof Chart !== 'undefined' && Array.from(document"
                           ".querySelectorAll('canvas[data-chart]'))"
                           ".every(c => Chart.getChart(c) !== undefined)")
    rank = page.get_by_test_id("dti-rank")
    expect(rank).to_contain_text("16/34")
    with page.expect_navigation():
        rank.get_by_test_id("dti-gap-link").click()
    assert page.url.endswith("/rankings/dti-province-922/2022/56/")
    page.wait_for_load_state("networkidle")  # nothing still asked of the server at teardown
