from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "openpcn.agreements"
    label = "agreements"
    verbose_name = "PCN Network Agreements"
