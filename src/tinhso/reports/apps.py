from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tinhso.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # local: registers the app's actions once the app registry is ready
        from tinhso.reports import permissions  # noqa: F401  (registers the actions)
