from django.urls import path

from openpcn.accounts.views import login, memberships, two_factor

app_name = "accounts"

urlpatterns = [
    path("sign-in/", login.login, name="login"),
    path("sign-out/", login.logout, name="logout"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("users/", memberships.memberships, name="memberships"),
    path("users/memberships/<int:pk>/end/", memberships.end, name="end_membership"),
]
