from django.urls import path

from openpcn.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.policy_new, name="policy_new"),
    path("mine/", views.mine, name="mine"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/<int:pk>/", views.practice_compliance, name="practice"),
    path(
        "compliance/<int:pk>/evidence.<str:fmt>",
        views.evidence,
        name="evidence",
    ),
    path("<int:pk>/", views.policy, name="policy"),
    path("<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/approve/", views.version_approve, name="version_approve"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("versions/<int:pk>/diff/", views.version_diff, name="version_diff"),
    path("versions/<int:pk>/document/", views.version_document, name="version_document"),
    path("versions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
