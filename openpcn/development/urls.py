from django.urls import path

from openpcn.development import views

app_name = "development"

urlpatterns = [
    path("", views.index, name="index"),
    path("maturity/", views.maturity_comparison, name="maturity"),
    path("maturity/pcns/<int:pk>/", views.pcn_maturity, name="pcn_maturity"),
    path("maturity/pcns/<int:pk>/new/", views.maturity_record, name="maturity_record"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("places/", views.across_places, name="across_places"),
    path("places/report.pdf", views.across_places_pdf, name="across_places_pdf"),
    path("places/<int:pk>/", views.place_report, name="place_report"),
    path("places/<int:pk>/report.pdf", views.place_report_pdf, name="place_report_pdf"),
    path("places/<int:pk>/findings/", views.finding_new, name="finding_new"),
    path("places/<int:pk>/recommendations/", views.recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path(
        "recommendations/<int:pk>/update/",
        views.recommendation_update,
        name="recommendation_update",
    ),
    path("recommendations/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
