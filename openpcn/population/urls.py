from django.urls import path

from openpcn.population.views import dashboards, extracts, sharing, worklists

app_name = "population"

urlpatterns = [
    path("", dashboards.catalogue, name="catalogue"),
    path("organisations/<int:org>/", dashboards.organisation, name="organisation"),
    path(
        "organisations/<int:org>/indicators/<str:indicator>/",
        dashboards.indicator,
        name="indicator",
    ),
    path("organisations/<int:org>/core20plus5/", dashboards.core20plus5, name="core20plus5"),
    path("sharing/", sharing.agreement_list, name="sharing"),
    path("sharing/practices/<int:practice>/new/", sharing.agreement_new, name="agreement_new"),
    path(
        "sharing/agreements/<int:pk>/withdraw/",
        sharing.agreement_withdraw,
        name="agreement_withdraw",
    ),
    path("extracts/", extracts.extract_list, name="extracts"),
    path("extracts/new/", extracts.extract_new, name="extract_new"),
    path("extracts/<int:pk>/", extracts.extract_detail, name="extract"),
    path("extracts/<int:pk>/progress/", extracts.extract_progress, name="extract_progress"),
    path("extracts/<int:pk>/refresh/", extracts.refresh_new, name="refresh_new"),
    path("refreshes/<int:pk>/", extracts.refresh_detail, name="refresh"),
    path("refreshes/<int:pk>/progress/", extracts.refresh_progress, name="refresh_progress"),
    path("practices/<int:practice>/worklist/", worklists.worklist, name="worklist"),
    path("practices/<int:practice>/worklist.csv", worklists.worklist_csv, name="worklist_csv"),
]
