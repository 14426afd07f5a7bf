from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "openpcn.contracts"
    label = "contracts"
    verbose_name = "Contracts and premises"
