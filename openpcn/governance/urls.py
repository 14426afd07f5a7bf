from django.urls import path

from openpcn.governance import hub, plan_views, views

app_name = "governance"

urlpatterns = [
    path("", hub.index, name="index"),
    path("due/", hub.due, name="due"),
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/objectives/", plan_views.objective_add, name="objective_add"),
    path("plans/<int:pk>/agree/", plan_views.plan_agree, name="plan_agree"),
    path("objectives/<int:pk>/progress/", plan_views.objective_progress, name="objective_progress"),
    path("risks/", views.register, name="register"),
    path("risks/heat-map/", views.heat_map, name="heat_map"),
    path("risks/new/", views.risk_new, name="risk_new"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/close/", views.risk_close, name="risk_close"),
    path("risks/<int:pk>/escalate/", views.risk_escalate, name="risk_escalate"),
]
