from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "tinhso.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        # local: registers the app's actions once the app registry is ready
        from tinhso.programme import permissions  # noqa: F401  (actions)
