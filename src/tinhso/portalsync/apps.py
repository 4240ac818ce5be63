from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSyncConfig(AppConfig):
    """Synchronising each dossier's state with the National Public Service Portal."""

    name = "tinhso.portalsync"
    label = "portalsync"
    verbose_name = _("National portal synchronisation")

    def ready(self) -> None:
        # local: the outbox listens to the dossiers' events once the app registry is ready
        from tinhso.portalsync import outbox
        from tinhso.procedures.services import listen_to_events  # local: as above

        listen_to_events(outbox.record)
