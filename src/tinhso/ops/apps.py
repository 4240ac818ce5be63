from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform: the resilient task worker, backup and restore; the heartbeats of the task workers."""

    name = "tinhso.ops"
    label = "ops"
    verbose_name = "Operations"
