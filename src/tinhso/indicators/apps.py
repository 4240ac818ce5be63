from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "tinhso.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from tinhso.indicators import permissions, signals  # noqa: F401  (actions, blocks)
