from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tinhso.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # local: registers the app's actions, and the output formats with reports.output
        from tinhso.reports import excel, pdf, permissions, word  # noqa: F401
