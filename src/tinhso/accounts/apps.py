from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tinhso.accounts"
    label = "accounts"
    verbose_name = _("People and permissions")

    def ready(self) -> None:
        # local: connects the login/logout audit signals once the app registry is ready
        from tinhso.accounts import signals  # noqa: F401  (login/logout audit)
