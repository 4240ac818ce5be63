"""A plan's task appendix (phụ lục nhiệm vụ) in Excel or CSV: import, export and template.

``tasks_import`` reads the file (``appendix_read``: safe reading, one row at a time), checks
every row against the database (``appendix_check``: queries per file, not per row) and, only
when no row has a problem, writes in one transaction: the new groups through
``services.group_save``; the new and changed tasks in bulk (one ``TaskEvent`` per task created
or changed, with the changes, and one ``tasks.imported`` audit event with the counts), so a
5,000-task appendix takes seconds; the progress columns through ``services.report_submit``, as
the person importing. A row equal to the stored task (and report) changes nothing, so an
exported appendix imported again reports 0 created, 0 updated.

The columns are ``appendix_columns``; export and template are ``appendix_files``; the command
line (``tinhso programme import|export|template``) is ``appendix_cli``, which uses this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.xlsx import Limits
from tinhso.programme import audit_events
from tinhso.programme.appendix_check import Checked, PlannedTask, Progress, check_appendix
from tinhso.programme.appendix_files import appendix_template, tasks_export
from tinhso.programme.appendix_read import ReadFile, read_appendix
from tinhso.programme.models import Document, Task, TaskEvent, TaskEventKind, TaskGroup
from tinhso.programme.services import group_save, report_submit

__all__ = ["ImportResult", "appendix_template", "tasks_export", "tasks_import"]

BATCH = 500
SCALAR_FIELDS = ("title", "lead_unit", "start_on", "due_on", "expected_output", "assigned_by",
                 "dti_codes", "weight", "is_illustrative")
AUDIT_LIST = 200  # task codes listed in the summary event, at most


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    reports: int = 0
    reports_unchanged: int = 0
    groups_created: int = 0
    groups_renamed: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.reports or self.groups_created
                    or self.groups_renamed)

    def __str__(self) -> str:
        text = _("%(rows)d rows: %(created)d tasks created, %(updated)d updated, "
                 "%(unchanged)d unchanged; %(reports)d progress reports filed "
                 "(%(same)d unchanged); %(groups)d groups created, %(renamed)d renamed.") % {
            "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "reports": self.reports,
            "same": self.reports_unchanged, "groups": self.groups_created,
            "renamed": self.groups_renamed}
        return _("Checked only, nothing written: %s") % text if self.dry_run else text


def tasks_import(*, actor: Any, document: Document, name: str, content: bytes,
                 progress_callback: Progress | None = None, today: date | None = None,
                 dry_run: bool = False, limits: Limits | None = None) -> ImportResult:
    """Import a task appendix into ``document``: all rows or none (``ImportRejected`` lists
    every problem). ``progress_callback(stage, done, total)`` is told how far it got
    (stages ``read``, ``check``, ``write``; ``total`` 0 while reading). ``dry_run`` checks and
    counts, and writes nothing."""
    require(actor, "programme.manage", document.unit)
    on_rows = None
    if progress_callback is not None:
        def on_rows(count: int) -> None:
            progress_callback("read", count, 0)
    read = read_appendix(name, content, limits=limits, on_rows=on_rows)
    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).select_related("unit").get(
            pk=document.pk)
        checked = check_appendix(actor=actor, document=document, read=read, today=today,
                                 progress=progress_callback)
        result = _write(actor, document, checked, read, name, today, progress_callback)
        if dry_run:
            transaction.set_rollback(True)
            result = ImportResult(**{**result.__dict__, "dry_run": True})
    return result


def _actor_fields(actor: Any) -> dict[str, Any]:
    return {"actor": actor if getattr(actor, "pk", None) else None,
            "actor_label": str(getattr(actor, "username", actor or ""))}


def _save_groups(actor: Any, document: Document, checked: Checked
                 ) -> tuple[dict[str, TaskGroup], int, int]:
    """Create the groups the plan lacks (2.1 within 2 when there is a 2), rename the others
    whose title the file changes; through ``services.group_save``."""
    groups = dict(checked.existing_groups)
    position = max((g.position for g in groups.values()), default=0)
    illustrative: dict[str, bool] = {}
    for task in checked.tasks:
        illustrative[task.group_code] = illustrative.get(task.group_code, True) \
            and task.values.is_illustrative
    created = renamed = 0
    for planned in sorted(checked.groups.values(), key=lambda g: (g.code.count("."), g.row)):
        group = groups.get(planned.code)
        if group is None:
            parent = groups.get(planned.code.rsplit(".", 1)[0]) if "." in planned.code \
                else None
            position += 1
            groups[planned.code] = group_save(
                actor=actor, document=document, code=planned.code, title=planned.title,
                parent=parent, position=position,
                is_illustrative=illustrative.get(planned.code, False))
            created += 1
        elif planned.title and planned.title != group.title:
            groups[planned.code] = group_save(
                actor=actor, document=document, code=group.code, title=planned.title,
                parent=group.parent, area=group.area, weight=group.weight,
                position=group.position, title_en=group.title_en,
                is_illustrative=group.is_illustrative)
            renamed += 1
    return groups, created, renamed


def _create(actor: Any, new: list[PlannedTask], groups: dict[str, TaskGroup],
            checked: Checked, name: str) -> list[Task]:
    positions = dict(checked.positions)
    tasks = []
    for planned in new:
        group = groups[planned.group_code]
        positions[group.pk] = positions.get(group.pk, 0) + 1
        v = planned.values
        tasks.append(Task(
            group=group, code=planned.code, title=v.title, lead_unit=v.lead_unit,
            start_on=v.start_on, due_on=v.due_on, expected_output=v.expected_output,
            assigned_by=v.assigned_by, weight=v.weight, dti_codes=list(v.dti_codes),
            position=positions[group.pk], is_illustrative=v.is_illustrative,
            source=name[:300]))
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    if any(t.pk is None for t in tasks):  # a database that does not return the keys
        keys = {(t.group_id, t.code): t.pk for t in Task.objects.filter(
            group__in=list(groups.values())).only("id", "group_id", "code")}
        for task in tasks:
            task.pk = task.id = keys[(task.group_id, task.code)]
    support, indicator = Task.support_units.through, Task.indicators.through
    support.objects.bulk_create(
        [support(task_id=t.pk, unit_id=u.pk)
         for t, p in zip(tasks, new, strict=True) for u in p.values.support_units],
        batch_size=BATCH)
    indicator.objects.bulk_create(
        [indicator(task_id=t.pk, indicator_id=i.pk)
         for t, p in zip(tasks, new, strict=True) for i in p.values.indicators],
        batch_size=BATCH)
    who = _actor_fields(actor)
    TaskEvent.objects.bulk_create(
        [TaskEvent(task=t, kind=TaskEventKind.CREATED, details={"file": name}, **who)
         for t in tasks], batch_size=BATCH)
    return tasks


def _update(actor: Any, changed: list[PlannedTask], checked: Checked, name: str) -> None:
    now = timezone.now()
    fields = {"updated_at"}
    drop: list[int] = []
    drop_indicator: list[int] = []
    support, indicator = Task.support_units.through, Task.indicators.through
    add_support, add_indicator = [], []
    for planned in changed:
        task, values = planned.task, planned.values
        assert task is not None
        for name_ in SCALAR_FIELDS:
            if name_ in planned.changes:
                setattr(task, name_, getattr(values, name_))
                fields.add(name_)
        task.updated_at = now
        links = checked.support_links.get(task.pk, {})
        wanted = {u.pk for u in values.support_units}
        drop += [link for unit, link in links.items() if unit not in wanted]
        add_support += [support(task_id=task.pk, unit_id=u) for u in wanted - set(links)]
        links = checked.indicator_links.get(task.pk, {})
        wanted = {i.pk for i in values.indicators}
        add_indicator += [indicator(task_id=task.pk, indicator_id=i)
                          for i in wanted - set(links)]
        drop_indicator += [link for i, link in links.items() if i not in wanted]
    tasks = [p.task for p in changed if p.task is not None]
    Task.objects.bulk_update(tasks, sorted(fields), batch_size=BATCH)
    for start in range(0, max(len(drop), len(drop_indicator)), BATCH):
        support.objects.filter(pk__in=drop[start:start + BATCH]).delete()
        indicator.objects.filter(pk__in=drop_indicator[start:start + BATCH]).delete()
    support.objects.bulk_create(add_support, batch_size=BATCH)
    indicator.objects.bulk_create(add_indicator, batch_size=BATCH)
    who = _actor_fields(actor)
    TaskEvent.objects.bulk_create(
        [TaskEvent(task=p.task, kind=TaskEventKind.UPDATED,
                   details={"changes": p.changes, "file": name}, **who) for p in changed],
        batch_size=BATCH)


REPORT_COLUMN = {"task": "code", "unit": "lead_unit", "evidence": "result_document"}


def _reports(actor: Any, planned: list[PlannedTask], read: ReadFile, today: date | None,
             progress: Progress | None, done: int, total: int) -> int:
    """File the progress columns through the service, collecting every row's problem."""
    errors: list[RowError] = []
    filed = tried = 0
    for item in planned:
        report = item.report
        if report is None or item.task is None:
            continue
        tried += 1
        try:
            report_submit(actor=actor, task=item.task, period=report.period,
                          done_text=report.done_text, percent=report.percent,
                          obstacles=report.obstacles, proposals=report.proposals,
                          regression_reason=report.regression_reason,
                          completed_on=report.completed_on,
                          result_document=report.result_document, today=today)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                column = read.column(REPORT_COLUMN.get(key, key))
                errors += [RowError(item.row, column, m) for m in messages]
        except PermissionDenied as exc:
            errors.append(RowError(item.row, read.column("lead_unit"), str(exc)))
        else:
            filed += 1
        if progress is not None and tried % 100 == 0:
            progress("write", done + tried, total)
    if errors:
        raise ImportRejected(errors)
    return filed


