"""Which Word template a report is written with: the administrator's active replacement of
the layout, or the committed default."""

from __future__ import annotations

from tinhso.reports.document import Layout
from tinhso.reports.word_templates import default_template


def current_template(layout: Layout) -> bytes:
    return default_template(layout)
