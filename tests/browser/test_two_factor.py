"""A coordinator (who must sign in with a second factor) sets up an authenticator after the
password, keeps the recovery codes, logs out and signs in again with a code, in Chromium; the
QR code shows under the Content-Security-Policy (an image, no script)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def code(secret: str, ahead: int = 0) -> str:
    """What the authenticator app shows for this base32 secret (``ahead`` steps later)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key, t0=-30 * ahead):06d}"


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_enrol_then_sign_in_with_a_code(page: Page, live_server: Any, settings: Any,
                                        coordinator: Any, coordinator_password: str) -> None:
    settings.TINHSO_REQUIRE_2FA = True
    base = live_server.url
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)

    # 1. The password alone leads to enrolment, not to the staff's pages.
    log_in(page, base, coordinator.username, coordinator_password)
    expect(page).to_have_url(f"{base}/accounts/two-factor/enrol/?next=/me/")
    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code shows"
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.goto(f"{base}/programme/")
    expect(page).to_have_url(f"{base}/accounts/two-factor/enrol/?next=/programme/")

    # 2. A code from the app confirms it; ten recovery codes, shown once.
    page.locator("#id_code").fill(code(secret))
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_test_id("codes-done").click()
    expect(page).to_have_url(f"{base}/programme/")

    # 3. Log out, sign in again: the password, then a code.
    page.locator('form[action="/accounts/logout/"] button').first.click()
    log_in(page, base, coordinator.username, coordinator_password)
    expect(page).to_have_url(f"{base}/accounts/two-factor/verify/?next=/me/")
    page.locator("#id_code").fill("000000" if code(secret, 1) != "000000" else "111111")
    page.get_by_test_id("code-submit").click()
    expect(page.get_by_test_id("code-error")).to_be_visible()
    page.wait_for_timeout(1100)  # the wait after one wrong code (1 s)
    page.locator("#id_code").fill(code(secret, ahead=1))
    page.get_by_test_id("code-submit").click()
    expect(page).to_have_url(f"{base}/me/")
    expect(page.get_by_test_id("user-name")).to_be_visible()
    assert not [m for m in refused if "Content Security Policy" in m], refused