def _write(actor: Any, document: Document, checked: Checked, read: ReadFile, name: str,
           today: date | None, progress: Progress | None) -> ImportResult:
    new = [p for p in checked.tasks if p.task is None]
    changed = [p for p in checked.tasks if p.task is not None and p.changes]
    reports = [p for p in checked.tasks if p.report is not None]
    total = len(new) + len(changed) + len(reports)
    groups, groups_created, groups_renamed = _save_groups(actor, document, checked)
    for start in range(0, len(new), BATCH):
        chunk = new[start:start + BATCH]
        for planned, task in zip(chunk, _create(actor, chunk, groups, checked, name),
                                 strict=True):
            planned.task = task
            checked.positions[task.group_id] = max(checked.positions.get(task.group_id, 0),
                                                   task.position)
        if progress is not None:
            progress("write", start + len(chunk), total)
    _update(actor, changed, checked, name)
    if progress is not None and total:
        progress("write", len(new) + len(changed), total)
    filed = _reports(actor, checked.tasks, read, today, progress, len(new) + len(changed),
                     total)
    if progress is not None and total:
        progress("write", total, total)
    result = ImportResult(
        rows=len(read.rows), created=len(new), updated=len(changed),
        unchanged=len(checked.tasks) - len(new) - len(changed), reports=filed,
        reports_unchanged=sum(1 for p in checked.tasks if p.report_unchanged),
        groups_created=groups_created, groups_renamed=groups_renamed)
    if result.changed:
        audit_record(actor=actor, action=audit_events.TASKS_IMPORTED, obj=document,
                     unit=document.unit, details={
                         "file": name, "rows": result.rows, "created": result.created,
                         "updated": result.updated, "unchanged": result.unchanged,
                         "reports": result.reports, "groups_created": groups_created,
                         "groups_renamed": groups_renamed,
                         "tasks_created": [f"{p.group_code}/{p.code}"
                                           for p in new[:AUDIT_LIST]],
                         "tasks_updated": {f"{p.group_code}/{p.code}": sorted(p.changes)
                                           for p in changed[:AUDIT_LIST]}})
    return result
