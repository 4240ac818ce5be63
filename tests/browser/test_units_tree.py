"""A coordinator logs in, browses the units tree by date and switches language, in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def level_counts(page: Page) -> list[tuple[str, int]]:
    """The pills of [data-testid=level-counts] as (label, number), in level order."""
    pills = page.get_by_test_id("level-counts").locator(".pill")
    expect(pills.first).to_be_visible()
    counts = []
    for text in pills.all_inner_texts():
        label, _, number = text.rpartition(":")
        counts.append((label.strip(), int(re.sub(r"\D", "", number))))
    return counts


def province_count(page: Page) -> int:
    # The pills follow the levels' order (country, province, ...), whatever the language.
    counts = level_counts(page)
    assert counts[0][1] == 1, f"one country expected first: {counts}"
    return counts[1][1]


def test_login_units_tree_by_date_and_language_switch(
    page: Page,
    live_server: Any,
    coordinator: Any,
    coordinator_password: str,
) -> None:
    base = live_server.url
    html = page.locator("html")
    main_menu = page.locator("nav.main-nav")
    tree = page.get_by_test_id("unit-tree")

    # 1. Log in and land on "My page".
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(coordinator.username)
    page.locator("#id_password").fill(coordinator_password)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base}/me/")
    expect(page.get_by_test_id("user-name")).to_be_visible()
    expect(html).to_have_attribute("lang", "vi")

    # 2. The units tree, through the main menu, then on two dates either side of the merger.
    main_menu.locator('a[href="/units/"]').click()
    expect(page).to_have_url(f"{base}/units/")
    expect(tree).to_contain_text("Khánh Hòa")

    page.goto(f"{base}/units/?on=2022-01-01")
    expect(tree).to_contain_text("Ninh Thuận")
    expect(tree).to_contain_text("Thành phố Nha Trang")
    assert province_count(page) == 63

    page.goto(f"{base}/units/?on=2026-01-01")
    expect(tree).to_contain_text("Phường Nha Trang")
    expect(tree).not_to_contain_text("Ninh Thuận")
    assert province_count(page) == 34

    # 3. Switch to English; the choice is remembered on other pages; switch back.
    expect(html).to_have_attribute("lang", "vi")
    page.get_by_test_id("lang-en").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{base}/units/?on=2026-01-01")
    expect(main_menu.get_by_role("link", name="Units", exact=True)).to_be_visible()

    page.goto(f"{base}/")
    expect(html).to_have_attribute("lang", "en")
    expect(main_menu.get_by_role("link", name="Units", exact=True)).to_be_visible()

    page.get_by_test_id("lang-vi").click()
    expect(html).to_have_attribute("lang", "vi")
    expect(page).to_have_url(f"{base}/")

    # 4. Screenshots of the tree for humans to look at (not asserted).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/units/")
    expect(tree).to_contain_text("Khánh Hòa")
    page.screenshot(path="/tmp/units-phone.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/units/")
    expect(tree).to_contain_text("Khánh Hòa")
    page.screenshot(path="/tmp/units-desktop.png", full_page=True)
