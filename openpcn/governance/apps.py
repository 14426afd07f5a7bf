from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "openpcn.governance"
    label = "governance"
    verbose_name = "Governance"
