"""The calendar's editable parts: days that differ from the holidays package, working hours."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class CalendarDay(models.Model):
    """A day an administrator (or an announcement file) sets: off, or worked."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class WorkingHours(models.Model):
    """The one-stop desks' working hours (one row). Until confirmed, shown as an assumption."""

    morning_start = models.TimeField(default="07:00")
    morning_end = models.TimeField(default="11:30")
    afternoon_start = models.TimeField(default="13:30")
    afternoon_end = models.TimeField(default="17:00")
    confirmed = models.BooleanField(_("confirmed by an administrator"), default=False)

    class Meta:
        verbose_name = _("working hours")

    def __str__(self) -> str:
        return (f"{self.morning_start}-{self.morning_end}, "
                f"{self.afternoon_start}-{self.afternoon_end}")


class ThrottleCounter(models.Model):
    """Guesses counted for one scope and client address (``core.throttle``), shared by every
    worker process. ``count`` only changes in single conditional UPDATEs, so concurrent
    requests can never take more than the limit between them."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("throttle counter")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
