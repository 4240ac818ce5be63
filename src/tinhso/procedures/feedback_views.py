"""Feedback (phản ánh, kiến nghị) on the pages: the desk answers it (a POST to the dossier's desk
page), the applicant says whether the handling satisfied them (an action of their dossier's
page). The services check who may and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tinhso.procedures import services
from tinhso.procedures.models import Complaint, Dossier


def _feedback_of(request: HttpRequest, dossier: Dossier) -> Complaint:
    try:
        return dossier.complaints.get(pk=int(request.POST.get("feedback", "")))
    except (ValueError, Complaint.DoesNotExist) as exc:
        raise Http404(_("There is no such feedback on this dossier.")) from exc


def answer_at_desk(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """The desk's answer to a feedback on ``dossier`` (whoever may see the dossier reaches
    here; the service asks for the right to process it)."""
    if request.POST.get("action") != "answer_feedback":
        raise Http404(_("There is no such action."))
    feedback = _feedback_of(request, dossier)
    try:
        services.feedback_answer(actor=request.user, complaint=feedback,
                                 answer=request.POST.get("answer", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The feedback was answered."))
    return redirect("desk:detail", code=dossier.code)


def rate_handling(request: HttpRequest, dossier: Dossier) -> str:
    """The applicant's answer to "did the handling of your feedback satisfy you?"."""
    feedback = _feedback_of(request, dossier)
    satisfied = request.POST.get("satisfied")
    if satisfied not in ("yes", "no"):
        raise ValidationError({"satisfied": [_("Say whether the handling satisfied you.")]})
    services.feedback_rate(account=request.user, complaint=feedback,
                           satisfied=satisfied == "yes")
    return _("Thank you: your opinion of the handling was recorded.")
