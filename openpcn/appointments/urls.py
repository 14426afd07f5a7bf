from django.urls import path

from openpcn.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/declare/", views.declare, name="declare"),
    path("<int:pk>/board-seat/", views.hand_over, name="hand_over"),
]
