"""The audit log: a typed event for every change, written by the service that makes it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import event_label


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as text too, so that the record survives the actor's account.
    actor_repr = models.CharField(_("actor"), max_length=150, blank=True)
    # A code registered by a domain (tinhso.audit.events.register_event), not a choice list.
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=60, blank=True)
    object_repr = models.CharField(_("object"), max_length=250, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr or '-'} {self.action}"

    @property
    def action_label(self) -> Any:
        """The action's label, from the domain that registered it."""
        return event_label(self.action)
