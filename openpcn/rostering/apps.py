from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "openpcn.rostering"
    label = "rostering"
    verbose_name = "Rotas"
