from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Changes to the working-day calendar (the calendar itself is read from ``tinhso.core``)."""

    name = "tinhso.calendars"
    label = "calendars"
    verbose_name = _("Working-day calendar")
