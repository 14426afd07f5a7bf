from django.urls import path

from openpcn.governance import hub, views

app_name = "governance"

urlpatterns = [
    path("", hub.index, name="index"),
    path("due/", hub.due, name="due"),
    path("risks/", views.register, name="register"),
    path("risks/heat-map/", views.heat_map, name="heat_map"),
    path("risks/new/", views.risk_new, name="risk_new"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/close/", views.risk_close, name="risk_close"),
    path("risks/<int:pk>/escalate/", views.risk_escalate, name="risk_escalate"),
]
