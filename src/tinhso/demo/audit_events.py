"""The audit events of the published-data and demonstration loaders (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

PUBLISHED_LOADED = register_event("published.loaded", _("Published data loaded"))
DEMO_LOADED = register_event("demo.loaded", _("Demo accounts loaded"))
