"""Any page as a download: ``?export=xlsx`` gives the page's tables as an Excel workbook,
``?export=pdf`` the page as PDF (a print layout: no menus, tables full width, A4).

The page is rendered by its own view for the user who asks, with the user's own permissions:
a page that user may not see answers as it would (a redirect to the log-in page, 403, 404),
and gives no file. Only a GET answered 200 with an HTML page is turned into a file; the API,
the files and everything else pass untouched. A page without a table answers 404 to
``?export=xlsx``, saying so. No domain import: the tables are read from the page's HTML
(``core.table_export``) and written as every export writes them (``core.xlsx_write``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.middleware import API_PREFIX
from tinhso.core.page_print import print_html
from tinhso.core.pdf import html_to_pdf
from tinhso.core.table_export import PageTable, page_tables, page_title
from tinhso.core.xlsx_write import (
    XLSX_CONTENT_TYPE,
    Sheet,
    add_sheets,
    new_workbook,
    workbook_bytes,
)

PARAM = "export"
FORMATS = ("xlsx", "pdf")
PRINT_CSS = Path(__file__).parent / "static" / "core" / "page-pdf.css"
SITE_SUFFIX = re.compile(r"\s+·\s+[^·]+$")  # "Thống kê · tỉnh số" -> "Thống kê"
KEPT_HEADERS = ("Cache-Control", "Vary", "Content-Language", "Expires")
# A page longer than this many table rows is not printed (setting it would hold a worker for
# long): its tables are offered as Excel instead.
MAX_PDF_ROWS = 3000


class PageExportMiddleware:
    """``?export=xlsx`` / ``?export=pdf`` on any page (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wanted = request.GET.get(PARAM) if request.method == "GET" else None
        if wanted is None or request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if wanted not in FORMATS:
            raise Http404(_("Unknown export format “%(format)s”: use xlsx or pdf.")
                          % {"format": wanted[:20]})
        _hide_parameter(request)
        response = self.get_response(request)
        if not is_html_page(response):
            return response  # a redirect to log in, a refusal, an error, a file: as it is
        html = response.content.decode(response.charset or "utf-8", errors="replace")
        lang = (getattr(request, "LANGUAGE_CODE", "") or "vi").split("-")[0]
        title = SITE_SUFFIX.sub("", page_title(html)) or request.path
        if wanted == "xlsx":
            content = page_workbook(html, title, request.build_absolute_uri(), lang)
            answer = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        else:
            answer = HttpResponse(page_pdf(html, request.build_absolute_uri()),
                                  content_type="application/pdf")
        answer["Content-Disposition"] = attachment(title, wanted)
        for name in KEPT_HEADERS:
            if name in response:
                answer[name] = response[name]
        answer.cookies = response.cookies
        return answer


def _hide_parameter(request: HttpRequest) -> None:
    """The view sees the page's own query (its filters), without ``export``."""
    query = request.GET.copy()
    query.pop(PARAM, None)
    request.GET = query  # type: ignore[assignment]  # a copy without the parameter
    request.META["QUERY_STRING"] = query.urlencode()


def is_html_page(response: HttpResponse) -> bool:
    return (response.status_code == 200 and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and "Content-Disposition" not in response)


def _exported_line(url: str) -> str:
    when = timezone.localtime().strftime("%H:%M %d/%m/%Y")
    return _("From %(url)s, exported at %(when)s") % {"url": url, "when": when}


def page_workbook(html: str, title: str, url: str, lang: str) -> bytes:
    """The page's tables, a sheet each: its name, where it comes from, the header frozen."""
    tables = page_tables(html, lang)
    if not tables:
        raise Http404(_("This page has no table to export to Excel."))
    book = new_workbook()
    add_sheets(book, [_sheet(table, i, title, url) for i, table in enumerate(tables, 1)])
    book.properties.title = title
    return workbook_bytes(book)


def _sheet(table: PageTable, index: int, title: str, url: str) -> Sheet:
    name = table.name or title or _("Table %(n)d") % {"n": index}
    lines = [name, title, _exported_line(url)] if name != title else [name,
                                                                     _exported_line(url)]
    return Sheet(name=name, header=table.header, rows=table.rows, spans=table.spans,
                 title_lines=lines)


def page_pdf(html: str, url: str) -> bytes:
    """The page printed: its own markup under the print stylesheet (``core/page-pdf.css``)."""
    if html.count("<tr") > MAX_PDF_ROWS:
        raise BadRequest(_("This page is too long to print as PDF (more than %(n)s table "
                           "rows): download it as Excel instead.") % {"n": MAX_PDF_ROWS})
    return html_to_pdf(print_html(html, _exported_line(url)), [PRINT_CSS])


def ascii_name(title: str) -> str:
    """"Thống kê dịch vụ công" -> "thong-ke-dich-vu-cong" (for old browsers' filename)."""
    plain = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()
    return slug[:80] or "tinhso"


def attachment(title: str, extension: str) -> str:
    """Content-Disposition with an ASCII name and the page's own title as UTF-8 (RFC 6266)."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip()[:120] or "tinhso"
    return (f'attachment; filename="{ascii_name(title)}.{extension}"; '
            f"filename*=UTF-8''{quote(f'{name}.{extension}')}")
