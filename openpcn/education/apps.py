from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "openpcn.education"
    label = "education"
    verbose_name = "Education and CPD"
