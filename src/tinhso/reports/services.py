"""Writes of reports: a request is checked (``validation``), recorded with an audit event and
queued for the task worker in the same transaction (``core.tasks``); the worker makes it
(``jobs.run_report``), writing its progress, then its file or why it failed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tinhso.audit.services import audit_record
from tinhso.core.tasks import enqueue_with_transaction
from tinhso.reports.audit_events import REPORT_REQUESTED
from tinhso.reports.jobs import run_report
from tinhso.reports.models import ReportRun
from tinhso.reports.validation import validate


@transaction.atomic
def report_request(*, actor: Any, kind: str, period: str, unit: str = "", fmt: str,
                   layout: str = "state", number: int | str | None = None) -> ReportRun:
    """Check the request (``validation.ReportInvalid``, or PermissionDenied for a unit
    outside the actor's scope: nothing is written), record it and queue its making."""
    valid = validate(actor=actor, kind=kind, period=period, unit=unit, fmt=fmt, layout=layout,
                     number=number)
    asked = valid.asked
    run = ReportRun.objects.create(
        created_by=actor if getattr(actor, "pk", None) else None,
        created_by_label=str(getattr(actor, "username", actor)),
        kind=valid.kind.code, period=asked.period.code, unit=asked.unit, fmt=valid.fmt.code,
        layout=asked.layout, number=asked.number, parameters=valid.parameters)
    audit_record(actor=actor if getattr(actor, "pk", None) else None, action=REPORT_REQUESTED,
                 obj=run, unit=asked.unit, details=valid.parameters)
    enqueue_with_transaction(run_report, run.pk)
    return run
