"""The reports' stored data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TemplateLayout(models.TextChoices):
    STATE = "state", _("State body (Decree 30/2020)")
    PARTY = "party", _("Party committee")


class ReportTemplate(models.Model):
    """A Word template an administrator uploaded to replace a layout's default. At most one
    per layout is active; the ones it replaced are kept (inactive) as the history. No active
    row: the layout uses the committed default (``reports/data/templates/``)."""

    layout = models.CharField(_("layout"), max_length=10, choices=TemplateLayout.choices)
    name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["layout", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["layout"], condition=Q(active=True),
                                    name="reports_one_active_template_per_layout"),
        ]

    def __str__(self) -> str:
        return f"{self.layout}: {self.name}"
