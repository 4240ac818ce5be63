from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform: the resilient task worker, backup and restore. No models."""

    name = "tinhso.ops"
    label = "ops"
    verbose_name = "Operations"
