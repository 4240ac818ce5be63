"""Feedback (phản ánh, kiến nghị) on a dossier after it is sent (``dossier_complain``): the
handling unit's staff answer it at the desk, and its submitter says whether the handling
satisfied them (Decision 766 items 5.2 and 5.3). Both audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.audit.services import audit_record
from tinhso.procedures import access, audit_events
from tinhso.procedures.models import Complaint
from tinhso.procedures.publication import publish_after_commit
from tinhso.procedures.services.base import now_local, reason_given, require_applicant


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related(
        "dossier", "dossier__unit").get(pk=complaint.pk)


@transaction.atomic
def feedback_answer(*, actor: Any, complaint: Complaint, answer: str,
                    now: datetime | None = None) -> Complaint:
    """Staff who may process the dossier answer its feedback, once."""
    locked = _locked(complaint)
    if not access.may_act(actor, "dossiers.process", locked.dossier):
        raise PermissionDenied(_("You may not answer feedback on dossier %(code)s.")
                               % {"code": locked.dossier.code})
    if locked.answered_at is not None:
        raise ValidationError({"answer": [_("This feedback has already been answered.")]})
    locked.answer = reason_given(answer, "answer")
    locked.answered_at = now_local(now)
    locked.answered_by = actor
    locked.save(update_fields=["answer", "answered_at", "answered_by"])
    audit_record(actor=actor, action=audit_events.FEEDBACK_ANSWERED, obj=locked.dossier,
                 unit=locked.dossier.unit,
                 details={"feedback": locked.pk, "on_time": locked.due_at is None
                          or locked.answered_at <= locked.due_at})
    publish_after_commit(locked.dossier)
    return locked


@transaction.atomic
def feedback_rate(*, account: Any, complaint: Complaint, satisfied: bool) -> Complaint:
    """The submitter says, once, whether the answer satisfied them."""
    locked = _locked(complaint)
    require_applicant(account, locked.dossier)
    if locked.answered_at is None:
        raise ValidationError({"satisfied": [_("Feedback is rated once it is answered.")]})
    if locked.satisfied is not None:
        raise ValidationError({"satisfied": [_("This feedback's handling has already been "
                                               "rated.")]})
    locked.satisfied = bool(satisfied)
    locked.save(update_fields=["satisfied"])
    audit_record(actor=account, action=audit_events.FEEDBACK_RATED, obj=locked.dossier,
                 unit=locked.dossier.unit,
                 details={"feedback": locked.pk, "satisfied": locked.satisfied})
    publish_after_commit(locked.dossier)
    return locked
