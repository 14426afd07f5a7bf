from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "openpcn.development"
    label = "development"
    verbose_name = "PCN development"
