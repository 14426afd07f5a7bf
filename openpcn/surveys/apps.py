from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "openpcn.surveys"
    label = "surveys"
    verbose_name = "Surveys"
