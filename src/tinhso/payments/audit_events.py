"""The audit events of online payments (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

PAYMENT_STARTED = register_event("payment.started", _("Online payment started"))
PAYMENT_PAID = register_event("payment.paid", _("Online payment confirmed"))
PAYMENT_CLOSED = register_event("payment.closed", _("Online payment cancelled or failed"))
PAYMENT_REFUSED = register_event("payment.refused", _("Payment callback refused"))
PAYMENT_MISMATCH = register_event("payment.mismatch", _("Payment reconciliation mismatch"))
