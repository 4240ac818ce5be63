"""Tasks: create, change, cancel, and close with their output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.programme import audit_events, schedule
from tinhso.programme.models import (
    Document,
    ProgressReport,
    Task,
    TaskEventKind,
    TaskGroup,
)
from tinhso.programme.notation import parse_notation
from tinhso.programme.selectors import Clock
from tinhso.programme.services.base import required_reason as _reason
from tinhso.programme.services.base import task_event as _event
from tinhso.programme.services.base import weight_value as _weight
from tinhso.units.models import Unit


def check_task_fields(*, document: Document, title: str, lead_unit: Unit | None,
                      start_on: date | None, due_on: date | None,
                      support_units: Sequence[Unit] = (), result_document: str = "",
                      dti_codes: Sequence[str] = ()) -> dict[str, list[str]]:
    """What is wrong with a task's fields (per field); the import checks rows with it too."""
    errors: dict[str, list[str]] = {}
    if not title or not title.strip():
        errors["title"] = [_("Give the task.")]
    if lead_unit is None:
        errors["lead_unit"] = [_("Give the lead unit.")]
    elif not lead_unit.path.startswith(document.unit.path):
        errors["lead_unit"] = [_("%(unit)s is not within %(scope)s, which issued the plan.")
                               % {"unit": lead_unit.name, "scope": document.unit.name}]
    outside = [u.name for u in support_units if not u.path.startswith(document.unit.path)]
    if outside:
        errors["support_units"] = [_("Not within %(scope)s: %(units)s")
                                   % {"scope": document.unit.name, "units": ", ".join(outside)}]
    if lead_unit is not None and lead_unit in support_units:
        errors.setdefault("support_units", []).append(
            _("The lead unit is not also a supporting unit."))
    if start_on is None:
        errors["start_on"] = [_("Give the start date.")]
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    if start_on and due_on and due_on < start_on:
        errors["due_on"] = [_("The task is due (%(due)s) before it starts (%(start)s).")
                            % {"due": f"{due_on:%d/%m/%Y}", "start": f"{start_on:%d/%m/%Y}"}]
    if result_document:
        try:
            parse_notation(result_document)
        except ValueError as exc:
            errors["result_document"] = [str(exc)]
    bad = [c for c in dti_codes if not c.replace("_", "").isalnum()]
    if bad:
        errors["dti_codes"] = [_("Not a main indicator code: %s") % ", ".join(bad)]
    return errors


TASK_FIELDS = {"title", "title_en", "lead_unit", "support_units", "start_on", "due_on",
               "expected_output", "assigned_by", "weight", "indicators", "dti_codes",
               "position", "is_illustrative", "source", "group", "code"}


def _task_snapshot(task: Task) -> dict[str, Any]:
    return {
        "code": task.code, "group": task.group.code, "title": task.title,
        "lead_unit": task.lead_unit.code, "start_on": task.start_on.isoformat(),
        "due_on": task.due_on.isoformat(), "weight": str(task.weight),
        "support_units": sorted(u.code for u in task.support_units.all()),
        "indicators": sorted(i.code for i in task.indicators.all()),
        "dti_codes": list(task.dti_codes), "expected_output": task.expected_output,
        "assigned_by": task.assigned_by.number if task.assigned_by else None,
    }


