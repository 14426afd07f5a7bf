from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "openpcn.workforce"
    label = "workforce"
    verbose_name = "Workforce"
