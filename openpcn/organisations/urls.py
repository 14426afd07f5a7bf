from django.urls import path

from openpcn.organisations.views import board, network_membership, organisation, people, tree

app_name = "organisations"

urlpatterns = [
    path("", tree.tree, name="tree"),
    path("<int:pk>/", organisation.detail, name="detail"),
    path("<int:pk>/move/", network_membership.move, name="move"),
    path("people/", people.people, name="people"),
    path("board/", board.board, name="board"),
]
