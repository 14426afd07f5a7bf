from django.urls import path

from openpcn.boards import views

app_name = "boards"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.board_new, name="board_new"),
    path("<int:pk>/", views.board, name="board"),
    path("<int:pk>/members/new/", views.member_new, name="member_new"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/items/new/", views.item_new, name="item_new"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("items/<int:pk>/paper/", views.paper, name="paper"),
    path("items/<int:pk>/decision/", views.decision, name="decision"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("declarations/", views.declarations, name="declarations"),
    path("declarations/new/", views.declaration_new, name="declaration_new"),
    path("declarations/<int:pk>/renew/", views.declaration_renew, name="declaration_renew"),
]
