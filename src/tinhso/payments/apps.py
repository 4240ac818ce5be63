from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tinhso.payments"
    label = "payments"
    verbose_name = _("Online payment")

    def ready(self) -> None:
        # local: registers the built-in gateways once the app registry is ready
        from tinhso.payments import gateways  # noqa: F401  (registers the connectors)
