"""Writes of the programme: documents, groups, tasks, progress reports and their review.

Each write is one transaction that checks the actor's role on the unit concerned, writes the
task's history (``TaskEvent``) and the audit event together, and refuses bad input with a
``ValidationError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, require
from tinhso.audit.models import AuditAction
from tinhso.audit.services import audit_record
from tinhso.core.uploads import UPLOAD_TYPES, check_upload
from tinhso.programme import schedule
from tinhso.programme.models import (
    Document,
    DocumentKind,
    ProgressReport,
    ReportEvidence,
    ReportingSchedule,
    ReportKind,
    ReportStatus,
    Supersession,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskGroup,
)
from tinhso.programme.notation import parse_notation
from tinhso.programme.selectors import Clock, clock
from tinhso.units.models import Unit


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _event(task: Task, kind: str, actor: Any, note: str = "",
           report: ProgressReport | None = None, **details: Any) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, actor=_user(actor),
                                    actor_label=str(getattr(actor, "username", actor or "")),
                                    report=report, note=note, details=details)


def _notation(raw: str, field: str) -> str:
    text = " ".join((raw or "").split())
    try:
        parse_notation(text)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return text


def _reason(reason: str, field: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError({field: _("Give the reason.")})
    return reason.strip()


# --- documents -----------------------------------------------------------------------------


def _check_document(document: Document) -> None:
    errors: dict[str, list[str]] = {}
    if document.kind not in DocumentKind.values:
        errors["kind"] = [_("Unknown kind of document.")]
    for other, name in ((document.implements, "implements"),
                        (document.supersedes, "supersedes")):
        if other is not None and other.pk is not None and other.pk == document.pk:
            errors[name] = [_("A document cannot refer to itself.")]
        elif other is not None and other.issued_on > document.issued_on:
            errors[name] = [_("%(number)s was issued after this document.")
                            % {"number": other.number}]
    if document.supersedes is not None and document.supersession not in Supersession.values:
        errors["supersession"] = [_("Say whether it amends or replaces %(number)s.")
                                  % {"number": document.supersedes.number}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_create(*, actor: Any, number: str, kind: str, title: str, issuer: str,
                    issued_on: date, unit: Unit, title_en: str = "", source: str = "",
                    implements: Document | None = None, supersedes: Document | None = None,
                    supersession: str = "", file: UploadedFile | None = None,
                    is_illustrative: bool = False) -> Document:
    require(actor, "programme.manage", unit)
    number = _notation(number, "number")
    if Document.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A document %(number)s is already recorded.")
                               % {"number": number}})
    document = Document(number=number, kind=kind, title=title.strip(), issuer=issuer.strip(),
                        issued_on=issued_on, unit=unit, title_en=title_en, source=source,
                        implements=implements, supersedes=supersedes,
                        supersession=supersession if supersedes else "",
                        is_illustrative=is_illustrative)
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    if file is not None:
        name, _suffix = check_upload(file)
        document.file.save(name, file)
    audit_record(actor=actor, action=AuditAction.DOCUMENT_CREATED, obj=document, unit=unit,
                 details={"number": number, "kind": kind,
                          "implements": implements.number if implements else None,
                          "supersedes": supersedes.number if supersedes else None})
    return document


DOCUMENT_FIELDS = {"kind", "title", "title_en", "issuer", "issued_on", "source", "implements",
                   "supersedes", "supersession", "is_illustrative"}


@transaction.atomic
def document_update(*, actor: Any, document: Document, **changes: Any) -> Document:
    require(actor, "programme.manage", document.unit)
    unknown = set(changes) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = {k: v for k, v in changes.items() if getattr(document, k) != v}
    if not changed:
        return document
    for key, value in changed.items():
        setattr(document, key, value)
    _check_document(document)
    document.full_clean(exclude=["file"])
    document.save()
    audit_record(actor=actor, action=AuditAction.DOCUMENT_UPDATED, obj=document,
                 unit=document.unit, details={k: str(v) for k, v in changed.items()})
    return document


# --- groups and tasks ----------------------------------------------------------------------


def _weight(raw: Any, field: str = "weight") -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else Decimal(1)
    except InvalidOperation as exc:
        raise ValidationError({field: _("'%s' is not a number.") % raw}) from exc
    if value < 0 or value >= 10**6:
        raise ValidationError({field: _("A weight is a number from 0 up.")})
    return value


@transaction.atomic
def group_save(*, actor: Any, document: Document, code: str, title: str,
               parent: TaskGroup | None = None, area: str = "", weight: Any = 1,
               position: int = 0, title_en: str = "", is_illustrative: bool = False
               ) -> TaskGroup:
    """Create the group ``code`` of the document, or bring it to these values."""
    require(actor, "programme.manage", document.unit)
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("Give the group's code (1, 1.2...).")})
    if parent is not None and parent.document_id != document.pk:
        raise ValidationError({"parent": _("The parent group belongs to another document.")})
    group = TaskGroup.objects.filter(document=document, code=code).first()
    values = {"title": title.strip(), "parent": parent, "area": area, "weight": _weight(weight),
              "position": position, "title_en": title_en, "is_illustrative": is_illustrative}
    if group is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == group.pk:
                raise ValidationError({"parent": _("A group cannot be placed within itself.")})
            ancestor = ancestor.parent
        changed = {k: v for k, v in values.items() if getattr(group, k) != v}
        if not changed:
            return group
        for key, value in changed.items():
            setattr(group, key, value)
    else:
        group = TaskGroup(document=document, code=code, **values)
    group.full_clean()
    group.save()
    audit_record(actor=actor, action=AuditAction.TASK_GROUP_SAVED, obj=group,
                 unit=document.unit, details={"document": document.number, "code": code,
                                              "parent": parent.code if parent else None})
    return group


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
    audit_record(actor=actor, action=AuditAction.TASK_CREATED, obj=task, unit=lead_unit,
                 details=_task_snapshot(task))
    return task


@transaction.atomic
def task_update(*, actor: Any, task: Task, **changes: Any) -> Task:
    """Change a task's fields; a closed task keeps its dates. Writes nothing without a change."""
    unknown = set(changes) - TASK_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    task = Task.objects.select_for_update().select_related("group__document", "lead_unit") \
        .get(pk=task.pk)
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
        audit_record(actor=actor, action=AuditAction.TASK_UPDATED, obj=task,
                     unit=task.lead_unit, details=changed)
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: Task, reason: str, on: date | None = None) -> Task:
    task = Task.objects.select_for_update().select_related("group__document", "lead_unit") \
        .get(pk=task.pk)
    require(actor, "programme.manage", task.group.document.unit)
    reason = _reason(reason, "reason")
    if task.is_closed:
        raise ValidationError({"reason": _("The task is already closed.")})
    task.cancelled_on = on or timezone.localdate()
    task.cancel_reason = reason
    task.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    _event(task, TaskEventKind.CANCELLED, actor, note=reason)
    audit_record(actor=actor, action=AuditAction.TASK_CANCELLED, obj=task, unit=task.lead_unit,
                 details={"reason": reason})
    return task


