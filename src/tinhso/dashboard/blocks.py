"""The pieces a landing page is made of, whatever the role: a count of things waiting with its
first few items (each linking to where it is done), a small chart with the table behind it, and
a section per role. Plain data: the selectors fill them, the templates draw them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tinhso.core.languages import localized


def named(obj: Any, field_name: str = "name") -> str:
    """A stored name in the page's language: its English twin (``<field>_en``) on an English
    page when filled, else the Vietnamese original."""
    return localized(obj, field_name)


@dataclass
class Item:
    label: str
    url: str
    note: str = ""  # a deadline, a unit, how late
    late: bool = False


@dataclass
class Need:
    """Something that waits for this person: how many, the first few, where to see all."""

    key: str
    label: Any
    count: int
    url: str  # the page where all of them are done
    items: list[Item] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


@dataclass
class Chart:
    """A small chart and the table behind it (the accessible reading), opening to its source.

    ``rows`` are the table's cells as text, already formatted; ``data`` is what Chart.js
    draws (labels and one or more series of numbers)."""

    key: str
    title: Any
    kind: str  # "bar" or "line"
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    headers: list[Any]
    rows: list[list[Any]]
    source_url: str
    source_label: Any
    reverse: bool = False  # a rank: 1 is the top
    note: Any = ""

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def data(self) -> dict[str, Any]:
        return {"type": self.kind, "labels": self.labels, "reverse": self.reverse,
                "datasets": [{"label": str(label), "data": values}
                             for label, values in self.series]}


@dataclass
class Section:
    key: str  # the role: leader, coordinator, reporter, approver, officer, applicant
    title: Any
    needs: list[Need] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    links: list[tuple[Any, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # what one section's template adds
