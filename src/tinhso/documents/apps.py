from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The document office: official documents between agencies."""

    name = "tinhso.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # local: registers the app's actions and audit events once the app registry is ready
        from tinhso.documents import audit_events, exchange, permissions  # noqa: F401

        exchange.connect()  # the exchange's listener on the handling's steps

        # local: the search's SQLite fold function, registered once the app registry is ready
        from tinhso.documents.search import connect

        connect()
