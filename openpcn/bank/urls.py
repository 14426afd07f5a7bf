from django.urls import path

from openpcn.bank.views import (
    home,
    members,
    payments,
    reports,
    requests,
    rota_gap,
    sessions,
    tokens,
)

app_name = "bank"

urlpatterns = [
    path("", home.index, name="index"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/timesheet/", requests.timesheet_approve, name="timesheet_approve"),
    path("requests/<int:pk>/no-show/", requests.no_show, name="no_show"),
    path("sessions/", sessions.available, name="available"),
    path("sessions/<int:pk>/claim/", sessions.claim, name="claim"),
    path("mine/", sessions.mine, name="mine"),
    path("mine/<int:pk>/", sessions.booked, name="booked"),
    path("mine/<int:pk>/withdraw/", sessions.withdraw, name="withdraw"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("members/", members.member_list, name="members"),
    path("members/new/", members.member_new, name="member_new"),
    path("members/<int:pk>/documents/new/", members.document_new, name="document_new"),
    path("rota-gaps/<int:plan_pk>/<int:site_pk>/", rota_gap.cover_gap, name="cover_gap"),
    path("payments/", payments.payments, name="payments"),
    path("payments/<str:month>.csv", payments.payments_csv, name="payments_csv"),
    path("payments/<str:month>.xlsx", payments.payments_xlsx, name="payments_xlsx"),
    path("reports/", reports.report, name="report"),
]
