"""What the home page's and the indicator pages' charts draw, as the chart script reads it
(``static/web/charts.js``); every chart also has its figures in a table on the page.

A rank is drawn only within its field: the history is split into eras where the field changes
(63 provinces until the 2024 ranking, 34 from the 2025 merger), each era its own line with a
labelled break between them, the axis inverted (first at the top), each point and target shown
as "16/34".
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from tinhso.indicators.models import Target
from tinhso.indicators.progress import NOT_COMPARABLE
from tinhso.indicators.selectors import RankPoint, TargetStatus, rank_eras

ERA_COLOURS = ("#6c757d", "#0d6efd", "#198754", "#6f42c1")


def field_label(of: int | None, provinces: bool = False) -> str:
    if of is None:
        return _("field not recorded")
    if provinces:
        return _("among %(n)d provinces") % {"n": of}
    return _("among %(n)d ranked") % {"n": of}


def field_break(before: int | None, after: int | None, provinces: bool = False) -> str:
    a, b = before or "?", after or "?"
    if provinces:
        return _("%(a)s provinces → %(b)s provinces") % {"a": a, "b": b}
    return _("%(a)s ranked → %(b)s ranked") % {"a": a, "b": b}


def rank_chart(label: str, history: list[RankPoint], targets: Iterable[Target] = (),
               provinces: bool = False) -> dict[str, Any]:
    """The rank history by year, one series per field, the targets set in each field as
    points of its colour, and the breaks between fields."""
    targets = list(targets)
    eras = rank_eras(history)
    years = [p.period.start.year for p in history] + [t.year for t in targets]
    labels = [str(y) for y in range(min(years), max(years) + 1)] if years else []
    fields = [era.of for era in eras]
    fields += [t.rank_of for t in targets if t.rank_of not in fields]
    series = []
    for era in eras:
        values: list[float | None] = [None] * len(labels)
        for point in era.points:
            values[labels.index(str(point.period.start.year))] = point.value
        series.append({"label": field_label(era.of, provinces), "of": era.of, "values": values,
                       "colour": ERA_COLOURS[fields.index(era.of) % len(ERA_COLOURS)]})
    breaks = [{"after": str(a.points[-1].period.start.year),
               "before": str(b.points[0].period.start.year),
               "label": field_break(a.of, b.of, provinces)}
              for a, b in pairwise(eras)]
    marks = [{"label": _("Target: top %(rank)s of %(of)s by %(year)s") % {
                  "rank": int(t.value), "of": t.rank_of or "?", "year": t.year},
              "year": str(t.year), "value": float(t.value), "of": t.rank_of,
              "colour": ERA_COLOURS[fields.index(t.rank_of) % len(ERA_COLOURS)]}
             for t in targets]
    return {"label": label, "labels": labels, "series": series, "breaks": breaks,
            "targets": marks, "reverse": True}


def target_shares(statuses: Iterable[TargetStatus]) -> list[dict[str, Any]]:
    """Targets other than ranks with a latest value: how far the latest value has come, as a
    share of the target (higher is better: latest / target; lower: target / latest)."""
    rows = []
    for s in statuses:
        p = s.progress
        if (s.ranks is not None or p.status == NOT_COMPARABLE or p.latest is None
                or not p.target or not p.latest):
            continue
        share = (p.latest / p.target if s.indicator.direction == "higher"
                 else p.target / p.latest)
        rows.append({"status": s, "share": round(100 * share, 1)})
    return rows


def shares_chart(rows: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    return {"labels": names, "values": [r["share"] for r in rows],
            "label": _("Latest value as a share of the target (%)")}