def _close(task: Task, *, done_on: date, result_document: str, actor: Any, clk: Clock,
           report: ProgressReport | None = None) -> None:
    task.done_on = done_on
    task.finished_late = schedule.finished_late(task.due_on, done_on, clk.cal)
    task.result_document = result_document
    task.progress = 100
    task.save(update_fields=["done_on", "finished_late", "result_document", "progress",
                             "updated_at"])
    _event(task, TaskEventKind.CLOSED, actor, report=report, done_on=done_on.isoformat(),
           late=task.finished_late, result_document=result_document)
    audit_record(actor=actor, action=AuditAction.TASK_CLOSED, obj=task, unit=task.lead_unit,
                 details={"done_on": done_on.isoformat(), "late": task.finished_late,
                          "result_document": result_document})


# --- progress reports ----------------------------------------------------------------------


def _check_period(period: str, clk: Clock) -> str:
    period = (period or "").strip()
    try:
        covered = schedule.reporting_period(period, clk.rule)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if covered.start > clk.today:
        raise ValidationError({"period": _("The period %(period)s has not begun.")
                               % {"period": period}})
    return period


def _report_kind(actor: Any, task: Task, unit: Unit | None) -> tuple[Unit, str]:
    unit = unit or task.lead_unit
    if unit.pk == task.lead_unit_id:
        kind = ReportKind.LEAD
    elif task.support_units.filter(pk=unit.pk).exists():
        kind = ReportKind.SUPPORT
    else:
        raise ValidationError({"unit": _("%(unit)s neither leads nor supports this task.")
                               % {"unit": unit.name}})
    if not may(actor, "programme.report", unit):
        raise PermissionDenied(_("You may not report for %(unit)s: it is outside your units.")
                               % {"unit": unit.name})
    return unit, kind


