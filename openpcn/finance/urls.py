from django.urls import path

from openpcn.finance.views import distribution, network, overview, rates, reference_data

app_name = "finance"

urlpatterns = [
    path("", overview.index, name="index"),
    path("networks/<int:pk>/<int:year>/", network.network_year, name="network_year"),
    path(
        "networks/<int:pk>/<int:year>/arrs/<str:month>.csv",
        network.arrs_claim_csv,
        name="arrs_claim_csv",
    ),
    path(
        "networks/<int:pk>/<int:year>/distribution/",
        distribution.distribution,
        name="distribution",
    ),
    path(
        "networks/<int:pk>/<int:year>/payments/<str:month>/post/",
        distribution.post_month,
        name="post_month",
    ),
    path("networks/<int:pk>/schedule/", distribution.schedules, name="schedules"),
    path("payment-runs/<int:pk>/cancel/", distribution.cancel_run, name="cancel_run"),
    path("rates/", rates.rate_list, name="rates"),
    path("rates/new/", rates.rate_new, name="rate_new"),
    path("rates/<int:pk>/edit/", rates.rate_edit, name="rate_edit"),
    path("arrs-maxima/", reference_data.arrs_maxima, name="arrs_maxima"),
    path("arrs-maxima/new/", reference_data.arrs_maximum_new, name="arrs_maximum_new"),
    path(
        "networks/<int:pk>/care-home-beds/",
        reference_data.care_home_beds,
        name="care_home_beds",
    ),
]
