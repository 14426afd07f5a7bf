"""Board test data: the North alliance's board of three voting members and an observer.

Ann (chair) and Ben sit for the alliance; Cat is a member with a current financial interest in
practice P2; Dan observes. Quorum is two voting members. One meeting is planned for next week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from openpcn.boards import actions
from openpcn.boards.models import Board, BoardMember, Meeting
from openpcn.organisations import actions as registry
from openpcn.organisations.models import Person

TERM_START = dt.date(2024, 4, 1)


@dataclass
class BoardSetUp:
    board: Board
    ann: BoardMember  # chair, voting
    ben: BoardMember  # member, voting
    cat: BoardMember  # member, voting; declared a financial interest in P2
    dan: BoardMember  # observer
    meeting: Meeting  # planned, a week from now


def person(organisation, given: str, family: str) -> Person:  # type: ignore[no-untyped-def]
    return registry.add_person(
        by=None, organisation=organisation, given_name=given, family_name=family
    )


@pytest.fixture
def north_board(universe) -> BoardSetUp:  # type: ignore[no-untyped-def]
    board = actions.create_board(by=None, organisation=universe.north, name="North board", quorum=2)

    def seat(given: str, family: str, role: str = "member") -> BoardMember:
        return actions.add_board_member(
            by=None,
            board=board,
            person=person(universe.north, given, family),
            role=role,
            voting=role != "observer",
            start_date=TERM_START,
        )

    setup = BoardSetUp(
        board=board,
        ann=seat("Ann", "Archer", "chair"),
        ben=seat("Ben", "Baker"),
        cat=seat("Cat", "Carter"),
        dan=seat("Dan", "Dyer", "observer"),
        meeting=actions.schedule_meeting(
            by=None,
            board=board,
            starts_at=timezone.now() + dt.timedelta(days=7),
            place="North Place boardroom",
        ),
    )
    actions.record_declaration(
        by=None,
        person=setup.cat.person,
        board=board,
        interest="Salaried GP at P2 Surgery, paid by the partnership",
        interest_type="financial",
        declared_on=dt.date.today() - dt.timedelta(days=100),
        related_organisation=universe.p2,
    )
    return setup


@pytest.fixture
def verified_client(universe):  # type: ignore[no-untyped-def]
    """A fresh browser signed in (with two-factor authentication, as admin roles must be)."""
    from django.test import Client
    from django.urls import reverse
    from django_otp.oath import totp

    from openpcn.accounts.actions import enrol_totp_device
    from tests.universe import PASSWORD

    def sign_in(role: str) -> Client:
        client = Client()
        user = universe.users[role]
        device = enrol_totp_device(
            by=None, user=user, key_hex="3132333435363738393031323334353637383930"
        )
        client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        response = client.post(
            reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"}
        )
        assert response.status_code == 302
        return client

    return sign_in
