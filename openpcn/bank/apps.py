from django.apps import AppConfig


class BankConfig(AppConfig):
    name = "openpcn.bank"
    label = "bank"
    verbose_name = "Mutual aid and staff bank"
