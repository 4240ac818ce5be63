"""Handling an incoming document: a leader's direction (the handling slip: lead unit,
supporting units, deadline in working days on the platform's calendar), which creates a task in
the programme when the document assigns work; comments and drafts of the units it reaches;
closing it, and closing its task citing the answering document. Every step is kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may, require
from tinhso.audit.services import audit_record
from tinhso.core.calendar import cached_work_calendar
from tinhso.documents import audit_events
from tinhso.documents.models import (
    OPEN_INCOMING,
    Assignment,
    Direction,
    Document,
    Status,
    StepKind,
)
from tinhso.documents.services.base import raise_if, step
from tinhso.documents.services.files import attach_uploads, check_files
from tinhso.programme import services as programme
from tinhso.units.models import Unit


def deadline(start: datetime, working_days: int) -> date:
    """The day ``working_days`` working days after ``start``, on the platform's calendar."""
    calendar = cached_work_calendar(start.year)
    return calendar.add_working_days(start, working_days).date()


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=document.pk)


def _direction_errors(document: Document, lead_unit: Unit | None, support: Sequence[Unit],
                      due_on: date | None, instruction: str, today: date) -> dict[str, list]:
    errors: dict[str, list] = {}
    if document.direction != Direction.INCOMING or document.status not in OPEN_INCOMING:
        errors["status"] = [_("Only an open incoming document is assigned.")]
    if lead_unit is None:
        errors["lead_unit"] = [_("Give the lead unit.")]
    elif lead_unit in support:
        errors["support_units"] = [_("The lead unit is not also a supporting unit.")]
    if due_on is None:
        errors["due_on"] = [_("Give the deadline (a date or a number of working days).")]
    elif due_on < today:
        errors["due_on"] = [_("The deadline cannot be before today.")]
    if not instruction.strip():
        errors["instruction"] = [_("Write the direction.")]
    return errors


@transaction.atomic
def document_direct(*, actor: Any, document: Document, lead_unit: Unit | None,
                    instruction: str, support_units: Sequence[Unit] = (),
                    due_on: date | None = None, working_days: int | None = None,
                    task_group: int | None = None, now: datetime | None = None) -> Assignment:
    """A leader's direction. The deadline is ``due_on``, or ``working_days`` from now on the
    platform's calendar. A document that assigns work becomes a task of the programme in
    ``task_group``, with the document as its source."""
    document = _locked(document)
    require(actor, "documents.direct", document.unit)
    now = timezone.localtime(now or timezone.now())
    if due_on is None and working_days is not None:
        if working_days < 1:
            raise ValidationError({"working_days": [_("Give at least one working day.")]})
        due_on = deadline(now, working_days)
    errors = _direction_errors(document, lead_unit, support_units, due_on, instruction,
                               now.date())
    if Assignment.objects.filter(document=document).exists():
        errors["status"] = [_("The document is already assigned.")]
    if document.assigns_work and task_group is None:
        errors["task_group"] = [_("The document assigns work: choose the programme's group "
                                  "of its task.")]
    raise_if(errors)
    assert lead_unit is not None and due_on is not None
    assignment = Assignment.objects.create(document=document, lead_unit=lead_unit, due_on=due_on,
                                           instruction=instruction.strip(), directed_by=actor,
                                           directed_at=now)
    assignment.support_units.set(support_units)
    if document.assigns_work and task_group is not None:
        task = programme.task_assign(
            actor=actor, group_id=task_group, code=f"VB-{document.year}-{document.arrival_number}",
            title=document.subject, lead_unit=lead_unit, start_on=now.date(), due_on=due_on,
            support_units=support_units, source=source_of(document))
        assignment.task_id = task.pk
        assignment.save(update_fields=["task_id"])
    document.status = Status.DIRECTED
    document.save(update_fields=["status", "updated_at"])
    step(document, StepKind.DIRECTED, actor, instruction.strip(), at=now, lead_unit=lead_unit.name,
         due_on=due_on.isoformat(), task=assignment.task_id)
    audit_record(actor=actor, action=audit_events.DOCUMENT_DIRECTED, obj=document,
                 unit=document.unit, details={"lead_unit": lead_unit.code,
                                              "support_units": [u.code for u in support_units],
                                              "due_on": due_on.isoformat(),
                                              "task": assignment.task_id})
    return assignment


def source_of(document: Document) -> str:
    """How a task names the document it comes from, in the official language whatever the
    language of the page or command that directs it (the task keeps the text)."""
    issued = f"{document.issued_on:%d/%m/%Y}" if document.issued_on else ""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Document %(code)s of %(issuer)s, %(date)s (arrival number "
                 "%(arrival)s/%(year)s)") % {
            "code": document.code, "issuer": document.issuer_name, "date": issued,
            "arrival": document.arrival_number, "year": document.year}


def handling_units(document: Document) -> list[Unit]:
    units = [document.unit]
    assignment = Assignment.objects.filter(document=document).select_related("lead_unit").first()
    if assignment is not None:
        units += [assignment.lead_unit, *assignment.support_units.all()]
    return units


def require_handles(actor: Any, document: Document) -> None:
    if not any(may(actor, "documents.handle", u) for u in handling_units(document)):
        raise PermissionDenied(_("You may not handle this document."))


@transaction.atomic
def document_comment(*, actor: Any, document: Document, text: str, draft: bool = False,
                     files: Sequence[Any] = ()) -> None:
    """A comment (or a draft answer, with its file) on the document; kept for good."""
    document = _locked(document)
    require_handles(actor, document)
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    check_files(files)
    stored = attach_uploads(document, files)
    kind = StepKind.DRAFT if draft else StepKind.COMMENT
    entry = step(document, kind, actor, text.strip())
    if stored:
        entry.attachment = stored[0]
        entry.save(update_fields=["attachment"])
    if document.status == Status.DIRECTED:
        document.status = Status.HANDLING
        document.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=audit_events.DOCUMENT_COMMENTED, obj=document,
                 unit=document.unit, details={"draft": draft, "files": len(stored)})


@transaction.atomic
def document_close(*, actor: Any, document: Document, reason: str) -> None:
    """Close an incoming document without an answer (for information, or handled otherwise)."""
    document = _locked(document)
    require_handles(actor, document)
    if document.direction != Direction.INCOMING or document.status not in OPEN_INCOMING:
        raise ValidationError({"status": [_("Only an open incoming document is closed.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the document is closed.")]})
    document.status = Status.CLOSED
    document.save(update_fields=["status", "updated_at"])
    Assignment.objects.filter(document=document, closed_on__isnull=True).update(
        closed_on=timezone.localdate())
    step(document, StepKind.CLOSED, actor, reason.strip())
    audit_record(actor=actor, action=audit_events.DOCUMENT_CLOSED, obj=document,
                 unit=document.unit, details={"reason": reason.strip()})


@transaction.atomic
def document_task_close(*, actor: Any, document: Document) -> None:
    """Close the programme task of an answered document, citing the answer as its output."""
    assignment = Assignment.objects.filter(document=document).first()
    answer = document.answers.filter(number__isnull=False).order_by("issued_on", "pk").first()
    if assignment is None or assignment.task_id is None or answer is None:
        raise ValidationError({"task": [_("The document has no task to close, or no answer "
                                          "issued yet.")]})
    programme.task_close_cited(actor=actor, task_id=assignment.task_id,
                               done_on=answer.issued_on or timezone.localdate(),
                               result_document=answer.code)
    step(document, StepKind.CLOSED, actor, answer.code, task=assignment.task_id)
