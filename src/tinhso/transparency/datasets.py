"""The open datasets (Decree 47/2020/NĐ-CP): each one's title, description, update frequency,
data dictionary (field, title in Vietnamese and English, type, unit, description) and how its
rows are built, always from ``published`` (what may be public)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tinhso.transparency import published, published_services
from tinhso.transparency.cadence import ANNUAL, MONTHLY, QUARTERLY
from tinhso.transparency.disclosure import Cell


@dataclass(frozen=True)
class Field:
    name: str
    title: Promise  # an English msgid; the dictionary gives it in Vietnamese and in English
    type: str  # string, integer, number, date, boolean
    unit: Promise | str = ""
    description: Promise | str = ""


@dataclass
class Table:
    rows: list[dict[str, Any]]
    issued: datetime | None
    modified: datetime | None
    latest_year: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    frequency: str
    fields: tuple[Field, ...]
    build: Callable[[], Table]
    keywords: tuple[Promise, ...] = ()


def _cell(cell: Cell, digits: int | None = None) -> float | int | None:
    if cell.value is None:
        return None
    if digits is None:
        return int(cell.value)
    return round(float(cell.value), digits)


def _suppressed(**cells: Cell) -> str:
    return "; ".join(name for name, cell in cells.items() if cell.suppressed)


SUPPRESSED = Field("suppressed", _("Suppressed cells"), "string", "", _(
    "The fields of this row not published because the count is below the minimum (or a rate "
    "is computed from such a count), separated by '; '. Their cells are empty."))
UNIT = Field("unit", _("Unit code"), "string", "", _(
    "The unit's code: the statistics office's code of a province or commune, or the "
    "platform's code of a department (56.XXX)."))
UNIT_NAME = Field("unit_name", _("Unit name"), "string")
ILLUSTRATIVE = Field("illustrative", _("Illustrative"), "boolean", "", _(
    "True for figures invented for the demonstration, not real data."))
PERCENT = _("percent")
DOSSIERS = _("dossiers")


def _indicator_table() -> Table:
    values = published.indicator_values()
    rows = [{"indicator": v.indicator, "indicator_name": v.indicator_name,
             "measure": v.measure, "unit": v.unit, "unit_name": v.unit_name,
             "period": v.period, "value": v.value, "comment": "", "rank_of": v.rank_of,
             "source": v.source, "illustrative": v.illustrative} for v in values.rows]
    notes = [str(_("%(n)d counts below the minimum are not published.") % {
        "n": values.withheld})] if values.withheld else []
    return Table(rows, values.first_updated, values.last_updated, notes=notes)


def _statistics_table() -> Table:
    unit = published.home_unit()
    first, last = published_services.statistics_updated()
    rows = []
    for r in (published_services.months_by_unit(unit) if unit else []):
        rows.append({
            "unit": r.unit, "unit_name": r.unit_name, "month": r.month.strftime("%Y-%m"),
            "received": _cell(r.received), "online": _cell(r.online),
            "resolved": _cell(r.resolved), "resolved_on_time": _cell(r.on_time),
            "online_rate": _cell(r.online_rate, 2), "on_time_rate": _cell(r.on_time_rate, 2),
            "suppressed": _suppressed(received=r.received, online=r.online,
                                      resolved=r.resolved, resolved_on_time=r.on_time,
                                      online_rate=r.online_rate, on_time_rate=r.on_time_rate)})
    return Table(rows, first, last)


def _scores_table() -> Table:
    unit = published.home_unit()
    first, last = published_services.statistics_updated()
    rows = []
    for year in (published_services.statistics_years() if unit else []):
        assert unit is not None
        for r in published_services.service_rows(unit, year):
            rows.append({"unit": r.unit, "unit_name": r.unit_name, "level": r.level,
                         "year": year, "dossiers_received": _cell(r.received),
                         "score_766": _cell(r.score_766, 2),
                         "suppressed": _suppressed(dossiers_received=r.received,
                                                   score_766=r.score_766),
                         "illustrative": r.illustrative})
    return Table(rows, first, last)


def _ranks_table() -> Table:
    first, last, year = published.dti_updated()
    rows = [{"year": r.year, "method": r.framework, "method_name": r.method,
             "field_size": r.field_size, "unit": r.unit, "unit_name": r.unit_name,
             "published_name": r.published_name, "rank": r.rank, "rank_to": r.rank_to,
             "rank_basis": r.rank_basis, "rank_note": r.rank_note, "index": r.index,
             "index_note": r.index_note, "source": r.source}
            for r in published.dti_ranks()]
    return Table(rows, first, last, latest_year=year)


def _programme_table() -> Table:
    unit = published.home_unit()
    if unit is None:
        return Table([], None, None)
    first, last = published.programme_updated(unit)
    today = published.now().date()
    rows = [{"area": a.area or "all", "area_name": a.label or str(_("All groups")),
             "as_of": today.isoformat(), "tasks": a.tasks, "done": a.done,
             "done_late": a.done_late, "overdue": a.overdue, "open": a.open,
             "progress": round(a.progress, 1) if a.progress is not None else None}
            for a in published.programme_progress(unit)]
    return Table(rows, first, last)


DATASETS: tuple[Dataset, ...] = (
    Dataset("indicator-values", _("Indicator values"), _(
        "The approved values of the indicators units report, one row per indicator, unit and "
        "period, in the columns of the indicators' import file (it re-imports unchanged). "
        "Drafts and values waiting for approval are not included; rates computed by formula "
        "are computed from the counts here."), MONTHLY, (
        Field("indicator", _("Indicator code"), "string"),
        Field("indicator_name", _("Indicator name"), "string"),
        Field("measure", _("Measure"), "string", "", _(
            "percent, count, money (VND), score or rank.")),
        UNIT, UNIT_NAME,
        Field("period", _("Period"), "string", "", _(
            "2020 (a year), 2020S1 (a half-year), 2020Q3 (a quarter) or 202011 (a month).")),
        Field("value", _("Value"), "number", _("the indicator's measure")),
        Field("comment", _("Comment"), "string", "", _("Always empty: comments are not "
                                                        "published.")),
        Field("rank_of", _("Out of"), "integer", "", _("For a rank: the size of the field.")),
        Field("source", _("Source"), "string"), ILLUSTRATIVE,
    ), _indicator_table),
    Dataset("dossier-statistics", _("Dossier statistics by unit and month"), _(
        "Dossiers of the public services received (and online) by month of receipt, resolved "
        "(and on time) by month of decision, for each receiving unit, from the platform's "
        "statistics aggregate. Small counts are suppressed."), MONTHLY, (
        UNIT, UNIT_NAME,
        Field("month", _("Month"), "string", "", _("YYYY-MM.")),
        Field("received", _("Received"), "integer", DOSSIERS),
        Field("online", _("Submitted online"), "integer", DOSSIERS),
        Field("resolved", _("Resolved"), "integer", DOSSIERS),
        Field("resolved_on_time", _("Resolved on time"), "integer", DOSSIERS),
        Field("online_rate", _("Share submitted online"), "number", PERCENT,
              _("online / received × 100")),
        Field("on_time_rate", _("Share resolved on time"), "number", PERCENT,
              _("resolved on time / resolved × 100")),
        SUPPRESSED,
    ), _statistics_table),
    Dataset("service-quality-766", _("Decision 766 service-quality scores by unit and year"), _(
        "The province's, each department's and each commune's score on Decision 766/QĐ-TTg "
        "(of 100), computed by the platform from its dossier statistics as the statistics "
        "page does."), MONTHLY, (
        UNIT, UNIT_NAME,
        Field("level", _("Level"), "string", "", _("province, department or commune.")),
        Field("year", _("Year"), "integer"),
        Field("dossiers_received", _("Dossiers received"), "integer", DOSSIERS),
        Field("score_766", _("Decision 766 score"), "number", _("points of 100")),
        SUPPRESSED, ILLUSTRATIVE,
    ), _scores_table),
    Dataset("dti-ranks", _("DTI ranks of the provinces by year"), _(
        "The provincial digital transformation index (DTI) as the Ministry published it: each "
        "province's rank with the size of its field (63 provinces before the merger of 1 July "
        "2025, 34 after) and the method (Decision 1726, 922 or 405)."), ANNUAL, (
        Field("year", _("Year"), "integer"),
        Field("method", _("Method"), "string", "", _("The framework's code.")),
        Field("method_name", _("Method name"), "string"),
        Field("field_size", _("Field size"), "integer", _("provinces")),
        UNIT, UNIT_NAME,
        Field("published_name", _("Published name"), "string"),
        Field("rank", _("Rank"), "integer"),
        Field("rank_to", _("Rank (worst of a range)"), "integer"),
        Field("rank_basis", _("Rank basis"), "string", "", _(
            "published; inferred (from the listing order); derived (computed from another "
            "published figure).")),
        Field("rank_note", _("Rank note"), "string"),
        Field("index", _("Index"), "number", _("0 to 1")),
        Field("index_note", _("Index note"), "string"),
        Field("source", _("Source"), "string"),
    ), _ranks_table),
    Dataset("programme-progress", _("Programme progress by group"), _(
        "The tasks of the province's digital transformation programme by the four groups of "
        "Resolution 16-NQ/TU: how many, done, done late, overdue, open, and the weighted "
        "progress."), QUARTERLY, (
        Field("area", _("Group"), "string", "", _(
            "foundations, digital_government, digital_economy, digital_society, or all.")),
        Field("area_name", _("Group name"), "string"),
        Field("as_of", _("As of"), "date"),
        Field("tasks", _("Tasks"), "integer"),
        Field("done", _("Done"), "integer"),
        Field("done_late", _("Done late"), "integer"),
        Field("overdue", _("Overdue"), "integer"),
        Field("open", _("Open"), "integer"),
        Field("progress", _("Progress"), "number", PERCENT, _(
            "The weighted mean of the tasks' progress (a done task counts 100).")),
    ), _programme_table),
)
BY_SLUG = {d.slug: d for d in DATASETS}
