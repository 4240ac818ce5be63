"""Online payments of dossiers' fees through the national payment platform (or, in tests and
the demo, the illustrative fake gateway)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    CREATED = "created", _("Waiting for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    """One transaction at the payment gateway for a dossier's fee: created when the applicant
    starts paying, then paid, cancelled or failed by the gateway's verified callback (or by
    reconciliation). Its reference is unique and is what the gateway's messages name."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    dossier = models.ForeignKey("procedures.Dossier", verbose_name=_("dossier"),
                                on_delete=models.PROTECT, related_name="payments")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("paid by"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    gateway = models.CharField(_("gateway"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices,
                             default=PaymentState.CREATED)
    gateway_reference = models.CharField(_("gateway's transaction"), max_length=100,
                                         blank=True)
    gateway_url = models.CharField(_("payment page"), max_length=500, blank=True,
                                   help_text=_("Where the applicant pays, at the gateway."))
    created_at = models.DateTimeField(_("started"))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    callback_at = models.DateTimeField(_("callback received"), null=True, blank=True)
    callback_payload = models.TextField(_("callback (as received)"), blank=True)
    settled_by = models.CharField(_("settled by"), max_length=20, blank=True,
                                  help_text=_("callback or reconciliation"))
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online payment")
        indexes = [models.Index(fields=["dossier", "state"]),
                   models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.reference


class FakeGatewayEntry(models.Model):
    """The illustrative fake gateway's own ledger (what the gateway knows, apart from the
    platform's records, so that reconciliation has something to compare): only written while
    ``TINHSO_PAYMENT_FAKE_GATEWAY`` is on."""

    reference = models.CharField(max_length=40, unique=True)
    dossier_code = models.CharField(max_length=60)
    amount = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=PaymentState.choices,
                             default=PaymentState.CREATED)
    gateway_reference = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.state}"
