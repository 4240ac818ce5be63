from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "tinhso.procedures"
    label = "procedures"
    verbose_name = _("Public services")

    def ready(self) -> None:
        # local: registers the wing's actions once the app registry is ready
        from tinhso.procedures import permissions  # noqa: F401  (registers the wing's actions)

        # local: the search's SQLite function, registered once the app registry is ready
        from tinhso.procedures.search import connect

        connect()
