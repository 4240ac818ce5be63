"""What the applicant's own account does on its dossier: answer a supplement request (the
clock restarts), rate the result, complain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.audit.services import audit_record
from tinhso.procedures import aggregate, audit_events, rules
from tinhso.procedures.models import Complaint, Dossier, FileKind, Rating
from tinhso.procedures.publication import publish_after_commit
from tinhso.procedures.rules import FEEDBACK_WORKING_DAYS
from tinhso.procedures.services.actions import restart_clock, transition
from tinhso.procedures.services.base import (
    calendar_for,
    check_uploads,
    lock,
    now_local,
    reason_given,
    record_event,
    require_applicant,
    store_file,
)


@transaction.atomic
def dossier_answer_supplement(*, account: Any, dossier: Dossier, note: str,
                              files: Mapping[str, UploadedFile] | None = None,
                              now: datetime | None = None) -> Dossier:
    """The applicant answers (with files); the clock restarts with the time that was left."""
    require_applicant(account, dossier)
    files = dict(files or {})
    if not note.strip() and not files:
        raise ValidationError({"note": [_("Say what you supplement, or attach a file.")]})
    check_uploads(files)
    done = transition(actor=account, dossier=dossier, action="answer_supplement", now=now,
                      note=note.strip(), change=restart_clock)
    for upload in files.values():
        store_file(done, FileKind.SUPPLEMENT, upload)
    return done


@transaction.atomic
def dossier_rate(*, account: Any, dossier: Dossier, level: int, comment: str = "",
                 now: datetime | None = None) -> Rating:
    require_applicant(account, dossier)
    locked = lock(dossier)
    if not rules.is_finished(locked.status):
        raise ValidationError({"level": [_("A dossier is rated once it is resolved.")]})
    if Rating.objects.filter(dossier=locked).exists():
        raise ValidationError({"level": [_("This dossier has already been rated.")]})
    if level not in Rating.Level.values:
        raise ValidationError({"level": [_("Choose a level from 1 to 5.")]})
    at = now_local(now)
    before = aggregate.snapshot(locked)
    rating = Rating.objects.create(dossier=locked, level=level, comment=comment.strip(), at=at)
    record_event(locked, "rate", account, at, rating.get_level_display())
    audit_record(actor=account, action=audit_events.DOSSIER_RATED, obj=locked, unit=locked.unit,
                 details={"level": level})
    aggregate.apply_change(before, aggregate.snapshot(locked, rating))
    publish_after_commit(locked)
    return rating


@transaction.atomic
def dossier_complain(*, account: Any, dossier: Dossier, text: str,
                     category: str = Complaint.Category.PROCEDURE,
                     now: datetime | None = None) -> Complaint:
    """Feedback (phản ánh, kiến nghị) on the dossier, handled by its receiving agency within
    ``FEEDBACK_WORKING_DAYS`` working days of the platform's calendar."""
    require_applicant(account, dossier)
    text = reason_given(text, "text")
    if category not in Complaint.Category.values:
        raise ValidationError({"category": [_("Choose what the feedback is about.")]})
    at = now_local(now)
    complaint = Complaint.objects.create(
        dossier=dossier, text=text, at=at, category=category, handling_unit=dossier.unit,
        due_at=calendar_for(at).add_working_days(at, FEEDBACK_WORKING_DAYS))
    record_event(dossier, "complain", account, at)
    audit_record(actor=account, action=audit_events.DOSSIER_COMPLAINED, obj=dossier,
                 unit=dossier.unit, details={"length": len(text), "category": category})
    publish_after_commit(dossier)
    return complaint
