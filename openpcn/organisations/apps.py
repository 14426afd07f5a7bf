from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openpcn.organisations"
    label = "organisations"
    verbose_name = "Organisation registry"
