from django.urls import include, path

urlpatterns = [
    path("", include("openpcn.core.urls")),
    path("accounts/", include("openpcn.accounts.urls")),
    path("organisations/", include("openpcn.organisations.urls")),
    path("staff/", include("openpcn.workforce.urls")),
    path("rotas/", include("openpcn.rostering.urls")),
]
