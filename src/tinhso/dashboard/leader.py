"""The leader's section: the goals and their status, the DTI rank with its field size and the
gap to the goal, the programme's late tasks by lead unit, the public services' quality by unit.
Each a small chart with its table, opening to the page it comes from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tinhso.core.numbers import format_number, format_percent
from tinhso.dashboard.blocks import Chart, Item, Need, Section, named
from tinhso.indicators.today import rank_values
from tinhso.procedures.figures import service_figures
from tinhso.programme.board_selectors import OverdueBoard
from tinhso.programme.goal_status import goal_statuses
from tinhso.scoring.today import RankPoint, framework_names, unit_ranks

if TYPE_CHECKING:
    from tinhso.units.models import Unit

DTI = "dti-province-922"
DTI_RANK = "dti_rank"  # the indicator keeping the province's published rank and field size
FIRST = 5


def _lang() -> str:
    return (get_language() or "vi").split("-")[0]


def rank_text(point: RankPoint) -> str:
    return f"{point.rank}/{point.of}" if point.of else str(point.rank)


def dti_ranks(home: Unit) -> tuple[list[RankPoint], int | None]:
    """The home unit's DTI ranks by year: from the published rankings, and from the rank
    indicator's published values for the years without a full ranking (16/34 in 2024). With
    the latest year whose full ranking is there (its gap page exists)."""
    published = {p.year: p for p in unit_ranks(DTI, home)}
    points = dict(published)
    method, method_en = framework_names(DTI)
    for value in rank_values(DTI_RANK, home):
        year = int(value.period[:4])
        if year not in points and value.period.isdigit():
            points[year] = RankPoint(DTI, method, method_en, year, int(value.value),
                                     value.rank_of or 0, None, value.source)
    return [points[y] for y in sorted(points)], max(published, default=None)


def goals_block(home: Unit) -> dict[str, Any]:
    """The goals in force (the latest plan's first) and the superseded ones, each with its
    status and the reason in words (``programme.goal_status``): a rank against ranks of its own
    field, a plan's band, score, count or climb against the index's published results."""
    current, superseded = goal_statuses(home)
    return {"goals": current, "superseded_goals": superseded}


def rank_chart(home: Unit, ranks: list[RankPoint], gap_year: int | None) -> Chart | None:
    if not ranks:
        return None
    lang = _lang()
    return Chart(
        key="dti-rank", title=gettext_lazy("DTI rank by year"), kind="line",
        labels=[str(p.year) for p in ranks],
        series=[(_("Rank among %(n)s") % {"n": field},
                 [float(p.rank) if p.of == field else None for p in ranks])
                for field in dict.fromkeys(p.of for p in ranks)],  # one line per field
        headers=[_("Year"), _("Rank"), _("Index"), _("Method"), _("Source")],
        rows=[[str(p.year), rank_text(p), format_number(p.total, 4, lang),
               p.method_en if lang == "en" else p.method, p.source] for p in ranks],
        source_url=reverse("scoring:unit", args=[DTI, gap_year, home.code]) if gap_year
        else reverse("scoring:index"),
        source_label=_("The rank and the gap, %(year)s") % {"year": gap_year} if gap_year
        else _("Rankings"),
        reverse=True,
        note=gettext_lazy("A rank is read with its field size: 63 provinces before the "
                          "2025 merger, 34 after it."))


def late_tasks_chart(board: OverdueBoard) -> Chart:
    units = [c for c in board.units if c.overdue or c.at_risk][:12]
    return Chart(
        key="late-tasks", title=gettext_lazy("Late programme tasks by lead unit"), kind="bar",
        labels=[named(c.unit) for c in units],
        series=[(_("Overdue"), [float(c.overdue) for c in units]),
                (_("At risk"), [float(c.at_risk) for c in units])],
        headers=[_("Lead unit"), _("Overdue"), _("At risk"), _("Open")],
        rows=[[named(c.unit), str(c.overdue), str(c.at_risk), str(c.open)] for c in units],
        source_url=reverse("programme:overdue"), source_label=_("Overdue and at-risk tasks"))


def late_tasks_need(board: OverdueBoard) -> Need:
    return Need(
        key="late-tasks", label=gettext_lazy("Programme tasks overdue"),
        count=len(board.overdue), url=reverse("programme:overdue"),
        items=[Item(f"{o.row.task.code} {named(o.row.task, 'title')}",
                    reverse("programme:task", args=[o.row.task.pk]),
                    note=_("%(unit)s, %(days)s working days late")
                    % {"unit": named(o.row.task.lead_unit), "days": o.row.late_days}, late=True)
               for o in board.overdue[:FIRST]])


def services_chart(home: Unit, year: int) -> Chart:
    lang = _lang()
    rows = [r for r in service_figures(home, year)[1:] if r.counts["dossiers_received"]]
    rows.sort(key=lambda r: (r.rates["on_time_rate"] is None, -(r.rates["on_time_rate"] or 0)))
    return Chart(
        key="service-quality", title=gettext_lazy("Public services: resolved on time, by unit"),
        kind="bar", labels=[named(r.unit) for r in rows],
        series=[(_("Resolved on time (%)"), [r.rates["on_time_rate"] for r in rows])],
        headers=[_("Unit"), _("Dossiers received"), _("Resolved on time"),
                 _("Submitted online"), _("Decision 766 score")],
        rows=[[named(r.unit), format_number(r.counts["dossiers_received"], 0, lang),
               format_percent(r.rates["on_time_rate"], 2, lang),
               format_percent(r.rates["online_dossiers_rate"], 2, lang),
               format_number(r.score_766, 2, lang)] for r in rows],
        source_url=f"{reverse('procedures:statistics')}?year={year}",
        source_label=_("Statistics by unit, %(year)s") % {"year": year})


def leader_section(home: Unit | None, board: OverdueBoard, today: date) -> Section:
    """The leader's section (a fixed number of queries: the goals and their targets, the
    ranks, the services' figures; the programme board is read once by the caller)."""
    section = Section("leader", gettext_lazy("The province at a glance"))
    section.needs.append(late_tasks_need(board))
    section.charts.append(late_tasks_chart(board))
    if home is None:
        return section
    ranks, gap_year = dti_ranks(home)
    section.extra.update(ranks=ranks, home=home, gap_year=gap_year, **goals_block(home))
    chart = rank_chart(home, ranks, gap_year)
    if chart is not None:
        section.charts.insert(0, chart)
    section.charts.append(services_chart(home, today.year))
    section.links = [(gettext_lazy("Programme"), reverse("programme:index")),
                     (gettext_lazy("Progress charts"), reverse("programme:charts")),
                     (gettext_lazy("Rankings"), reverse("scoring:index"))]
    return section
