from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openpcn.ledger"
    label = "ledger"
    verbose_name = "Ledger"
