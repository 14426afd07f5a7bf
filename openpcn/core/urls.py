from django.urls import path

from openpcn.core import administration, resources, views

app_name = "core"

urlpatterns = [
    path("", views.root, name="root"),
    path("home/", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("administration/", administration.administration, name="administration"),
    path("resources/", resources.index, name="resources"),
]
