"""The audit events of administrative units (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

UNIT_CREATED = register_event("unit.created", _("Unit created"))
UNIT_UPDATED = register_event("unit.updated", _("Unit changed"))
UNITS_IMPORTED = register_event("units.imported", _("Units imported"))
