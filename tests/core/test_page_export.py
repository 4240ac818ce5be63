"""?export=xlsx and ?export=pdf on the demo's pages: the page as its user sees it, as a file
(core.page_export). Headers in the page's language, typed cells, the header frozen; a page the
user may not see gives no file either; the API and files pass untouched; and every page the
language test reaches that shows a table answers a valid workbook."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from pypdf import PdfReader

from tests.helpers import demo_for_module
from tests.web.test_language import READERS, Page, pages_with_arguments, pages_without_arguments
from tinhso.accounts.models import User
from tinhso.core.page_print import print_html
from tinhso.core.table_export import page_tables

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATISTICS = "/services/statistics/"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """The demo's data for the whole module, rolled back after it (each test runs in a
    savepoint inside); its files in a temporary directory."""
    with demo_for_module(django_db_blocker, tmp_path_factory, "export", TINHSO_REQUIRE_2FA=False):
        yield


def client(who: str = "", language: str = "") -> Client:
    browser = Client()
    if language:
        browser.cookies["django_language"] = language
    if who:
        browser.force_login(User.objects.get(username=who))
    return browser


def workbook(response: Any) -> Workbook:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def header_row(ws: Any, first: str) -> int:
    return next(r for r in range(1, 10) if ws.cell(r, 1).value == first)


def sheet_with(book: Workbook, first: str) -> Any:
    """The sheet whose header starts with the column ``first``."""
    return next(ws for ws in book.worksheets
                if any(ws.cell(r, 1).value == first for r in range(1, 10)))


def test_the_statistics_page_as_excel_has_vietnamese_headers_and_typed_cells(demo: None) -> None:
    response = client().get(STATISTICS, {"export": "xlsx"})
    book = workbook(response)
    assert "filename*=UTF-8''Th%E1%BB%91ng%20k%C3%AA" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith('attachment; filename="thong-ke')
    by_unit = sheet_with(book, "Đơn vị")
    top = header_row(by_unit, "Đơn vị")
    assert by_unit.cell(top, 2).value == "Đã tiếp nhận"
    assert by_unit.cell(top, 1).font.bold
    assert by_unit.freeze_panes == f"A{top + 1}"
    received, online = by_unit.cell(top + 1, 2), by_unit.cell(top + 1, 3)
    assert isinstance(received.value, int)
    assert isinstance(online.value, float) and 0 <= online.value <= 1
    assert online.number_format == "0.00%"
    assert "Thống kê dịch vụ công" in [by_unit.cell(r, 1).value for r in range(1, top)]


def test_an_english_page_gives_english_headers_and_reads_english_numbers(demo: None) -> None:
    book = workbook(client(language="en").get(STATISTICS, {"export": "xlsx"}))
    ws = sheet_with(book, "Unit")
    top = header_row(ws, "Unit")
    assert ws.cell(top, 2).value == "Received"
    assert isinstance(ws.cell(top + 1, 2).value, int)
    assert ws.cell(top + 1, 3).number_format == "0.00%"


def test_the_page_keeps_its_own_parameters(demo: None) -> None:
    browser = client(language="en")
    page = browser.get(STATISTICS, {"year": "2025"})
    book = workbook(browser.get(STATISTICS, {"year": "2025", "export": "xlsx"}))
    tables = page_tables(page.content.decode(), "en")
    assert len(book.worksheets) == len(tables)
    assert any("2025" in (ws.cell(1, 1).value or "") for ws in book.worksheets)


def test_a_page_without_a_table_answers_404_saying_so(demo: None) -> None:
    response = client().get(reverse("accounts:login"), {"export": "xlsx"})
    assert response.status_code == 404
    assert b"data-testid=\"error-message\"" in response.content
    assert b"Excel" in response.content


def test_an_unknown_format_answers_404(demo: None) -> None:
    assert client().get(STATISTICS, {"export": "docx"}).status_code == 404


def test_a_visitor_is_sent_to_log_in_as_for_the_page(demo: None) -> None:
    page = client().get("/me/")
    export = client().get("/me/", {"export": "xlsx"})
    assert page.status_code == export.status_code == 302
    assert export["Location"].startswith(reverse("accounts:login"))


def test_a_page_the_user_may_not_see_gives_no_file(demo: None) -> None:
    url = reverse("audit:list")
    page = client("congdan").get(url)
    export = client("congdan").get(url, {"export": "xlsx"})
    assert page.status_code == 403
    assert export.status_code == 403
    assert export["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in export
    reader = first_reader(Page(url))
    assert reader is not None, "someone in the demo reads the audit log"
    assert workbook(reader[0].get(url, {"export": "xlsx"})).worksheets


def test_the_api_files_and_posts_pass_untouched(demo: None) -> None:
    api = client().get("/api/v1/procedures", {"export": "xlsx"})
    assert not api.get("Content-Type", "").startswith(XLSX)
    template = client("dieuphoi").get(reverse("programme:appendix_template"))
    exported = client("dieuphoi").get(reverse("programme:appendix_template"), {"export": "pdf"})
    assert exported["Content-Type"] == template["Content-Type"] == XLSX  # the file, not a PDF
    assert exported["Content-Disposition"] == template["Content-Disposition"]
    post = client().post(reverse("dossiers:lookup") + "?export=xlsx", {"code": "x"})
    assert post["Content-Type"].startswith("text/html")


def pdf_text(response: Any) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:8] in (b"%PDF-1.4", b"%PDF-1.5", b"%PDF-1.6", b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("url", "who", "expected"), [
    ("/", "", "Khánh Hòa"),
    ("/me/", "lanhdao", "Tổng quan toàn tỉnh"),
    (STATISTICS, "", "Thống kê dịch vụ công"),
    ("/rankings/", "", "Xếp hạng"),
])
def test_dashboards_as_pdf_are_vietnamese_without_the_menus(demo: None, url: str, who: str,
                                                            expected: str) -> None:
    response = client(who).get(url, {"export": "pdf"})
    text = pdf_text(response)
    assert expected in text
    assert "Đăng xuất" not in text and "Đăng nhập" not in text  # the site's header is gone
    reader = PdfReader(io.BytesIO(response.content))
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = described["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor or \
            "/FontFile" in descriptor, font["/BaseFont"]


def test_a_chart_s_figures_are_in_the_pdf(demo: None) -> None:
    text = pdf_text(client().get(STATISTICS, {"export": "pdf"}))
    assert "Hồ sơ của Khánh Hòa theo tháng" in text  # the table behind the chart
    assert "01/2026" in text or "Tháng" in text
    # and the chart itself, drawn on the server from the figures the page gives Chart.js
    printed = print_html(client().get(STATISTICS).content.decode(), "")
    assert 'class="print-chart"' in printed and "<canvas" not in printed


# --- the walk -----------------------------------------------------------------------------


def first_reader(page: Page) -> tuple[Client, str] | None:
    for who in ((page.reader,) if page.reader else ("", *READERS)):
        browser = client(who)
        response = browser.get(page.url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            return browser, response.content.decode()
    return None


def test_every_page_with_a_table_answers_a_workbook(demo: None) -> None:
    pages = {name: Page(url) for name, url in pages_without_arguments().items()}
    pages.update({name: page for name, page in pages_with_arguments().items() if not page.post})
    failures, exported = [], 0
    for name, page in sorted(pages.items()):
        got = first_reader(page)
        if got is None:
            continue
        browser, html = got
        tables = page_tables(html)
        joiner = "&" if "?" in page.url else "?"
        response = browser.get(f"{page.url}{joiner}export=xlsx")
        if not tables:
            if response.status_code != 404:
                failures.append(f"{name}: no table, answered {response.status_code}")
            continue
        try:
            book = workbook(response)
        except Exception as error:  # every page's failure is listed, not the first only
            failures.append(f"{name} {page.url}: {error!r}")
            continue
        exported += 1
        if len(book.worksheets) != len(tables):
            failures.append(f"{name}: {len(book.worksheets)} sheets for {len(tables)} tables")
    assert not failures, "\n".join(failures)
    assert exported >= 20, exported


def test_a_page_too_long_to_print_answers_400_pointing_to_excel(demo: None,
                                                                monkeypatch: Any) -> None:
    monkeypatch.setattr("tinhso.core.page_export.MAX_PDF_ROWS", 3)
    response = client().get(STATISTICS, {"export": "pdf"})
    assert response.status_code == 400
    assert b"Excel" in response.content
    assert client().get(STATISTICS, {"export": "xlsx"}).status_code == 200
