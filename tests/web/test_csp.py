"""Content-Security-Policy and the other security headers (issue 13, item 12).

Every page the language walk reads (tests/web/test_language.py: every named page, and the main
pages with an object, each read by the first demo account who may see it) answers with a
Content-Security-Policy that allows scripts and styles from the site's own files only: no
'unsafe-inline', no 'unsafe-eval', no other origin. And no page carries what such a policy
blocks: no inline ``<script>`` (only JSON data blocks, which browsers do not run), no
``on...=`` handler, no htmx attribute that htmx would evaluate (``hx-on``, ``hx-vars``,
``js:``), no ``<style>`` element, no ``style=`` attribute. The API's documentation (Swagger UI,
served from ninja's own files) gets the same policy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.web.test_language import READERS, Page, pages_with_arguments, pages_without_arguments

pytestmark = pytest.mark.django_db

# Inline scripts a browser does not run: data for the page's own scripts (json_script).
DATA_SCRIPT_TYPES = {"application/json"}
# Attributes htmx evaluates as JavaScript (with eval, which the policy forbids).
HTMX_EVAL_ATTRIBUTES = ("hx-on", "hx-vars", "data-hx-on", "data-hx-vars")


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def policy_faults(header: str | None) -> list[str]:
    """What a Content-Security-Policy header lets through that it should not."""
    if not header:
        return ["no Content-Security-Policy header"]
    policy = directives(header)
    faults = []
    for kind in ("script-src", "style-src"):
        sources = policy.get(kind, policy.get("default-src"))
        if sources is None:
            faults.append(f"no {kind} nor default-src")
            continue
        allowed = {"'self'"} | ({"'strict-dynamic'"} if kind == "script-src" else set())
        faults += [f"{kind} allows {s}" for s in sources
                   if s not in allowed and not s.startswith("'nonce-")]
    for kind, wanted in (("object-src", ["'none'"]), ("frame-ancestors", ["'none'"]),
                         ("base-uri", ["'self'"]), ("form-action", ["'self'"]),
                         ("default-src", ["'self'"])):
        if policy.get(kind) != wanted:
            faults.append(f"{kind} is {policy.get(kind)}, not {wanted}")
    return faults


class InlineCode(HTMLParser):
    """What a page carries that a strict policy blocks: inline scripts and styles, handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline_script: str | None = None
        self.htmx_config: dict[str, Any] | None = None
        self.loads_htmx = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        shown = self.get_starttag_text() or tag
        if tag == "script":
            kind = values.get("type", "").strip().lower()
            if "src" in values:
                self.loads_htmx |= "htmx" in values["src"]
                if values["src"].startswith(("http:", "https:", "//")):
                    self.found.append(f"script from another origin: {shown}")
            elif kind not in DATA_SCRIPT_TYPES:
                self._inline_script = shown
        if tag == "style":
            self.found.append(f"<style> element: {shown}")
        if tag == "link" and "stylesheet" in values.get("rel", "") and \
                values.get("href", "").startswith(("http:", "https:", "//")):
            self.found.append(f"style sheet from another origin: {shown}")
        if tag == "meta" and values.get("name") == "htmx-config":
            self.htmx_config = json.loads(values.get("content") or "{}")
        for name, value in values.items():
            if name == "style":
                self.found.append(f"style attribute: {shown}")
            elif name.startswith("on") or name.startswith(HTMX_EVAL_ATTRIBUTES):
                self.found.append(f"inline handler {name}: {shown}")
            elif value.strip().lower().startswith(("javascript:", "js:")):
                self.found.append(f"JavaScript in {name}: {shown}")
            elif name in ("hx-trigger", "data-hx-trigger") and "[" in value:
                self.found.append(f"htmx trigger filter (evaluated): {shown}")

    def handle_data(self, data: str) -> None:
        if self._inline_script is not None and data.strip():
            self.found.append(f"inline script: {self._inline_script} {data.strip()[:60]!r}")
            self._inline_script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = None


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def test_the_checks_find_what_a_strict_policy_blocks() -> None:
    """The parser and the header check on their own: pages that must fail, one that passes."""
    bad = inline_code(
        '<script>alert(1)</script><script type="module">x()</script>'
        '<button onclick="go()">x</button><div hx-on::before-swap="x"></div>'
        '<a href="javascript:go()">x</a><p style="color: red">x</p><style>p {}</style>'
        '<input hx-trigger="keyup[key==\'Enter\']"><script src="https://cdn.example/x.js">'
        '</script>')
    assert len(bad.found) == 9, bad.found
    good = inline_code('<script src="/static/vendor/htmx/htmx.min.js" defer></script>'
                       '<script id="d" type="application/json">{"a": 1}</script>'
                       '<script src="/static/web/site.js"></script><p class="on">x</p>'
                       '<meta name="htmx-config" content=\'{"allowEval": false}\'>')
    assert good.found == [] and good.loads_htmx and good.htmx_config == {"allowEval": False}
    assert policy_faults(None) == ["no Content-Security-Policy header"]
    assert policy_faults("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                         "style-src 'self' 'unsafe-eval' https://cdn.example; "
                         "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
                         "form-action 'self'") == [
        "script-src allows 'unsafe-inline'", "style-src allows 'unsafe-eval'",
        "style-src allows https://cdn.example"]


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", "--quiet-accounts", verbosity=0)


