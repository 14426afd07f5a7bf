"""Setting up a board and naming and ending its members through the pages: who may, who may be
named, the audit trail, and 404 outside scope."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openpcn.boards.models import Board, BoardMember
from openpcn.core.models import AuditEvent
from openpcn.organisations import actions as registry


def _clinician(org, given, family, title="gp_partner"):  # type: ignore[no-untyped-def]
    person = registry.add_person(by=None, organisation=org, given_name=given, family_name=family)
    registry.appoint(
        by=None, person=person, organisation=org, title=title, start_date=dt.date(2020, 1, 1)
    )
    return person


def test_a_pcn_manager_sets_up_their_pcns_board_names_and_ends_a_member(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    gp = _clinician(universe.p1, "Gita", "Partner")
    elsewhere = _clinician(universe.p3, "Otto", "Elsewhere")
    client = verified_client("pcn_manager")
    form = client.get(reverse("boards:board_new")).content.decode()
    assert "N1 PCN" in form and "North Alliance" not in form  # the alliance's board is not theirs
    response = client.post(
        reverse("boards:board_new"),
        {"organisation": universe.n1.pk, "name": "N1 PCN board", "quorum": "2"},
    )
    board = Board.objects.get(name="N1 PCN board")
    assert response["Location"] == reverse("boards:board", args=[board.pk])
    assert board.organisation == universe.n1 and board.quorum == 2

    page = client.get(reverse("boards:member_new", args=[board.pk])).content.decode()
    assert "Gita Partner" in page and "Otto Elsewhere" not in page  # P3 is in N2
    client.post(
        reverse("boards:member_new", args=[board.pk]),
        {"person": elsewhere.pk, "role": "member", "voting": "yes", "start_date": "2026-04-01"},
    )
    assert not BoardMember.objects.exists()
    client.post(
        reverse("boards:member_new", args=[board.pk]),
        {"person": gp.pk, "role": "chair", "voting": "yes", "start_date": "2026-04-01"},
    )
    member = BoardMember.objects.get(board=board)
    assert (member.person, member.role, member.voting) == (gp, "chair", True)
    assert "End term" in client.get(reverse("boards:board", args=[board.pk])).content.decode()

    # An observer who votes is refused, with the reason on the form.
    nurse = _clinician(universe.p2, "Nia", "Nurse", "practice_nurse")
    refused = client.post(
        reverse("boards:member_new", args=[board.pk]),
        {"person": nurse.pk, "role": "observer", "voting": "yes", "start_date": "2026-04-01"},
    )
    assert "An observer does not vote" in refused.content.decode()

    today = dt.date.today()
    client.post(
        reverse("boards:member_end", args=[member.pk]),
        {"end_date": (today + dt.timedelta(days=1)).isoformat()},
    )
    member.refresh_from_db()
    assert member.end_date == today + dt.timedelta(days=1)
    for action in ("create_board", "add_board_member", "end_board_member"):
        assert AuditEvent.objects.filter(action=action).count() == 1, action


def test_board_set_up_pages_are_404_without_board_manage_or_outside_scope(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.boards import actions

    board = actions.create_board(by=None, organisation=universe.north, name="North board", quorum=3)
    member = actions.add_board_member(
        by=None,
        board=board,
        person=_clinician(universe.p1, "Ann", "Archer"),
        start_date=dt.date(2024, 4, 1),
    )
    for role in ("board_member", "south_admin", "pcn_manager"):
        client = verified_client(role)
        assert client.get(reverse("boards:member_new", args=[board.pk])).status_code == 404, role
        assert client.get(reverse("boards:member_end", args=[member.pk])).status_code == 404, role
        ended = client.post(
            reverse("boards:member_end", args=[member.pk]), {"end_date": "2027-01-01"}
        )
        assert ended.status_code == 404, role
    assert verified_client("board_member").get(reverse("boards:board_new")).status_code == 404
    member.refresh_from_db()
    assert member.end_date is None
    admin = verified_client("alliance_admin")
    admin.post(
        reverse("boards:board_new"),
        {"organisation": universe.north.pk, "name": "North board", "quorum": "2"},
    )
    assert Board.objects.filter(name="North board").count() == 1  # the name is taken
    assert "Set up a board" in admin.get(reverse("boards:index")).content.decode()
