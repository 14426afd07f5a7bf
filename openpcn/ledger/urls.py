from django.urls import path

from openpcn.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.trial_balance, name="trial_balance"),
    path("trial-balance.xlsx", views.trial_balance_xlsx, name="trial_balance_xlsx"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("journals/new/", views.journal_new, name="journal_new"),
    path("journals/<int:pk>/", views.journal_detail, name="journal"),
    path("journals/<int:pk>/reverse/", views.journal_reverse, name="journal_reverse"),
    path("organisations/<int:pk>/statement/", views.statement, name="statement"),
    path("organisations/<int:pk>/statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
]