@transaction.atomic
def task_create(*, actor: Any, group: TaskGroup, code: str, title: str, lead_unit: Unit,
                start_on: date, due_on: date, support_units: Sequence[Unit] = (),
                expected_output: str = "", assigned_by: Document | None = None,
                weight: Any = 1, indicators: Iterable[Any] = (), dti_codes: Sequence[str] = (),
                position: int = 0, title_en: str = "", is_illustrative: bool = False,
                source: str = "") -> Task:
    document = group.document
    require(actor, "programme.manage", document.unit)
    errors = check_task_fields(document=document, title=title, lead_unit=lead_unit,
                               start_on=start_on, due_on=due_on, support_units=support_units,
                               dti_codes=dti_codes)
    code = code.strip()
    if not code:
        errors["code"] = [_("Give the task's code.")]
    elif Task.objects.filter(group=group, code=code).exists():
        errors["code"] = [_("Task %(code)s is already in this group.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        group=group, code=code, title=title.strip(), title_en=title_en, lead_unit=lead_unit,
        start_on=start_on, due_on=due_on, expected_output=expected_output.strip(),
        assigned_by=assigned_by or document, weight=_weight(weight), dti_codes=list(dti_codes),
        position=position, is_illustrative=is_illustrative, source=source)
    task.support_units.set(support_units)
    task.indicators.set(list(indicators))
    _event(task, TaskEventKind.CREATED, actor)
    audit_record(actor=actor, action=audit_events.TASK_CREATED, obj=task, unit=lead_unit,
                 details=_task_snapshot(task))
    return task


@transaction.atomic
def task_update(*, actor: Any, task: Task, **changes: Any) -> Task:
    """Change a task's fields; a closed task keeps its dates. Writes nothing without a change."""
    unknown = set(changes) - TASK_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    task = Task.objects.select_for_update(of=("self",)).select_related(
        "group__document", "lead_unit").get(pk=task.pk)
    document = task.group.document
    require(actor, "programme.manage", document.unit)
    before = _task_snapshot(task)
    if "weight" in changes:
        changes["weight"] = _weight(changes["weight"])
    if "dti_codes" in changes:
        changes["dti_codes"] = list(changes["dti_codes"])
    many = {k: list(changes.pop(k)) for k in ("support_units", "indicators") if k in changes}
    if task.is_closed and ({"start_on", "due_on"} & {
            k for k, v in changes.items() if getattr(task, k) != v}):
        raise ValidationError({"due_on": _("The task is closed: its dates stay as they were.")})
    for key, value in changes.items():
        setattr(task, key, value)
    support = many.get("support_units", list(task.support_units.all()))
    errors = check_task_fields(document=task.group.document, title=task.title,
                               lead_unit=task.lead_unit, start_on=task.start_on,
                               due_on=task.due_on, support_units=support,
                               dti_codes=task.dti_codes)
    if ({"code", "group"} & set(changes)) and Task.objects.filter(
            group=task.group, code=task.code).exclude(pk=task.pk).exists():
        errors["code"] = [_("Task %(code)s is already in this group.") % {"code": task.code}]
    if "group" in changes and task.group.document_id != document.pk:
        errors["group"] = [_("The group belongs to another document.")]
    if errors:
        raise ValidationError(errors)
    task.save()
    if "support_units" in many:
        task.support_units.set(many["support_units"])
    if "indicators" in many:
        task.indicators.set(many["indicators"])
    after = _task_snapshot(task)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        _event(task, TaskEventKind.UPDATED, actor, changes=changed)
        audit_record(actor=actor, action=audit_events.TASK_UPDATED, obj=task,
                     unit=task.lead_unit, details=changed)
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: Task, reason: str, on: date | None = None) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related(
        "group__document", "lead_unit").get(pk=task.pk)
    require(actor, "programme.manage", task.group.document.unit)
    reason = _reason(reason, "reason")
    if task.is_closed:
        raise ValidationError({"reason": _("The task is already closed.")})
    task.cancelled_on = on or timezone.localdate()
    task.cancel_reason = reason
    task.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    _event(task, TaskEventKind.CANCELLED, actor, note=reason)
    audit_record(actor=actor, action=audit_events.TASK_CANCELLED, obj=task, unit=task.lead_unit,
                 details={"reason": reason})
    return task


def close_with_output(task: Task, *, done_on: date, result_document: str, actor: Any, clk: Clock,
           report: ProgressReport | None = None) -> None:
    task.done_on = done_on
    task.finished_late = schedule.finished_late(task.due_on, done_on, clk.cal)
    task.result_document = result_document
    task.progress = 100
    task.save(update_fields=["done_on", "finished_late", "result_document", "progress",
                             "updated_at"])
    _event(task, TaskEventKind.CLOSED, actor, report=report, done_on=done_on.isoformat(),
           late=task.finished_late, result_document=result_document)
    audit_record(actor=actor, action=audit_events.TASK_CLOSED, obj=task, unit=task.lead_unit,
                 details={"done_on": done_on.isoformat(), "late": task.finished_late,
                          "result_document": result_document})


