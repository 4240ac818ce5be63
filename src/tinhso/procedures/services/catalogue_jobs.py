"""The catalogue import from a page: the upload is kept with its decision (``CatalogueImport``)
and imported by the task worker (``core.tasks``: queued with the transaction that records it),
which writes its progress as it checks the file and, at the end, its report of what changed or
the problems that refused it. The page polls the record."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tinhso.core.imports import ImportRejected
from tinhso.core.tasks import enqueue_with_transaction
from tinhso.core.xlsx import Limits
from tinhso.procedures.catalogue_models import CatalogueImport, ImportStatus
from tinhso.procedures.services.catalogue import Decision, require_manage
from tinhso.procedures.services.catalogue_import import catalogue_import

log = logging.getLogger(__name__)


@transaction.atomic
def catalogue_import_start(*, actor: Any, name: str, content: bytes, decision: Decision
                           ) -> CatalogueImport:
    """Keep the upload and queue its import (refused at once without the right)."""
    require_manage(actor)
    job = CatalogueImport.objects.create(
        name=name[:200], content=content, effective_from=decision.effective_from,
        decision_number=decision.number, decision_date=decision.decision_date,
        legal_effective_date=decision.legal_effective_date, created_by=actor)
    enqueue_with_transaction(run_catalogue_import, job.pk)
    return job


def _progress(job_id: int) -> Any:
    def write(phase: str, done: int, total: int) -> None:
        CatalogueImport.objects.filter(pk=job_id).update(
            status=ImportStatus.RUNNING, rows_done=done, rows_total=total,
            report={"phase": phase})
    return write


def _finish(job_id: int, status: str, report: dict[str, Any]) -> None:
    CatalogueImport.objects.filter(pk=job_id).update(status=status, report=report,
                                                     finished_at=timezone.now())


@task()
def run_catalogue_import(job_id: int) -> str:
    """Import a kept upload; its record says how it went."""
    job = CatalogueImport.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportStatus.WAITING, ImportStatus.RUNNING):
        return str(job.status)  # already done (a task run twice)
    decision = Decision(job.decision_number, job.effective_from, job.decision_date,
                        job.legal_effective_date)
    progress = _progress(job_id)
    progress("reading", 0, 0)
    try:
        report = catalogue_import(job.name, bytes(job.content), actor=job.created_by,
                                  decision=decision, progress=progress,
                                  limits=Limits())
    except ImportRejected as exc:
        _finish(job_id, ImportStatus.REJECTED, {
            "errors": [[e.row, e.column, e.message] for e in exc.errors],
            "stopped": exc.stopped})
        return ImportStatus.REJECTED
    except Exception as exc:
        log.exception("catalogue import %s failed", job_id)
        _finish(job_id, ImportStatus.FAILED, {"error": str(exc)})
        raise
    done = report.as_dict()
    _finish(job_id, ImportStatus.DONE, done)
    CatalogueImport.objects.filter(pk=job_id).update(rows_done=report.rows,
                                                     rows_total=report.rows)
    return ImportStatus.DONE
