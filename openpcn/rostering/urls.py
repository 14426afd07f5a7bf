from django.urls import path

from openpcn.rostering.views import (
    coverage,
    enhanced_access,
    exports,
    feed,
    grid,
    my_rota,
    overview,
    plans,
    swaps,
)

app_name = "rostering"

urlpatterns = [
    path("", plans.plan_list, name="plans"),
    path("new/", plans.plan_new, name="plan_new"),
    path("<int:pk>/", plans.plan_detail, name="plan"),
    path("<int:pk>/progress/", plans.plan_progress, name="progress"),
    path("<int:pk>/cancel/", plans.plan_cancel, name="cancel"),
    path("<int:pk>/replan/", plans.plan_replan, name="replan"),
    path("<int:pk>/publish/", plans.plan_publish, name="publish"),
    path("<int:pk>/repair/", plans.plan_repair, name="repair"),
    path("<int:pk>/grid/", grid.site_week, name="grid"),
    path("<int:pk>/grid/print/", grid.site_week_print, name="grid_print"),
    path("<int:pk>/sites/<int:site_id>/assign/", grid.assign, name="assign"),
    path("<int:pk>/assignments/<int:assignment_pk>/remove/", grid.remove, name="remove"),
    path("<int:pk>/assignments/<int:assignment_pk>/lock/", grid.lock, name="lock"),
    path("<int:pk>/coverage/", coverage.coverage, name="coverage"),
    path("<int:pk>/rota.csv", exports.export_csv, name="export_csv"),
    path("<int:pk>/rota.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("mine/", my_rota.my_rota, name="my_rota"),
    path("mine/feed/", my_rota.feed_create, name="feed_create"),
    path("mine/feed/revoke/", my_rota.feed_revoke, name="feed_revoke"),
    path("mine/sessions/<int:pk>/swap/", my_rota.swap_offer, name="swap_offer"),
    path("mine/swaps/<int:pk>/answer/", my_rota.swap_answer, name="swap_answer"),
    path("swaps/", swaps.approvals, name="swaps"),
    path("swaps/<int:pk>/approve/", swaps.approve, name="swap_approve"),
    path("enhanced-access/", enhanced_access.compliance, name="enhanced_access"),
    path("pcn/<int:pk>/", overview.pcn_overview, name="pcn_overview"),
    path("feed/<str:token>.ics", feed.calendar_feed, name="feed"),
]
