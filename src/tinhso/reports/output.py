"""The formats a report can be written in: each renderer module registers itself here
(``word.py``: .docx, ``excel.py``: .xlsx, ``pdf.py``: .pdf), imported from the app's ``ready()``.
Callers (the pages, the background job, ``tinhso reports make``) only call :func:`render`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tinhso.reports.document import Report


class FormatUnknown(ValueError):
    """A format nobody registered: the message names it and the formats there are."""


@dataclass(frozen=True)
class Format:
    code: str  # "docx"
    content_type: str
    render: Callable[[Report], bytes]


FORMATS: dict[str, Format] = {}


def register(code: str, content_type: str) -> Callable[[Callable[[Report], bytes]],
                                                       Callable[[Report], bytes]]:
    def add(render: Callable[[Report], bytes]) -> Callable[[Report], bytes]:
        FORMATS[code] = Format(code, content_type, render)
        return render
    return add


def format_of(code: str) -> Format:
    try:
        return FORMATS[code]
    except KeyError:
        raise FormatUnknown(_("Unknown format “%(code)s”: use one of %(known)s.") % {
            "code": code, "known": ", ".join(sorted(FORMATS))}) from None


def render(report: Report, code: str) -> bytes:
    """The report written in the format ``code`` (docx, xlsx, pdf)."""
    return format_of(code).render(report)
