"""The Content-Security-Policy in a real browser (issue 13, item 12): the main pages work under
it and the browser blocks nothing on them.

Chromium opens the home page, the services search, a dossier form (its agency search is htmx),
a leader's landing page with its charts, the what-if page (typing a target rank, in and out of
the field: the 400 answer is shown by site.js now that htmx may not eval an ``hx-on``), a
ranking, the programme's timeline (bars placed from data attributes) and the API's
documentation. Each answer must carry the strict policy (tests/web/test_csp.py says which), and
the browser must report no violation: neither a ``securitypolicyviolation`` event in the page
nor a "Refused to ..." message in the console, nor a script error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.web.test_csp import policy_faults

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "tinhso-demo-2026"
# Installed before any script of each page: every violation the page sees is kept.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


class Browser:
    """A page that remembers what the browser refused and which scripts failed."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base
        self.refused: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.refused.append(f"script error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:
            self.refused.append(f"console: {text}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        faults = policy_faults(response.headers.get("content-security-policy"))
        assert faults == [], f"{path}: {faults}"

    def check(self, where: str) -> None:
        """No violation on the page as it is now."""
        self.page.wait_for_load_state("networkidle")
        seen = self.page.evaluate("window.__cspViolations || []")
        assert seen == [] and self.refused == [], f"{where}: {seen + self.refused}"

    def sign_in(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.open("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.get_by_test_id("login-submit").click()
        expect(self.page.get_by_test_id("user-name")).to_be_visible()


def charts_drawn(page: Page) -> int:
    """The charts drawn, once the deferred chart script has drawn at least one (a time-out
    here: none ever drawn)."""
    page.wait_for_function(
        "typeof Chart !== 'undefined' && Object.keys(Chart.instances).length > 0")
    return int(page.evaluate(
        "typeof Chart === 'undefined' ? 0 : Object.keys(Chart.instances).length"))


@pytest.fixture
def demo(reference_units: dict[str, Any]) -> dict[str, Any]:
    """The demo, as ``tinhso demo`` loads it; the latest year of the 922 DTI that ranked
    Khánh Hòa (2023's published ranking does not give its place) and a
    procedure received by every commune (so that its form searches the agencies)."""
    from tinhso.accounts.permissions import SYSTEM  # local: Django is set up by then
    from tinhso.demo.loader import demo_load  # local: Django is set up by then
    from tinhso.procedures.models import Procedure  # local: Django is set up by then
    from tinhso.scoring.models import PublishedResult  # local: Django is set up by then

    demo_load(actor=SYSTEM)
    ranking = PublishedResult.objects.filter(framework="dti-province-922",
                                             unit__code="56").latest("year")
    procedure = Procedure.objects.get(name="Cấp Giấy xác nhận tình trạng hôn nhân")
    return {"year": ranking.year, "procedure": procedure.code}


def test_the_main_pages_work_under_the_policy_and_the_browser_blocks_nothing(
        page: Page, live_server: Any, demo: dict[str, Any]) -> None:
    browser = Browser(page, live_server.url)

    # The home page and its charts.
    browser.open("/")
    expect(page.locator("canvas").first).to_be_visible()
    assert charts_drawn(page) > 0
    browser.check("home")

    # The services search (a plain form) finds a procedure without diacritics.
    browser.open("/services/")
    search = page.locator("input[name=q]").first
    search.fill("xac nhan tinh trang hon nhan")
    search.press("Enter")
    expect(page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân")).to_be_visible()
    browser.check("services search")

    # A dossier form: the agency search (htmx) shortens the list; Enter there submits nothing.
    browser.sign_in("congdan")
    submit = f"/dossiers/submit/{demo['procedure']}/"
    browser.open(submit)
    agencies = page.locator("#id_unit option")
    before = agencies.count()
    page.get_by_test_id("agency-search").fill("nha trang")
    expect(page.locator("#id_unit")).to_contain_text("Nha Trang")
    expect(agencies).not_to_have_count(before)
    assert agencies.count() < before
    page.get_by_test_id("agency-search").press("Enter")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + submit
    expect(page.get_by_test_id("submit-form").locator("[aria-invalid=true]")).to_have_count(0)
    browser.check("dossier form")

    # A leader's landing page draws its charts.
    browser.sign_in("lanhdao")
    browser.open("/me/")
    expect(page.locator("canvas").first).to_be_visible()
    assert charts_drawn(page) > 0
    browser.check("leader's landing page")

    # The what-if page: a rank typed updates the gap; one outside the field shows the reason.
    browser.open(f"/rankings/dti-province-922/{demo['year']}/56/")
    rank = page.locator("input[name=rank]")
    rank.fill("1")
    expect(page.locator("#gap-heading")).to_contain_text(re.compile(r"\b1/\d+"))
    expect(page.get_by_test_id("score-to-beat")).to_be_visible()
    rank.fill("999")
    expect(page.get_by_test_id("rank-error")).to_be_visible()
    expect(page.get_by_test_id("score-to-beat")).to_have_count(0)
    ranges = page.locator("[data-testid=robustness] .range")
    assert ranges.count() > 0
    assert ranges.first.evaluate("e => e.style.width") == \
        f"{ranges.first.get_attribute('data-width')}%"
    assert charts_drawn(page) > 0  # the radar
    browser.check("what-if")
    page.go_back()  # htmx restores the page it kept: the bars are placed again, nothing refused
    expect(page.get_by_test_id("score-to-beat")).to_be_visible()
    assert ranges.first.evaluate("e => e.style.width") == \
        f"{ranges.first.get_attribute('data-width')}%"
    browser.check("what-if, back")

    # A ranking: each bar as wide as its score says.
    browser.open(f"/rankings/dti-province-922/{demo['year']}/")
    bar = page.locator(".bar").first
    assert bar.evaluate("e => e.getBoundingClientRect().width") > 10
    browser.check("ranking")

    # The programme's timeline: the bars and today's line are placed.
    browser.sign_in("dieuphoi")
    browser.open("/programme/timeline/")
    first = page.locator(".gantt-bar").first
    assert first.evaluate("e => e.style.left") == f"{first.get_attribute('data-left')}%"
    track = page.locator(".gantt-inner").evaluate("e => e.getBoundingClientRect().left")
    today = page.get_by_test_id("today-line").evaluate("e => e.getBoundingClientRect().left")
    label = page.locator(".gantt-label").first.evaluate("e => e.getBoundingClientRect().width")
    assert today > track + label  # after the names, not at the chart's left edge
    browser.check("timeline")

    # The API's documentation (Swagger UI from django-ninja's own files).
    browser.open("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    browser.check("API documentation")
