from django.urls import path

from openpcn.directory import api, views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("print/", views.printable, name="print"),
    path("manage/", views.manage, name="manage"),
    path("manage/import/", views.upload, name="upload"),
    path("manage/import/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("services/<uuid:pk>/", views.service_detail, name="service"),
    path("services/<uuid:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<uuid:pk>/reviewed/", views.service_reviewed, name="service_reviewed"),
    path("services/<uuid:pk>/schedules/", views.schedule_add, name="schedule_add"),
    # The published Open Referral UK API (open: no sign-in, CORS for every origin).
    path("api/", api.root, name="api_root"),
    path("api", api.root),  # the base URL itself, without a redirect that would lack CORS
    path("api/services", api.services, name="api_services"),
    path("api/services/<uuid:pk>", api.service, name="api_service"),
    path("api/service_at_locations", api.service_at_locations, name="api_service_at_locations"),
    path(
        "api/service_at_locations/<uuid:pk>",
        api.service_at_location,
        name="api_service_at_location",
    ),
    path("api/taxonomies", api.taxonomies, name="api_taxonomies"),
    path("api/taxonomies/<uuid:pk>", api.taxonomy, name="api_taxonomy"),
    path("api/taxonomy_terms", api.taxonomy_terms, name="api_taxonomy_terms"),
    path("api/taxonomy_terms/<uuid:pk>", api.taxonomy_term, name="api_taxonomy_term"),
]
