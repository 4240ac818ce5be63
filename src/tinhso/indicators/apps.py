from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "tinhso.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # local: registers the actions, connects the blocks' signals, once the registry is ready
        from tinhso.indicators import permissions, signals  # noqa: F401  (actions, blocks)
