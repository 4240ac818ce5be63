"""The task worker's side of a report: make the run's report, writing its progress as it goes,
then keep its file (with its size and SHA-256) or the message that says why it failed. A file
is kept only whole: it is written once the rendering has succeeded, and removed again if the
record of it cannot be saved."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tinhso.accounts.permissions import SYSTEM
from tinhso.reports.kinds.common import NoData
from tinhso.reports.making import make
from tinhso.reports.models import ReportRun, RunStatus
from tinhso.reports.validation import ReportInvalid, validate

log = logging.getLogger(__name__)


def _progress(run_id: int) -> Any:
    def write(percent: int, _phase: str) -> None:
        ReportRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, progress=percent)
    return write


def _fail(run_id: int, message: str) -> str:
    ReportRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, message=message,
                                               finished_at=timezone.now())
    return RunStatus.FAILED


def _keep(run: ReportRun, content: bytes, name: str, content_type: str, version: str) -> None:
    run.file.save(name, ContentFile(content), save=False)
    try:
        ReportRun.objects.filter(pk=run.pk).update(
            file=run.file.name, file_name=name, content_type=content_type, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), data_version=version,
            status=RunStatus.DONE, progress=100, finished_at=timezone.now(), message="")
    except Exception:
        run.file.delete(save=False)  # never a file without its record
        raise


@task()
def run_report(run_id: int) -> str:
    """Make a queued report; its record says how it went."""
    run = ReportRun.objects.select_related("created_by", "unit").get(pk=run_id)
    if not run.running:
        return str(run.status)  # already made (a task run twice)
    actor = run.created_by or SYSTEM
    _progress(run_id)(5, "checking")
    try:
        valid = validate(actor=actor, kind=run.kind, period=run.period, unit=run.unit.code,
                         fmt=run.fmt, layout=run.layout, number=run.number, check_data=False)
        made = make(valid, _progress(run_id))
    except (ReportInvalid, NoData, PermissionDenied) as exc:
        return _fail(run_id, str(exc))
    except Exception:
        log.exception("report %s failed", run_id)
        return _fail(run_id, _("The report could not be made; no file was kept. Try again, or "
                               "ask the administrator (the worker's log has the error)."))
    _keep(run, made.content, made.file_name, made.content_type, made.data_version)
    return RunStatus.DONE
