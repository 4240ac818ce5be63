"""The outbox of the national portal: one row per public dossier event."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventSync(models.Model):
    """A dossier event on its way to the National Public Service Portal, written in the
    transaction of the action that wrote the event (``outbox.record``): it exists if and only
    if the action committed. It is waiting until the portal acknowledges it
    (``acknowledged_at``); each failed attempt counts and keeps its error, and the next one
    waits a capped back-off (``next_attempt_at``). Nothing is given up: a failing update stays
    waiting, visible on the synchronisation page, and is tried again. ``payload`` is what is
    sent (the dossier's state at the event), so sending reads no other app; ``unit`` and
    ``year`` (the receiving agency, the year the dossier was received) are what the Decision
    766 count is grouped by."""

    event = models.OneToOneField("procedures.DossierEvent", on_delete=models.CASCADE,
                                 related_name="portal_sync")
    dossier = models.ForeignKey("procedures.Dossier", on_delete=models.CASCADE,
                                related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    happened_at = models.DateTimeField(_("event time"))
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged by the portal"), null=True,
                                           blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["dossier", "event"]
        indexes = [
            # the waiting updates, per dossier in order: the sender's and the pages' reads
            models.Index(fields=["dossier", "event"], name="portalsync_waiting",
                         condition=models.Q(acknowledged_at__isnull=True)),
            models.Index(fields=["unit", "year"], name="portalsync_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {'sent' if self.acknowledged_at else 'waiting'}"
