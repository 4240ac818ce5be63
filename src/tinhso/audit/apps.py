from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tinhso.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Every domain declares its events in its own audit_events module; import them all so
        # the registry is complete before a page lists or labels them.
        autodiscover_modules("audit_events")
