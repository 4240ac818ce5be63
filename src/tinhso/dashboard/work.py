"""The sections of the people who keep the programme and the figures going: the coordinator
(rounds and their completeness, values to approve, late tasks, progress reports to review,
self-assessment answers to verify), a department's reporter (what to enter, by when) and its
approver (what to approve)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.core.languages import in_language
from tinhso.core.numbers import format_percent
from tinhso.core.periods import parse_period
from tinhso.dashboard.blocks import Chart, Item, Need, Section, named
from tinhso.dashboard.leader import FIRST, _lang, late_tasks_need
from tinhso.indicators.rounds import Completeness
from tinhso.indicators.today import (
    completeness_of,
    rounds_owned,
    rounds_to_enter,
    values_returned,
    values_to_approve,
)
from tinhso.programme.board_selectors import MineBoard, OverdueBoard
from tinhso.programme.selectors import review_queue
from tinhso.scoring.today import answers_to_verify, framework_names

if TYPE_CHECKING:
    from tinhso.indicators.models import IndicatorValue


def period_label(code: str) -> str:
    """"Quý 3/2026" (or "Q3 2026"), the code itself when it is not a period."""
    try:
        return parse_period(code).label(_lang())
    except ValueError:
        return code


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _value_item(value: IndicatorValue) -> Item:
    return Item(f"{named(value.indicator)} · {named(value.unit)} · {period_label(value.period)}",
                reverse("indicators:value", args=[value.pk]), note=value.return_reason)


def approve_need(user: Any) -> Need:
    values = values_to_approve(user)
    first = list(values[:FIRST])
    return Need("values-to-approve", gettext_lazy("Values to approve"),
                values.count(),
                reverse("indicators:review"), [_value_item(v) for v in first])


def rounds_need(boards: list[Completeness], today: date) -> Need:
    """Open rounds whose units have not all reported, nearest deadline first."""
    waiting = [b for b in boards if b.reported < len(b.units)]
    return Need("rounds", gettext_lazy("Collection rounds not complete"), len(waiting),
                reverse("indicators:rounds"),
                [Item(b.round.title, reverse("indicators:round", args=[b.round.pk]),
                      note=_("%(done)s of %(all)s units reported, deadline %(day)s")
                      % {"done": b.reported, "all": len(b.units), "day": _day(b.round.deadline)},
                      late=today > b.round.deadline) for b in waiting[:FIRST]])


def rounds_chart(boards: list[Completeness]) -> Chart:
    lang = _lang()
    return Chart(
        key="rounds", title=gettext_lazy("Open collection rounds: units reported"), kind="bar",
        labels=[b.round.title for b in boards],
        series=[(_("Reported (%)"), [round(b.rate, 1) for b in boards])],
        headers=[_("Round"), _("Period"), _("Deadline"), _("Units reported"), _("Late units")],
        rows=[[b.round.title, period_label(b.round.period), _day(b.round.deadline),
               f"{b.reported}/{len(b.units)} ({format_percent(b.rate, 0, lang)})",
               str(len(b.late))] for b in boards],
        source_url=reverse("indicators:rounds"), source_label=_("Collection rounds"))


def review_need(user: Any) -> Need:
    reports = review_queue(user)
    first = list(reports[:FIRST])
    return Need("reports-to-review", gettext_lazy("Progress reports to review"),
                reports.count(),
                reverse("programme:review"),
                [Item(f"{r.task.code} {named(r.task, 'title')}",
                      reverse("programme:task", args=[r.task.pk]),
                      note=" · ".join([named(r.unit), period_label(r.period)] + (
                          [f"{r.percent}\u00a0%"] if r.percent is not None else [])))
                 for r in first])


def verify_need(user: Any) -> Need:
    answers = answers_to_verify(user)
    first = list(answers[:FIRST])
    return Need("answers-to-verify", gettext_lazy("Self-assessment answers to verify"),
                answers.count(),
                reverse("scoring:verify", args=[first[0].framework, first[0].year])
                if first else reverse("scoring:index"),
                [Item(f"{named(a.unit)} · {a.code}",
                      reverse("scoring:verify", args=[a.framework, a.year]),
                      note=f"{in_language(*framework_names(a.framework))} {a.year}")
                 for a in first])


def coordinator_section(user: Any, board: OverdueBoard, today: date) -> Section:
    boards = list(completeness_of(rounds_owned(user), today).values())
    section = Section("coordinator", gettext_lazy("Coordination"))
    section.needs = [rounds_need(boards, today), approve_need(user), late_tasks_need(board),
                     review_need(user), verify_need(user)]
    if boards:
        section.charts.append(rounds_chart(boards))
    section.links = [(gettext_lazy("Open a collection round"), reverse("indicators:round_new")),
                     (gettext_lazy("Programme"), reverse("programme:index"))]
    return section


def enter_need(user: Any, today: date) -> Need:
    """The rounds where a unit of the reporter's has not reported yet, with the deadline."""
    rounds = rounds_to_enter(user)
    boards = completeness_of([r for r, _units in rounds], today)
    items = []
    for collection, units in rounds:
        rows = {row.unit.pk: row for row in boards[collection.pk].units}
        for unit in units:
            row = rows[unit.pk]
            if row.has_reported:
                continue
            items.append(Item(
                f"{collection.title} · {named(unit)}", reverse("indicators:to_report"),
                note=_("%(entered)s of %(owed)s values entered, deadline %(day)s")
                % {"entered": row.entered, "owed": row.owed, "day": _day(collection.deadline)},
                late=row.late))
    return Need("values-to-enter", gettext_lazy("Values to enter"), len(items),
                reverse("indicators:to_report"), items[:FIRST])


def returned_need(user: Any) -> Need:
    values = values_returned(user)
    first = list(values[:FIRST])
    return Need("values-returned", gettext_lazy("Values returned to correct"),
                values.count(),
                reverse("indicators:to_report"), [_value_item(v) for v in first])


def tasks_to_report_need(mine: MineBoard) -> Need:
    return Need("tasks-to-report", gettext_lazy("Progress reports to send"), len(mine.to_report),
                reverse("programme:mine"),
                [Item(f"{m.row.task.code} {named(m.row.task, 'title')}",
                      reverse("programme:task", args=[m.row.task.pk]),
                      note=_("%(period)s, report due %(day)s")
                      % {"period": period_label(mine.period.code), "day": _day(mine.report_due)},
                      late=mine.report_late) for m in mine.to_report[:FIRST]])


def reporter_section(user: Any, mine: MineBoard, today: date) -> Section:
    section = Section("reporter", gettext_lazy("To report"))
    section.needs = [enter_need(user, today), returned_need(user), tasks_to_report_need(mine)]
    section.links = [(gettext_lazy("To report"), reverse("indicators:to_report")),
                     (gettext_lazy("My unit's tasks"), reverse("programme:mine"))]
    return section


def approver_section(user: Any) -> Section:
    section = Section("approver", gettext_lazy("To approve"))
    section.needs = [approve_need(user)]
    section.links = [(gettext_lazy("Review values"), reverse("indicators:review"))]
    return section
