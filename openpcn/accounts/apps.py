from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openpcn.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"
