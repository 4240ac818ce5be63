from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform: the resilient task worker and its heartbeats, backup and
    restore."""

    name = "tinhso.ops"
    label = "ops"
    verbose_name = "Operations"
