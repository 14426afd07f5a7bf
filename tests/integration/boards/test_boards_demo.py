"""The demo's alliance board: held meetings with decisions and actions, and a flagged interest."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from openpcn.accounts.models import User
from openpcn.boards.models import ActionItem, AgendaItem, Board, Decision, Meeting
from openpcn.demo.load import load_demo
from openpcn.organisations.models import BoardSeat


def test_boards_demo_board_meetings_and_flag(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(seed=2026)
    board = Board.objects.get()
    # The board's members follow the registry's seats, as Clinical Director appointments change them.
    assert board.members.current().count() == BoardSeat.objects.current().count()
    assert Meeting.objects.filter(status="held").count() == 2
    assert Decision.objects.filter(carried=True).count() == 2
    assert set(ActionItem.objects.values_list("status", flat=True)) == {"open", "done"}
    item = AgendaItem.objects.get(title="Award the Enhanced Access hub sub-contract")
    client = Client()
    client.force_login(User.objects.get(username="board"))
    page = client.get(reverse("boards:meeting", args=[item.meeting_id])).content.decode()
    assert page.count("Conflict of interest:") == 1
    assert "(financial interest: GP partner at" in page
    register = client.get(reverse("boards:declarations")).content.decode()
    assert "Renewal due" in register
