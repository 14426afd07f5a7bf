from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "openpcn.population"
    label = "population"
    verbose_name = "Population health"
