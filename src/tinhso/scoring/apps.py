from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "tinhso.scoring"
    label = "scoring"
    verbose_name = _("Indices and rankings")

    def ready(self) -> None:
        # local: registers the app's actions once the app registry is ready
        from tinhso.scoring import permissions  # noqa: F401  (registers the actions)
