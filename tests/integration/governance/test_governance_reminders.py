"""What falls due across governance, for each user in their scope: the Due soon page and the
emailed digest (one list for both)."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse

from openpcn.boards import actions as boards
from openpcn.cli.main import main
from openpcn.contracts import actions as contracts
from openpcn.governance import actions as governance
from openpcn.governance.reminders import reminders_for, send_digests
from openpcn.organisations import actions as organisations

TODAY = dt.date(2026, 12, 3)


def _due_things(universe):  # type: ignore[no-untyped-def]
    contracts.record_contract(
        by=None,
        kind="lease",
        title="Lease: P1",
        holder=universe.p1,
        counterparty_name="Landlord",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2027, 1, 31),
        notice_months=2,
    )
    contracts.record_contract(
        by=None,
        kind="lease",
        title="Lease: P3",
        holder=universe.p3,
        counterparty_name="Landlord",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2027, 1, 31),
        notice_months=2,
    )
    governance.record_risk(
        by=None,
        organisation=universe.p1,
        title="Roof leaks",
        category="financial",
        consequence=3,
        likelihood=4,
        target_consequence=2,
        target_likelihood=2,
        review_date=TODAY - dt.timedelta(days=3),
    )
    person = organisations.add_person(
        by=None, organisation=universe.north, given_name="Dana", family_name="Chair"
    )
    board = boards.create_board(by=None, organisation=universe.north, name="North board", quorum=1)
    boards.add_board_member(by=None, board=board, person=person, start_date=dt.date(2024, 1, 1))
    boards.record_declaration(
        by=None,
        person=person,
        board=board,
        interest="Director of Northside Pharmacy Ltd",
        interest_type="financial",
        declared_on=dt.date(2026, 1, 10),
        valid_until=dt.date(2027, 1, 9),
    )


def test_each_user_sees_only_what_is_in_their_scope(universe) -> None:  # type: ignore[no-untyped-def]
    _due_things(universe)
    manager = [(r.kind, r.what) for r in reminders_for(universe.users["practice_manager"], TODAY)]
    assert ("Contract", "Last day to give notice (2 months): Lease: P1") in manager
    assert not any("P3" in what for _, what in manager)
    assert any(kind == "Risk review" and "Roof leaks" in what for kind, what in manager)
    board = [(r.kind, r.what) for r in reminders_for(universe.users["board_member"], TODAY)]
    assert any(kind == "Declaration to renew" for kind, _ in board)
    assert any("P3" in what for _, what in board)  # the alliance covers every practice
    assert reminders_for(universe.users["south_admin"], TODAY) == []


def test_due_soon_page_flags_overdue(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _due_things(universe)
    page = verified_client("practice_manager").get(reverse("governance:due")).content.decode()
    assert "Roof leaks" in page and "Overdue" in page
    assert verified_client("clinician").get(reverse("governance:due")).status_code == 404


def test_digests_are_emailed_to_users_with_something_due(universe, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://openpcn.example"
    _due_things(universe)
    for key in ("practice_manager", "board_member", "south_admin"):
        universe.users[key].email = f"{key}@example.org"
        universe.users[key].save()
    assert send_digests(TODAY, dry_run=True) == 2 and mail.outbox == []
    assert send_digests(TODAY) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"practice_manager@example.org", "board_member@example.org"}
    body = by_address["practice_manager@example.org"].body
    assert "Roof leaks" in body and "(overdue)" in body and "https://openpcn.example/" in body
    mail.outbox.clear()
    assert main(["governance", "remind", "--dry-run"]) == 0 and mail.outbox == []
