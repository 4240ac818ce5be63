"""Which Word template a report is written with: the administrator's active replacement of
the layout, or the committed default (``reports/data/templates/``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tinhso.reports.document import Layout
from tinhso.reports.models import ReportTemplate, TemplateLayout
from tinhso.reports.word_templates import LAYOUTS, default_template


def current_template(layout: Layout) -> bytes:
    """The .docx bytes a report of ``layout`` is written with now."""
    row = (ReportTemplate.objects.filter(layout=layout, active=True)
           .values_list("content", flat=True).first())
    return bytes(row) if row is not None else default_template(layout)


@dataclass(frozen=True)
class TemplateState:
    """A layout as the templates page shows it."""

    layout: Layout
    label: str
    replaced: bool  # an uploaded template is in use
    name: str = ""
    size: int = 0
    uploaded_by: str = ""
    uploaded_at: datetime | None = None
    earlier: int = 0  # replacements uploaded before, no longer in use


def template_states() -> list[TemplateState]:
    """Each layout with the template it uses now."""
    labels = dict(TemplateLayout.choices)
    rows = {row.layout: row for row in ReportTemplate.objects.filter(active=True)
            .select_related("uploaded_by").defer("content")}
    counts: dict[str, int] = dict.fromkeys(LAYOUTS, 0)
    for layout in ReportTemplate.objects.filter(active=False).values_list("layout", flat=True):
        counts[layout] = counts.get(layout, 0) + 1  # three queries in all
    states = []
    for layout in LAYOUTS:
        row = rows.get(layout)
        if row is None:
            states.append(TemplateState(layout, str(labels[layout]), False, earlier=counts[layout]))
            continue
        by = row.uploaded_by.get_username() if row.uploaded_by else ""
        states.append(TemplateState(layout, str(labels[layout]), True, row.name, row.size, by,
                                    row.uploaded_at, counts[layout]))
    return states
