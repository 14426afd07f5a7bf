from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openpcn.core"
    label = "core"
    verbose_name = "Core"
