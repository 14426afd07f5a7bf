from django.urls import path

from openpcn.workforce.views import leave, staff

app_name = "workforce"

urlpatterns = [
    path("", staff.staff_list, name="staff_list"),
    path("<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("leave/", leave.my_leave, name="my_leave"),
    path("leave/approvals/", leave.approvals, name="approvals"),
    path("leave/<int:pk>/decide/", leave.decide, name="decide"),
]
