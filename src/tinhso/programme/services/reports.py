"""Progress reports: a unit files one, the coordinator accepts or returns it; the schedule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, require
from tinhso.audit.services import audit_record
from tinhso.core.four_eyes import wrote_it
from tinhso.core.uploads import UPLOAD_TYPES, check_upload
from tinhso.programme import audit_events, schedule
from tinhso.programme.models import (
    ProgressReport,
    ReportEvidence,
    ReportingSchedule,
    ReportKind,
    ReportStatus,
    Task,
    TaskEventKind,
)
from tinhso.programme.selectors import Clock, clock
from tinhso.programme.services.base import actor_user as _user
from tinhso.programme.services.base import checked_notation as _notation
from tinhso.programme.services.base import required_reason as _reason
from tinhso.programme.services.base import task_event as _event
from tinhso.programme.services.tasks import close_with_output
from tinhso.units.models import Unit

# --- progress reports ----------------------------------------------------------------------


def check_period(period: str, clk: Clock) -> str:
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


def _check_takes_reports(task: Task) -> None:
    if task.cancelled_on is not None:
        raise ValidationError({"task": _("The task was cancelled: it takes no more reports.")})
    if task.done_on is not None:
        raise ValidationError({"task": _("The task is done: it takes no more reports.")})


def _percent_errors(task: Task, percent: int | None,
                    regression_reason: str) -> dict[str, list[str]]:
    """The lead unit's percent complete: given, from 0 to 100, a step back explained."""
    if percent is None:
        return {"percent": [_("Give the percent complete.")]}
    if not 0 <= percent <= 100:
        return {"percent": [_("The percent complete is from 0 to 100.")]}
    if percent < task.progress and not regression_reason.strip():
        return {"regression_reason": [_(
            "Progress goes back from %(old)s %% to %(new)s %%: say why.")
            % {"old": task.progress, "new": percent}]}
    return {}


def _output_errors(task: Task, completed_on: date | None, result_document: str,
                   evidence: Sequence[UploadedFile], today: date) -> dict[str, list[str]]:
    """A report at 100 %: when the work was completed, and its output (a result document or
    an evidence file)."""
    errors: dict[str, list[str]] = {}
    if completed_on is None:
        errors["completed_on"] = [_("Give the date the work was completed.")]
    elif completed_on > today:
        errors["completed_on"] = [_("The completion date is in the future.")]
    elif completed_on < task.start_on:
        errors["completed_on"] = [_("The completion date is before the task started.")]
    if not result_document.strip() and not evidence:
        errors["result_document"] = [_(
            "A task is closed only with its output: give the result document's number "
            "and symbol or attach the evidence file.")]
    return errors


def _checked_evidence(evidence: Sequence[UploadedFile], errors: dict[str, list[str]]
                      ) -> list[tuple[tuple[str, str], UploadedFile]]:
    """The evidence files that pass ``check_upload`` with their (name, suffix); the others'
    problems go into ``errors``."""
    files = []
    for upload in evidence:
        try:
            files.append((check_upload(upload), upload))
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(exc.messages)
    return files


def _previous_report(task: Task, period: str, unit: Unit) -> ProgressReport | None:
    """The returned report this one follows, if any; refused while one waits for review."""
    pending = task.reports.filter(period=period, unit=unit, status=ReportStatus.SUBMITTED)
    if pending.exists():
        raise ValidationError({"period": _(
            "A report of %(unit)s for %(period)s is waiting for the coordinator.")
            % {"unit": unit.name, "period": period}})
    return (task.reports.filter(period=period, unit=unit, status=ReportStatus.RETURNED,
                                resubmission__isnull=True).order_by("-submitted_at").first())


def _attach_evidence(actor: Any, report: ProgressReport,
                     files: Sequence[tuple[tuple[str, str], UploadedFile]]) -> None:
    for (name, suffix), upload in files:
        item = ReportEvidence(report=report, name=name, content_type=UPLOAD_TYPES[suffix],
                              size=upload.size or 0, uploaded_by=_user(actor))
        item.file.save(name, upload, save=False)
        item.save()


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
    task = Task.objects.select_for_update(of=("self",)).select_related(
        "group__document", "lead_unit").get(pk=task.pk)
    clk = clock(today)
    unit, kind = _report_kind(actor, task, unit)
    _check_takes_reports(task)
    errors: dict[str, list[str]] = {}
    try:
        period = check_period(period, clk)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not done_text or not done_text.strip():
        errors["done_text"] = [_("Say what was done.")]
    if kind == ReportKind.LEAD:
        errors.update(_percent_errors(task, percent, regression_reason))
    else:
        percent = None
    if result_document.strip():
        try:
            result_document = _notation(result_document, "result_document")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if percent == 100:
        errors.update(_output_errors(task, completed_on, result_document, evidence, clk.today))
    files = _checked_evidence(evidence, errors)
    if errors:
        raise ValidationError(errors)
    previous = _previous_report(task, period, unit)
    report = ProgressReport.objects.create(
        task=task, period=period, unit=unit, kind=kind, percent=percent,
        done_text=done_text.strip(), obstacles=obstacles.strip(), proposals=proposals.strip(),
        regression_reason=regression_reason.strip(),
        completed_on=completed_on if percent == 100 else None,
        result_document=result_document.strip(), previous=previous,
        submitted_by=_user(actor), submitted_at=timezone.now(), is_illustrative=is_illustrative)
    _attach_evidence(actor, report, files)
    _event(task, TaskEventKind.REPORTED if kind == ReportKind.LEAD
           else TaskEventKind.SUPPORT_REPORTED, actor, report=report,
           note=report.done_text, percent=percent, period=period, unit=unit.code,
           resubmission=previous is not None)
    audit_record(actor=actor, action=audit_events.PROGRESS_REPORTED, obj=report, unit=unit,
                 details={"task": task.pk, "period": period, "percent": percent,
                          "kind": kind, "evidence": [f[0][0] for f in files],
                          "follows": previous.pk if previous else None})
    return report


def _decide(actor: Any, report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update(of=("self",)).select_related(
        "task__group__document", "task__lead_unit", "unit").get(pk=report.pk)
    require(actor, "programme.review", report.task.group.document.unit)
    if wrote_it(getattr(actor, "pk", None), (report.submitted_by_id,)):  # four eyes
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
    audit_record(actor=actor, action=audit_events.PROGRESS_ACCEPTED, obj=report,
                 unit=report.unit, details={"task": task.pk, "percent": report.percent,
                                            "comment": report.decision_comment})
    if report.kind == ReportKind.LEAD and report.percent is not None:
        if report.percent == 100 and report.completed_on is not None:
            first_file = report.evidence.first()
            output = report.result_document or (first_file.name if first_file else "")
            close_with_output(task, done_on=report.completed_on, result_document=output,
                              actor=actor, clk=clock(today), report=report)
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
    audit_record(actor=actor, action=audit_events.PROGRESS_RETURNED, obj=report,
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
    audit_record(actor=actor, action=audit_events.REPORTING_SCHEDULE_SET, obj=row,
                 details={"period_type": period_type, "close_day": close_day,
                          "due_working_days": due_working_days,
                          "due_soon_working_days": due_soon_working_days})
    return row

