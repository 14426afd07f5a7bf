from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "openpcn.recruitment"
    label = "recruitment"
    verbose_name = "Recruitment"
