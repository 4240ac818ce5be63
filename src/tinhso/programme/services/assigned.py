"""Tasks that come from an incoming official document: a leader's direction on it creates the
task (the document office calls this), and the leader closes it citing the answering document.

The task's ``source`` names the document; its code is ``VB-<year>-<arrival number>`` in the
chosen group. The leader who directs holds ``programme.assign`` (leaders and the coordinator),
not ``programme.manage``: assigning work through a document is a leader's act.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.programme import audit_events
from tinhso.programme.models import Task, TaskEventKind, TaskGroup
from tinhso.programme.selectors import clock
from tinhso.programme.services.base import task_event
from tinhso.programme.services.tasks import _task_snapshot, check_task_fields, close_with_output
from tinhso.units.models import Unit


@transaction.atomic
def task_assign(*, actor: Any, group_id: int, code: str, title: str, lead_unit: Unit,
                start_on: date, due_on: date, support_units: Sequence[Unit] = (),
                source: str = "") -> Task:
    """A task assigned by an official document's direction, in group ``group_id``."""
    group = TaskGroup.objects.select_related("document__unit").filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"task_group": [_("Choose the programme's group of the task.")]})
    require(actor, "programme.assign", group.document.unit)
    errors = check_task_fields(document=group.document, title=title, lead_unit=lead_unit,
                               start_on=start_on, due_on=due_on, support_units=support_units)
    if Task.objects.filter(group=group, code=code).exists():
        errors["code"] = [_("Task %(code)s is already in this group.") % {"code": code}]
    if errors:
        raise ValidationError({("task_group" if k in {"code", "title"} else k): v
                               for k, v in errors.items()})
    task = Task.objects.create(
        group=group, code=code, title=title.strip()[:500], lead_unit=lead_unit,
        start_on=start_on, due_on=due_on, assigned_by=group.document, source=source[:300],
        position=10_000)
    task.support_units.set(support_units)
    task_event(task, TaskEventKind.CREATED, actor, note=source[:300])
    audit_record(actor=actor, action=audit_events.TASK_CREATED, obj=task, unit=lead_unit,
                 details={**_task_snapshot(task), "source": source})
    return task


@transaction.atomic
def task_close_cited(*, actor: Any, task_id: int, done_on: date, result_document: str) -> Task:
    """Close a document's task with the answering document as its output."""
    task = Task.objects.select_for_update(of=("self",)).select_related(
        "group__document__unit", "lead_unit").get(pk=task_id)
    require(actor, "programme.assign", task.group.document.unit)
    if task.is_closed:
        raise ValidationError({"task": [_("The task is already closed.")]})
    close_with_output(task, done_on=done_on, result_document=result_document, actor=actor,
                      clk=clock(done_on))
    return task
