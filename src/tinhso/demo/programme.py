"""Resolution 16-NQ/TU's programme in the demonstration.

- :func:`load_task_groups` (published): the four groups of tasks and solutions and their items
  as the seed article lists them (``programme.json``, ``task_groups``).
- :func:`load_illustrative_tasks` (demonstration only): ILLUSTRATIVE tasks for Khánh Hòa's
  departments and communes with their progress reports and the coordinator's decisions
  (``programme_tasks.json``). Everything goes through the programme's services with the demo
  accounts (the coordinator creates and decides, a unit's reporter reports; the actor of the
  load where no demo account holds the role), so the task history and the audit log are those
  of real use. A task already there is left as it is, with its reports: a second run writes
  nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from tinhso.accounts.models import User
from tinhso.accounts.permissions import may
from tinhso.core.periods import parse_period
from tinhso.indicators.models import Indicator
from tinhso.programme import schedule
from tinhso.programme.models import Document, Task, TaskGroup
from tinhso.programme.selectors import Clock, clock
from tinhso.programme.services import (
    group_save,
    report_accept,
    report_return,
    report_submit,
    task_cancel,
    task_create,
)
from tinhso.units.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUP_FIELDS = ("title", "title_en", "parent_id", "area", "weight", "position", "is_illustrative")


def _json(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_task_groups(actor: Any) -> Counter[str]:
    """The document's groups and items (published facts, not illustrative)."""
    data = _json("programme.json")["task_groups"]
    document = Document.objects.get(number=data["document"])
    before = {g.code: tuple(getattr(g, f) for f in GROUP_FIELDS)
              for g in TaskGroup.objects.filter(document=document)}
    counts: Counter[str] = Counter()
    groups: dict[str, TaskGroup] = {}
    siblings: Counter[str] = Counter()
    for row in data["groups"]:
        parent = groups[row["parent"]] if row.get("parent") else None
        siblings[row.get("parent", "")] += 1
        group = group_save(actor=actor, document=document, code=row["code"], title=row["title"],
                           title_en=row.get("title_en", ""), parent=parent,
                           area=row.get("area", ""), weight=row.get("weight", 1),
                           position=siblings[row.get("parent", "")])
        groups[row["code"]] = group
        after = tuple(getattr(group, f) for f in GROUP_FIELDS)
        counts["created" if row["code"] not in before
               else "same" if before[row["code"]] == after else "updated"] += 1
    return counts


class _People:
    """Who does what in the demonstration: the demo account holding the role, else the actor of
    the load (the operator: SYSTEM)."""

    def __init__(self, actor: Any, document: Document) -> None:
        accounts = _json("accounts.json")["staff"]
        users = {u.username: u for u in User.objects.filter(
            username__in=[row["username"] for row in accounts], is_active=True)}
        self.actor = actor
        self.coordinator = actor
        self.reporters: dict[str, Any] = {}
        for row in accounts:
            user = users.get(row["username"])
            for role, unit_code in row["roles"] if user is not None else ():
                if role == "coordinator" and unit_code == document.unit.code \
                        and may(user, "programme.manage", document.unit):
                    self.coordinator = user
                elif role == "unit_reporter":
                    self.reporters.setdefault(unit_code, user)

    def reporter(self, unit: Unit) -> Any:
        user = self.reporters.get(unit.code)
        return user if user is not None and may(user, "programme.report", unit) else self.actor


def _period(row: dict[str, Any], clk: Clock) -> str | None:
    """The reporting period of a report: its quarter (or, under another schedule, the period
    holding the same day); None when the demo is loaded before that quarter began or before
    the work was completed (a report cannot speak of the future)."""
    completed = date.fromisoformat(row["completed_on"]) if row.get("completed_on") else None
    quarter = parse_period(row["period"]) if row.get("period") else None
    first = completed or (quarter.start if quarter else clk.today)
    if first > clk.today:
        return None
    day = completed or (quarter.end if quarter else clk.today)
    return schedule.period_containing(min(day, clk.today), clk.rule).code


def _reports(task: Task, rows: list[dict[str, Any]], people: _People, units: dict[str, Unit],
             clk: Clock) -> int:
    created = 0
    for row in rows:
        period = _period(row, clk)
        if period is None:
            continue
        unit = units[row["unit"]] if row.get("unit") else task.lead_unit
        report = report_submit(
            actor=people.reporter(unit), task=task, period=period, unit=unit,
            done_text=row["done"], percent=row.get("percent"),
            obstacles=row.get("obstacles", ""), proposals=row.get("proposals", ""),
            completed_on=date.fromisoformat(row["completed_on"])
            if row.get("completed_on") else None,
            result_document=row.get("result", ""), today=clk.today, is_illustrative=True)
        created += 1
        if row.get("decision") == "accept":
            report_accept(actor=people.coordinator, report=report, today=clk.today)
        elif row.get("decision") == "return":
            report_return(actor=people.coordinator, report=report, comment=row["comment"])
    return created


def load_illustrative_tasks(actor: Any, today: date | None = None) -> Counter[str]:
    """The illustrative tasks not yet there, with their reports and decisions."""
    data = _json("programme_tasks.json")
    counts: Counter[str] = Counter()
    document = Document.objects.get(number=data["document"])
    groups = {g.code: g for g in TaskGroup.objects.filter(document=document)}
    there = set(Task.objects.filter(group__document=document)
                .values_list("group__code", "code"))
    todo = [(n, row) for n, row in enumerate(data["tasks"], 1)
            if (row["group"], row["code"]) not in there]
    counts["same"] += len(data["tasks"]) - len(todo)
    if not todo:
        return counts
    rows = [row for _n, row in todo]
    units = {u.code: u for u in Unit.objects.filter(code__in={
        code for row in rows for code in [row["lead"], *row.get("support", []),
                                          *(r.get("unit") for r in row.get("reports", [])
                                            if r.get("unit"))]})}
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in={code for row in rows for code in row.get("indicators", [])})}
    documents = {d.number: d for d in Document.objects.filter(
        number__in={row.get("assigned_by", document.number) for row in rows})}
    people = _People(actor, document)
    clk = clock(today)
    for position, row in todo:
        if "due_in_working_days" in row:  # due soon on the day the demo is loaded
            due_on = schedule.due_soon_limit(
                clk.today, clk.cal, min(row["due_in_working_days"], clk.due_soon_days))
        else:
            due_on = date.fromisoformat(row["due"])
        start_on = min(date.fromisoformat(row["start"]), due_on)
        task = task_create(
            actor=people.coordinator, group=groups[row["group"]], code=row["code"],
            title=row["title"], title_en=row.get("title_en", ""), lead_unit=units[row["lead"]],
            support_units=[units[c] for c in row.get("support", [])], start_on=start_on,
            due_on=due_on, expected_output=row.get("output", ""),
            assigned_by=documents[row.get("assigned_by", document.number)],
            weight=row.get("weight", 1),
            indicators=[indicators[c] for c in row.get("indicators", [])],
            dti_codes=row.get("dti", []), position=position, is_illustrative=True,
            source=data["source"])
        counts["created"] += 1
        counts["created"] += _reports(task, row.get("reports", []), people, units, clk)
        if row.get("cancelled"):
            task_cancel(actor=people.coordinator, task=task,
                        reason=row["cancelled"]["reason"],
                        on=date.fromisoformat(row["cancelled"]["on"]))
    return counts

