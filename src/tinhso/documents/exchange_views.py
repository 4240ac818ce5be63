"""Signing and the exchange from the pages: the clerk signs an outgoing PDF with the
organisation's certificate and sends an issued document to other agencies from its page (a
refusal of the service comes back as a message on the page, never an error page; who may not
is refused, 403), and the exchange page shows what was sent and received."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tinhso.accounts.permissions import may
from tinhso.documents import exchange, exchange_selectors, services
from tinhso.documents.access import document_for, document_to_act_on


def _refusal(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    document = document_for(request.user, pk, what=f"sign file {file_id}")
    if not may(request.user, "documents.register", document.unit):
        raise PermissionDenied(_("Only the clerk of %(unit)s signs with its certificate.")
                               % {"unit": document.unit.name})
    attachment = exchange_selectors.attachment_to_sign(document, file_id)
    if attachment is None:
        raise Http404(_("There is no such file."))
    try:
        signed = services.attachment_sign(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, _("%(name)s was not signed: %(reason)s") % {
            "name": attachment.name, "reason": _refusal(exc)})
    else:
        messages.success(request, _("Signed with the organisation's certificate: %(name)s.")
                         % {"name": signed.name})
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_to_act_on(request.user, pk, "send", "documents.register",
                                  _("Only the clerk of %(unit)s sends its documents."))
    try:
        rows = exchange.document_send(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, _("The document was not sent: %(reason)s")
                       % {"reason": _refusal(exc)})
    else:
        if rows:
            messages.success(request, ngettext(
                "Queued for %(count)d agency: %(names)s.",
                "Queued for %(count)d agencies: %(names)s.", len(rows)) % {
                "count": len(rows), "names": "; ".join(r.peer_name or r.peer_code for r in rows)})
        else:
            messages.info(request, _("Every addressee outside this installation was already "
                                     "sent the document."))
    return redirect("documents:detail", pk=document.pk)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not exchange_selectors.follows_exchange(request.user):
        raise PermissionDenied(_("The exchange page is for the clerks, leaders and "
                                 "coordinators of the units."))
    found = exchange_selectors.overview(request.user)
    groups = [
        ("waiting", _("Outbound: waiting to be sent"), found.waiting),
        ("failed", _("Outbound: failing, tried again"), found.failed),
        ("sent", _("Outbound: sent, not yet acknowledged"), found.sent),
        ("acknowledged", _("Outbound: answered by the receiver"), found.acknowledged),
        ("received", _("Inbound: received and registered"), found.received),
        ("refused", _("Inbound: refused, with the reason"), found.refused),
    ]
    return render(request, "documents/exchange.html", {"overview": found, "groups": groups})