def walked_pages() -> Iterator[tuple[str, str, Any]]:
    """(page, who read it, the response) for every page of the language walk."""
    # local: the demo's accounts, to sign in as each
    from tinhso.accounts.models import User

    pages = {name: Page(url) for name, url in pages_without_arguments().items()}
    pages.update(pages_with_arguments())
    for name, page in sorted(pages.items()):
        for reader in (page.reader,) if page.reader else ("", *READERS):
            client = Client()
            if reader:
                client.force_login(User.objects.get(username=reader))
            response = client.post(page.url, page.post) if page.post else client.get(page.url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                yield f"{name} {page.url}", reader or "visitor", response
                break


def test_every_page_has_a_strict_policy_and_no_inline_code(demo: None) -> None:
    faults, walked = [], 0
    for page, reader, response in walked_pages():
        walked += 1
        faults += [f"{page} [{reader}]: {f}"
                   for f in policy_faults(response.get("Content-Security-Policy"))]
        found = inline_code(response.content.decode())
        faults += [f"{page} [{reader}]: {f}" for f in found.found]
        if found.loads_htmx and (found.htmx_config or {}).get("allowEval") is not False:
            faults.append(f"{page} [{reader}]: htmx may eval (htmx-config allowEval not false)")
        if found.loads_htmx and (found.htmx_config or {}).get("includeIndicatorStyles") \
                is not False:
            faults.append(f"{page} [{reader}]: htmx injects its indicator <style>")
        if found.loads_htmx and (found.htmx_config or {}).get("historyCacheSize") != 0:
            faults.append(f"{page} [{reader}]: htmx keeps copies of pages, restored with "
                          "style attributes the policy refuses")
    assert walked >= 40, f"the walk read only {walked} pages"
    assert not faults, f"{len(faults)} fault(s):\n" + "\n".join(faults)


def test_the_api_documentation_has_the_same_policy(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert policy_faults(response.get("Content-Security-Policy")) == []
    assert inline_code(response.content.decode()).found == []


def test_other_security_headers_are_sent(client: Client) -> None:
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["X-Frame-Options"] == "DENY"


def settings_in_a_fresh_process(**env: str) -> dict[str, Any]:
    """The CSP settings as a process started with these environment variables reads them."""
    code = ("import json, tinhso.settings as s; print(json.dumps({k: getattr(s, k, None) for k "
            "in ('CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY')}, "
            "default=str))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_report_only_mode_and_report_address_come_from_the_environment() -> None:
    enforced = settings_in_a_fresh_process(TINHSO_CSP_REPORT_ONLY="", TINHSO_CSP_REPORT_URI="")
    assert enforced["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    assert "report-uri" not in enforced["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    trial = settings_in_a_fresh_process(TINHSO_CSP_REPORT_ONLY="true",
                                        TINHSO_CSP_REPORT_URI="https://csp.example.vn/r")
    assert trial["CONTENT_SECURITY_POLICY"] is None
    assert trial["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]["report-uri"] == [
        "https://csp.example.vn/r"]
