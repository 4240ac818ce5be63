from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Changes to the working-day calendar (the calendar itself is read from ``tinhso.core``)."""

    name = "tinhso.calendars"
    label = "calendars"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # local: registers the calendar's actions once the app registry is ready
        from tinhso.calendars import permissions  # noqa: F401
