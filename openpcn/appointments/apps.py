from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "openpcn.appointments"
    label = "appointments"
    verbose_name = "Clinical Director appointments"
