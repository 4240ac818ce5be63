"""HTML set as PDF by WeasyPrint, the same way for every export (a report, a page): fonts
embedded as subsets (fontconfig finds Times New Roman, Liberation or DejaVu, each with the whole
Vietnamese alphabet), PDF 1.7 (an electronic copy must be PDF 1.4 or later). No domain import.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

PDF_VERSION = "1.7"


def html_to_pdf(html: str, stylesheets: list[Path], base_url: str = "") -> bytes:
    """The HTML with the given stylesheets as PDF. Images must be inline (``data:``) or under
    ``base_url``; nothing is fetched from the network."""
    import weasyprint  # imported here: loading it costs time every page does not need

    sheets = [weasyprint.CSS(filename=str(path)) for path in stylesheets]
    # Inline images only: nothing is fetched from the network while a PDF is set, and no local
    # file is read because a page's markup names it.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=base_url or str(settings.BASE_DIR),
                               url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets, presentational_hints=True,  # type: ignore[no-any-return]
                              pdf_version=PDF_VERSION)
