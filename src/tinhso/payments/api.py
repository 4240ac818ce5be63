"""Online payment through the API (mounted at /api/v1/payments/): the applicant starts paying a
dossier's fee (and is given the gateway's address to send the person to) and reads where its
payment stands; staff who see the dossier read it too. A dossier one may not see (or, to
start a payment, that is not one's own) is answered 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tinhso.accounts.api_auth import AUTH
from tinhso.core.api_schemas import ErrorOut, ValidationErrorOut
from tinhso.payments import services
from tinhso.payments.selectors import payment_panel
from tinhso.procedures import access

router = Router(tags=["payments"])


class PaymentOut(Schema):
    reference: str = Field(description="The unique transaction reference the gateway names")
    amount: int = Field(description="In đồng (VND)")
    state: str = Field(description="created (waiting for the gateway), paid, cancelled, failed")
    gateway: str
    created_at: datetime
    settled_at: datetime | None
    is_illustrative: bool = Field(description="Through the fake gateway: no money moved")


class PaymentStateOut(Schema):
    dossier: str
    fee: str = Field(description="The catalogue's fee text")
    paid_online: bool = Field(description="Counted as paid online: only after the gateway's "
                                          "verified confirmation")
    receipt_reference: str | None = Field(description="The paid transaction's reference")
    amount_due: int | None = Field(description="What can be paid online now, in đồng; null: "
                                               "nothing (see `reason`)")
    reason: str = Field(description="Why nothing can be paid online now")
    may_pay: bool = Field(description="The requesting account may start a payment now")
    payments: list[PaymentOut]


class PaymentStartOut(PaymentOut):
    payment_url: str = Field(description="Where to send the applicant to pay, at the gateway")


def _state(user: Any, code: str, purpose: str) -> tuple[Any, dict[str, Any]]:
    dossier = access.dossier_for(user, code, purpose)
    if dossier is None:
        raise Http404(_("There is no dossier %(code)s that you may see.") % {"code": code})
    return dossier, payment_panel(dossier, user)


@router.get("/dossiers/{code}/", response={200: PaymentStateOut, 401: ErrorOut, 404: ErrorOut},
            auth=AUTH, summary="Where a dossier's online payment stands",
            description="For the applicant's account and for staff who see the dossier.")
def payment_state(request: HttpRequest, code: str) -> Any:
    dossier, panel = _state(request.auth, code, access.ANY)  # type: ignore[attr-defined]
    paid = panel["paid"]
    return {"dossier": dossier.code, "fee": dossier.procedure.fee,
            "paid_online": dossier.paid_online,
            "receipt_reference": paid.reference if paid else None,
            "amount_due": panel["due"].amount, "reason": panel["due"].reason,
            "may_pay": panel["may_pay"], "payments": panel["payments"]}


@router.post("/dossiers/{code}/", response={201: PaymentStartOut, 400: ValidationErrorOut,
                                            401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             auth=AUTH, summary="Start paying a dossier's fee online",
             description=(
                 "The applicant's account: a transaction for the amount due at the payment "
                 "gateway (or the one already waiting for it), with the address to send the "
                 "person to. The dossier counts as paid only once the gateway's signed "
                 "callback is verified. 400 when nothing can be paid online (the reason)."))
def payment_start(request: HttpRequest, code: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    dossier, _panel = _state(user, code, access.APPLICANT)
    payment = services.payment_start(account=user, dossier=dossier,
                                     site=request.build_absolute_uri("/"))
    return Status(201, {**{f: getattr(payment, f) for f in (
        "reference", "amount", "state", "gateway", "created_at", "settled_at",
        "is_illustrative")}, "payment_url": request.build_absolute_uri(payment.gateway_url)})
