"""What the operations app keeps in the database: the heartbeat of each task worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A ``tinhso worker`` process, seen alive at ``seen_at`` (it writes this every few seconds,
    idle or busy). A worker not seen for ``TINHSO_WORKER_DEAD_SECONDS`` is dead: the tasks it
    was running go back to the queue (``tinhso.ops.liveness``)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
