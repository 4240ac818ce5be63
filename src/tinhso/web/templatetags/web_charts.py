"""Chart partials shared by pages: ``{% rank_history_chart indicator unit %}`` draws a rank's
history split by field, with the table behind it (see ``tinhso.web.charts``)."""

from __future__ import annotations

from typing import Any

from django import template

from tinhso.core.languages import localized
from tinhso.indicators.selectors import RankPoint, rank_history, rank_targets
from tinhso.web.charts import rank_chart

register = template.Library()


def indicator_name(indicator: Any) -> str:
    return localized(indicator)


@register.filter
def rank_of(value: Any, of: Any) -> str:
    """A rank with its field: ``{{ 16|rank_of:34 }}`` is "16/34"; a rank whose field was not
    recorded stays a bare number."""
    if value is None or value == "":
        return "–"
    rank = f"{float(value):.0f}"
    return f"{rank}/{int(of)}" if of else rank


@register.inclusion_tag("indicators/_rank_history.html")
def rank_history_chart(indicator: Any, unit: Any, history: list[RankPoint] | None = None,
                       targets: Any = None, chart_id: str = "") -> dict[str, Any]:
    history = rank_history(indicator, unit) if history is None else history
    targets = rank_targets(indicator, unit) if targets is None else list(targets)
    return {"indicator": indicator, "history": history, "targets": targets,
            "chart": rank_chart(indicator_name(indicator), history, targets,
                                provinces=unit.level == "province"),
            "chart_id": chart_id or f"rank-history-{indicator.code}"}