@transaction.atomic
def report_submit(*, actor: Any, task: Task, period: str, done_text: str,
                  percent: int | None = None, unit: Unit | None = None, obstacles: str = "",
                  proposals: str = "", regression_reason: str = "",
                  completed_on: date | None = None, result_document: str = "",
                  evidence: Sequence[UploadedFile] = (), today: date | None = None,
                  is_illustrative: bool = False) -> ProgressReport:
    """A unit's report on a task for a period; a resubmission follows the returned report.
    The lead unit's report at 100 % must say when the work was completed and name its output
    (a result document's number and symbol, or an evidence file)."""
    task = Task.objects.select_for_update().select_related("group__document", "lead_unit") \
        .get(pk=task.pk)
    clk = clock(today)
    unit, kind = _report_kind(actor, task, unit)
    if task.cancelled_on is not None:
        raise ValidationError({"task": _("The task was cancelled: it takes no more reports.")})
    if task.done_on is not None:
        raise ValidationError({"task": _("The task is done: it takes no more reports.")})
    errors: dict[str, list[str]] = {}
    try:
        period = _check_period(period, clk)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not done_text or not done_text.strip():
        errors["done_text"] = [_("Say what was done.")]
    if kind == ReportKind.LEAD:
        if percent is None:
            errors["percent"] = [_("Give the percent complete.")]
        elif not 0 <= percent <= 100:
            errors["percent"] = [_("The percent complete is from 0 to 100.")]
        elif percent < task.progress and not regression_reason.strip():
            errors["regression_reason"] = [_(
                "Progress goes back from %(old)s %% to %(new)s %%: say why.")
                % {"old": task.progress, "new": percent}]
    else:
        percent = None
    if result_document.strip():
        try:
            result_document = _notation(result_document, "result_document")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if percent == 100:
        if completed_on is None:
            errors["completed_on"] = [_("Give the date the work was completed.")]
        elif completed_on > clk.today:
            errors["completed_on"] = [_("The completion date is in the future.")]
        elif completed_on < task.start_on:
            errors["completed_on"] = [_("The completion date is before the task started.")]
        if not result_document.strip() and not evidence:
            errors["result_document"] = [_(
                "A task is closed only with its output: give the result document's number "
                "and symbol or attach the evidence file.")]
    files = []
    for upload in evidence:
        try:
            files.append((check_upload(upload), upload))
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    pending = task.reports.filter(period=period, unit=unit, status=ReportStatus.SUBMITTED)
    if pending.exists():
        raise ValidationError({"period": _(
            "A report of %(unit)s for %(period)s is waiting for the coordinator.")
            % {"unit": unit.name, "period": period}})
    previous = (task.reports.filter(period=period, unit=unit, status=ReportStatus.RETURNED,
                                    resubmission__isnull=True).order_by("-submitted_at").first())
    report = ProgressReport.objects.create(
        task=task, period=period, unit=unit, kind=kind, percent=percent,
        done_text=done_text.strip(), obstacles=obstacles.strip(), proposals=proposals.strip(),
        regression_reason=regression_reason.strip(),
        completed_on=completed_on if percent == 100 else None,
        result_document=result_document.strip(), previous=previous,
        submitted_by=_user(actor), submitted_at=timezone.now(), is_illustrative=is_illustrative)
    for (name, suffix), upload in files:
        item = ReportEvidence(report=report, name=name, content_type=UPLOAD_TYPES[suffix],
                              size=upload.size or 0, uploaded_by=_user(actor))
        item.file.save(name, upload, save=False)
        item.save()
    _event(task, TaskEventKind.REPORTED if kind == ReportKind.LEAD
           else TaskEventKind.SUPPORT_REPORTED, actor, report=report,
           note=report.done_text, percent=percent, period=period, unit=unit.code,
           resubmission=previous is not None)
    audit_record(actor=actor, action=AuditAction.PROGRESS_REPORTED, obj=report, unit=unit,
                 details={"task": task.pk, "period": period, "percent": percent,
                          "kind": kind, "evidence": [f[0][0] for f in files],
                          "follows": previous.pk if previous else None})
    return report


