"""The audit events of the working-day calendar (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

CALENDAR_CHANGED = register_event("calendar.changed", _("Calendar changed"))
