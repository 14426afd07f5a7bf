"""A Clinical Director vote for a demo PCN whose Network Agreement weights votes by list size:
the count matches a hand calculation from the practices' registered lists, the Clinical Director
changes in the registry and the PCN's seat on the alliance board passes to them."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.accounts.models import User
from openpcn.appointments import actions
from openpcn.appointments.models import Appointment, AppointmentStatus
from openpcn.appointments.queries import tally
from openpcn.boards.models import BoardMember
from openpcn.demo.load import load_demo
from openpcn.governance.reminders import reminders_for
from openpcn.organisations.models import (
    Alliance,
    BoardSeat,
    Organisation,
    PopulationSnapshot,
    RoleHolding,
    RoleTitle,
)
from openpcn.organisations.queries import clinical_director

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    load_demo()
    return Alliance.objects.get(is_synthetic=True)


def _registered(practice: Organisation, on: dt.date) -> int:
    return PopulationSnapshot.objects.filter(practice=practice, date__lte=on).latest().registered


def test_a_demo_pcns_weighted_vote_matches_a_hand_count_and_moves_the_board_seat(demo) -> None:  # type: ignore[no-untyped-def]
    appointment = Appointment.objects.get(voting="list_size", status=AppointmentStatus.DECLARED)
    network = appointment.network
    assert appointment.agreement.director_voting == "list_size"
    # By hand: each nominee's patients are the registered lists (January 2026 extract, the latest
    # before the vote) of the practices that voted for them.
    by_hand: dict[int, int] = {}
    for vote in appointment.votes.select_related("practice"):
        by_hand[vote.nomination_id] = by_hand.get(vote.nomination_id, 0) + _registered(
            vote.practice, dt.date(2026, 3, 10)
        )
    assert tally(appointment).totals == by_hand
    winner = max(by_hand, key=lambda k: by_hand[k])
    assert appointment.elected == appointment.nominations.get(pk=winner).person
    seat = BoardSeat.objects.get(alliance=demo, representing=network, end_date__isnull=True)
    assert seat.person == appointment.elected
    assert seat.start_date == dt.date(2026, 4, 1)
    assert clinical_director(network).person == appointment.elected  # type: ignore[union-attr]

    # A new vote in the same PCN, weighted as its agreement says, counted by hand.
    vote_date, starts = dt.date(2029, 2, 1), dt.date(2029, 4, 1)
    second = actions.open_appointment(
        by=None, network=network, vote_date=vote_date, term_starts=starts
    )
    electors = list(second.electors.select_related("practice").order_by("practice__name"))
    assert [e.list_size for e in electors] == [_registered(e.practice, vote_date) for e in electors]
    partners = {
        e.practice_id: RoleHolding.objects.current_on(vote_date)
        .filter(organisation=e.practice, title=RoleTitle.GP_PARTNER)
        .exclude(person=appointment.elected)
        .order_by("person__family_name")
        .first()
        .person  # type: ignore[union-attr]
        for e in electors[:2]
    }
    a = actions.nominate(
        by=None,
        appointment=second,
        person=partners[electors[0].practice_id],
        practice=electors[0].practice,
    )
    b = actions.nominate(
        by=None,
        appointment=second,
        person=partners[electors[1].practice_id],
        practice=electors[1].practice,
    )
    # The first two practices back A; every other practice backs B.
    for i, e in enumerate(electors):
        actions.cast_vote(
            by=None,
            appointment=second,
            practice=e.practice,
            nomination=a if i < 2 else b,
            cast_on=vote_date,
            cast_by="The partners",
        )
    for_a = electors[0].list_size + electors[1].list_size  # type: ignore[operator]
    for_b = sum(e.list_size for e in electors[2:])  # type: ignore[misc]
    assert tally(second).totals == {a.pk: for_a, b.pk: for_b}
    old_seat = BoardSeat.objects.get(alliance=demo, representing=network, end_date__isnull=True)
    declared = actions.declare_result(by=None, appointment=second, on=vote_date)
    expected = a if for_a > for_b else b
    assert declared.elected == expected.person
    assert declared.term_ends == dt.date(2032, 3, 31)  # 36 months, as Schedule 1 says
    old_seat.refresh_from_db()
    assert old_seat.end_date == starts
    new_seat = BoardSeat.objects.get(alliance=demo, representing=network, end_date__isnull=True)
    assert new_seat.person == expected.person and new_seat.start_date == starts
    # The alliance board's meetings (boards app) seat the new Clinical Director in the old one's place.
    board_members = BoardMember.objects.filter(board__organisation=demo).current_on(starts)
    seated = set(board_members.values_list("person_id", flat=True))
    assert expected.person.pk in seated and old_seat.person_id not in seated

    # The demo's other appointment: an interim term ending soon, in the Due soon list.

    admin = User.objects.get(username="admin")
    today = dt.date.today()
    due = [r for r in reminders_for(admin, today) if r.kind == "Clinical Director's term ends"]
    assert len(due) == 1
    assert today < due[0].due <= today + dt.timedelta(days=60)