def _decide(actor: Any, report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related(
        "task__group__document", "task__lead_unit", "unit").get(pk=report.pk)
    require(actor, "programme.review", report.task.group.document.unit)
    if report.submitted_by_id is not None and report.submitted_by_id == getattr(actor, "pk", 0):
        raise PermissionDenied(_("You wrote this report: another person decides on it."))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": _("This report is %(status)s already.")
                               % {"status": report.get_status_display().lower()}})
    return report


@transaction.atomic
def report_accept(*, actor: Any, report: ProgressReport, comment: str = "",
                  today: date | None = None) -> ProgressReport:
    """Accept a report: the lead unit's percent becomes the task's progress; at 100 % the task
    is closed with its output, on time or late by the calendar."""
    report = _decide(actor, report)
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if task.is_closed:
        raise ValidationError({"status": _("The task is closed already.")})
    report.status = ReportStatus.ACCEPTED
    report.decided_by, report.decided_at = _user(actor), timezone.now()
    report.decision_comment = comment.strip()
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _event(task, TaskEventKind.ACCEPTED, actor, report=report, note=report.decision_comment,
           percent=report.percent, period=report.period)
    audit_record(actor=actor, action=AuditAction.PROGRESS_ACCEPTED, obj=report,
                 unit=report.unit, details={"task": task.pk, "percent": report.percent,
                                            "comment": report.decision_comment})
    if report.kind == ReportKind.LEAD and report.percent is not None:
        if report.percent == 100 and report.completed_on is not None:
            first_file = report.evidence.first()
            output = report.result_document or (first_file.name if first_file else "")
            _close(task, done_on=report.completed_on, result_document=output, actor=actor,
                   clk=clock(today), report=report)
        elif task.progress != report.percent:
            task.progress = report.percent
            task.save(update_fields=["progress", "updated_at"])
    return report


@transaction.atomic
def report_return(*, actor: Any, report: ProgressReport, comment: str) -> ProgressReport:
    """Return a report to its unit with the coordinator's comment (required)."""
    comment = _reason(comment, "comment")
    report = _decide(actor, report)
    report.status = ReportStatus.RETURNED
    report.decided_by, report.decided_at = _user(actor), timezone.now()
    report.decision_comment = comment
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _event(report.task, TaskEventKind.RETURNED, actor, report=report, note=comment,
           period=report.period)
    audit_record(actor=actor, action=AuditAction.PROGRESS_RETURNED, obj=report,
                 unit=report.unit, details={"task": report.task_id, "comment": comment})
    return report


# --- the schedule --------------------------------------------------------------------------


@transaction.atomic
def reporting_schedule_set(*, actor: Any, period_type: str, close_day: int = 0,
                           due_working_days: int = 5, due_soon_working_days: int = 10
                           ) -> ReportingSchedule:
    require(actor, "programme.manage", None)
    row = ReportingSchedule.objects.select_for_update().first() or ReportingSchedule()
    row.period_type, row.close_day = period_type, close_day
    row.due_working_days, row.due_soon_working_days = due_working_days, due_soon_working_days
    row.full_clean()
    row.save()
    audit_record(actor=actor, action=AuditAction.REPORTING_SCHEDULE_SET, obj=row,
                 details={"period_type": period_type, "close_day": close_day,
                          "due_working_days": due_working_days,
                          "due_soon_working_days": due_soon_working_days})
    return row
