"""The payment pages: the applicant starts paying from the dossier's page and comes back from
the gateway; the gateway calls back (JSON, signed); the illustrative fake gateway's page.
Every write goes through ``payments.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tinhso.payments import gateways, services
from tinhso.payments.models import PaymentState
from tinhso.payments.selectors import money, own_payment, payments_of
from tinhso.procedures import access

if TYPE_CHECKING:
    from tinhso.procedures.models import Dossier


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = access.dossier_for(request.user, code, access.APPLICANT)
    if dossier is None:
        raise Http404(_("You have no dossier with code %(code)s.") % {"code": code})
    return dossier


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    """"Pay online" on the dossier's page: to the gateway, or back with the reason why not."""
    dossier = _own_dossier(request, code)
    try:
        payment = services.payment_start(account=request.user, dossier=dossier,
                                         site=request.build_absolute_uri("/"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("dossiers:detail", code=code)
    return redirect(payment.gateway_url)


@login_required
def returned(request: HttpRequest, code: str) -> HttpResponse:
    """Where the gateway sends the applicant back: the dossier's page, saying where the
    payment stands (paid only once the gateway's callback was verified)."""
    dossier = _own_dossier(request, code)
    latest = next(iter(payments_of(dossier)), None)
    if latest is None:
        return redirect("dossiers:detail", code=code)
    if latest.state == PaymentState.PAID:
        messages.success(request, _("The fee was paid (%(amount)s); payment reference "
                                    "%(reference)s.") % {"amount": money(latest.amount),
                                                         "reference": latest.reference})
    elif latest.state == PaymentState.CREATED:
        messages.info(request, _("The payment platform has not confirmed the payment yet: "
                                 "this page will show it once it does."))
    else:
        messages.warning(request, _("The payment was %(state)s: nothing was recorded as paid.")
                         % {"state": latest.get_state_display().lower()})
    return redirect("dossiers:detail", code=code)


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> JsonResponse:
    """The gateway's signed callback (server to server). 200 when verified (recorded now or
    already), 400 when refused (the reason, for the gateway's log)."""
    try:
        body = request.body
    except RawPostDataException:  # a form, already read: not a gateway's JSON message
        body = b""
    result = services.receive_callback(
        body=body, signature=request.headers.get(gateways.SIGNATURE_HEADER, ""))
    return JsonResponse({"result": "ok" if result.accepted else "refused",
                         "detail": result.reason}, status=200 if result.accepted else 400)


@login_required
def fake_gateway(request: HttpRequest, reference: str) -> HttpResponse:
    """The illustrative gateway's page (only while ``TINHSO_PAYMENT_FAKE_GATEWAY`` is on): the
    amount, "pay" and "cancel"; then back to the dossier as a real gateway would send."""
    payment = own_payment(request.user, reference) if gateways.fake_enabled() else None
    if payment is None or payment.gateway != "fake":
        raise Http404(_("There is no such payment."))
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in ("pay", "cancel"):
            raise Http404(_("There is no such choice."))
        services.fake_gateway_settle(reference, PaymentState.PAID if choice == "pay"
                                     else PaymentState.CANCELLED)
        return redirect("payments:returned", code=payment.dossier.code)
    return render(request, "payments/fake_gateway.html", {
        "payment": payment, "amount": money(payment.amount)})
