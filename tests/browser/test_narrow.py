"""Every main page on a phone (390 x 844): the page never scrolls sideways; a wide table scrolls
in its own container, which says so (issue 12, point 6)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "tinhso-demo-2026"


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo data, committed for real: the live server reads it in its own thread."""
    from django.core.management import call_command

    call_command("demo", "--quiet-accounts", verbosity=0)


@pytest.fixture
def phone(chromium: Any) -> Any:
    context = chromium.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True,
                                   has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def public_pages() -> list[str]:
    from tinhso.procedures.models import Procedure
    from tinhso.scoring.models import PublishedResult

    procedure = Procedure.objects.order_by("code").first()
    result = PublishedResult.objects.select_related("unit").order_by("year", "rank").first()
    assert procedure is not None and result is not None
    return ["/", "/services/", f"/services/{procedure.code}/", "/services/statistics/",
            "/services/statistics/?unit=22366", "/indicators/", "/indicators/dti_rank/",
            "/rankings/", f"/rankings/{result.framework}/{result.year}/",
            f"/rankings/{result.framework}/{result.year}/{result.unit.code}/", "/units/"]


def widths(page: Any) -> dict[str, int]:
    return page.evaluate("""() => ({
        page: document.documentElement.scrollWidth,
        widest: Math.max(0, ...[...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.table-scroll'))
            .map(e => Math.ceil(e.getBoundingClientRect().right))),
    })""")


def check(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    got = widths(page)
    assert got["page"] <= PHONE["width"] + 1, (url, got)
    # Every table sits in a container that scrolls by itself; one wider than the screen says so.
    tables = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
        const box = t.closest('.table-scroll');
        const hint = box && box.querySelector(':scope > .table-scroll-hint');
        return {boxed: !!box, wide: !!box && box.scrollWidth > box.clientWidth + 1,
                hint: !!hint && getComputedStyle(hint).display !== 'none' && hint.textContent};
    })""")
    for table in tables:
        assert table["boxed"], (url, tables)
        if table["wide"]:
            assert table["hint"], (url, tables)


def test_main_pages_fit_a_phone(live_server: Any, demo: None, phone: Any) -> None:
    base = live_server.url
    for path in public_pages():
        check(phone, base + path)
    # The programme is the staff's: log in as the demo coordinator.
    phone.goto(f"{base}/accounts/login/")
    phone.fill("#id_username", "dieuphoi")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.get_by_test_id("login-submit").click()
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in ("/programme/", "/units/"):
        check(phone, base + path)


def test_a_wide_table_says_to_scroll_sideways(live_server: Any, demo: None, phone: Any) -> None:
    phone.goto(live_server.url + "/services/statistics/")
    box = phone.locator(".table-scroll", has=phone.get_by_test_id("units-table"))
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    hint = box.locator(".table-scroll-hint")
    assert hint.is_visible() and hint.inner_text().strip()
    # The page itself stays put: scrolling the table moves the table only.
    box.evaluate("b => { b.scrollLeft = 200; }")
    assert phone.evaluate("() => window.scrollX") == 0
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"] + 1
