from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "openpcn.policies"
    label = "policies"
    verbose_name = "Policies"
