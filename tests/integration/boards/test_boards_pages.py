"""Board pages through the test client: scope, the agenda's conflict flags, the forms, papers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpcn.boards import actions
from openpcn.boards.models import ActionItem, AgendaItem, Decision, Declaration, Meeting
from openpcn.core.models import AuditEvent
from tests.files import docx_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _flags(page: str) -> list[str]:
    return re.findall(r"Conflict of interest: ([^(<]+) \(", page)


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_boards_agenda_flags_the_related_member_only(
    universe, north_board, verified_client
) -> None:  # type: ignore[no-untyped-def]
    meeting = north_board.meeting
    contract = actions.add_agenda_item(
        by=None,
        meeting=meeting,
        title="Award the Enhanced Access hub sub-contract",
        for_decision=True,
        related_organisations=[universe.p2],
    )
    pharmacy = actions.add_agenda_item(
        by=None, meeting=meeting, title="Community pharmacy referrals", keywords="pharmacy"
    )
    budget = actions.add_agenda_item(by=None, meeting=meeting, title="Budget", keywords="P1")
    # Ben's interest mentions pharmacy but ran out yesterday, so it is no longer flagged.
    actions.record_declaration(
        by=None,
        person=north_board.ben.person,
        board=north_board.board,
        interest="Director of Baker's Pharmacy Ltd",
        interest_type="financial",
        declared_on=dt.date.today() - dt.timedelta(days=400),
        valid_until=dt.date.today() - dt.timedelta(days=1),
    )
    page = verified_client("board_member").get(reverse("boards:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert _flags(html) == ["Cat Carter"]
    # The flag sits on the contract item, names the interest, and is an NHS.UK warning tag.
    contract_card = html.split(f'id="item-{contract.pk}"')[1].split(f'id="item-{pharmacy.pk}"')[0]
    assert "nhsuk-tag--orange" in contract_card
    assert "Conflict of interest: Cat Carter (financial interest: Salaried GP at P2 Surgery" in (
        contract_card
    )
    assert f'id="item-{budget.pk}"' in html and "Declared interests on this agenda" in html

    actions.record_declaration(
        by=None,
        person=north_board.ben.person,
        board=north_board.board,
        interest="Partner in a community PHARMACY",
        interest_type="indirect",
    )
    html = verified_client("board_member").get(reverse("boards:meeting", args=[meeting.pk]))
    flagged = html.content.decode().split(f'id="item-{pharmacy.pk}"')[1]
    assert _flags(flagged) == ["Ben Baker"]


def test_boards_pages_are_scoped(universe, north_board, verified_client) -> None:  # type: ignore[no-untyped-def]
    board_url = reverse("boards:board", args=[north_board.board.pk])
    meeting_url = reverse("boards:meeting", args=[north_board.meeting.pk])
    member = verified_client("board_member")
    assert "North board" in member.get(reverse("boards:index")).content.decode()
    assert member.get(board_url).status_code == 200
    assert "Cat Carter" in member.get(board_url).content.decode()
    # Reading is BOARD_VIEW over the board's organisation; managing is BOARD_MANAGE.
    assert member.get(reverse("boards:meeting_new", args=[north_board.board.pk])).status_code == 404
    assert (
        member.get(reverse("boards:attendance", args=[north_board.meeting.pk])).status_code == 404
    )
    assert "Record attendance" not in member.get(meeting_url).content.decode()
    south = verified_client("south_admin")
    assert south.get(board_url).status_code == 404 and south.get(meeting_url).status_code == 404
    assert "North board" not in south.get(reverse("boards:index")).content.decode()
    # A PCN manager's scope is the PCN: the alliance board is out of it.
    assert verified_client("pcn_manager").get(board_url).status_code == 404
    assert verified_client("clinician").get(reverse("boards:index")).status_code == 404
    assert verified_client("clinician").get(reverse("boards:declarations")).status_code == 404
    declarations = member.get(reverse("boards:declarations")).content.decode()
    assert "Salaried GP at P2 Surgery" in declarations
    assert "Salaried GP" not in south.get(reverse("boards:declarations")).content.decode()
    assert (
        south.get(reverse("boards:declarations"), {"alliance": universe.north.pk}).status_code
        == 404
    )


def test_boards_meeting_run_through_the_forms(
    universe, north_board, verified_client, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    admin = verified_client("alliance_admin")
    new_meeting = reverse("boards:meeting_new", args=[north_board.board.pk])
    assert (
        "Say where the meeting is"
        in admin.post(
            new_meeting, {"starts_at": "2027-01-20T18:30", "place": "", "online": "no"}
        ).content.decode()
    )
    response = admin.post(
        new_meeting, {"starts_at": "2027-01-20T18:30", "place": "", "online": "yes"}
    )
    meeting = Meeting.objects.exclude(pk=north_board.meeting.pk).get()
    assert response["Location"] == reverse("boards:meeting", args=[meeting.pk])
    assert meeting.online and meeting.local_start.hour == 18

    item_url = reverse("boards:item_new", args=[meeting.pk])
    refused = admin.post(
        item_url,
        {
            "title": "Hub contract",
            "presenter": "",
            "for_decision": "yes",
            "keywords": "",
            "paper": SimpleUploadedFile(
                "paper.exe", b"MZ", content_type="application/x-msdownload"
            ),
        },
    )
    assert "only PDF, Word (.docx) or Excel (.xlsx) files" in refused.content.decode()
    # A name and a browser's content type prove nothing: the bytes must be a Word document.
    disguised = admin.post(
        item_url,
        {
            "title": "Hub contract",
            "presenter": "",
            "for_decision": "yes",
            "keywords": "",
            "paper": SimpleUploadedFile("Hub contract.docx", b"MZ\x90 program", content_type=DOCX),
        },
    )
    assert "Hub contract.docx: only PDF" in disguised.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    admin.post(
        item_url,
        {
            "title": "Hub contract",
            "presenter": north_board.ann.person.pk,
            "for_decision": "yes",
            "related_organisations": [universe.p2.pk],
            "keywords": "hub, Enhanced Access",
            "paper": SimpleUploadedFile(
                "Hub contract.docx", docx_bytes("paper"), content_type=DOCX
            ),
        },
    )
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.order == 1 and list(item.related_organisations.all()) == [universe.p2]
    assert item.keywords == "hub, Enhanced Access" and item.paper_name == "Hub contract.docx"
    assert str(tmp_path) in item.paper.path
    paper = admin.get(reverse("boards:paper", args=[item.pk]))
    assert paper.status_code == 200 and paper["Content-Type"] == DOCX
    assert b"".join(paper.streaming_content) == docx_bytes("paper")  # type: ignore[attr-defined]
    assert (
        verified_client("south_admin").get(reverse("boards:paper", args=[item.pk])).status_code
        == 404
    )
    assert (
        "Conflict of interest: Cat Carter"
        in admin.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    )

    attendance_url = reverse("boards:attendance", args=[meeting.pk])
    admin.post(
        attendance_url,
        {f"member_{north_board.ann.pk}": "present", f"member_{north_board.dan.pk}": "present"},
    )
    decision_url = reverse("boards:decision", args=[item.pk])
    form = {"wording": "Award to Northway", "votes_for": 1, "votes_against": 0, "abstentions": 0}
    refused = admin.post(decision_url, form).content.decode()
    assert "The meeting is not quorate: 1 voting member present, and the quorum is 2" in refused
    assert not Decision.objects.exists()
    admin.post(
        attendance_url,
        {f"member_{north_board.ben.pk}": "present", f"member_{north_board.ann.pk}": "present"},
    )
    page = _text(admin.get(reverse("boards:meeting", args=[meeting.pk])).content.decode())
    assert "Quorate 2 voting members present; the quorum is 2." in page
    admin.post(decision_url, {**form, "votes_for": 1, "votes_against": 1})
    decision = Decision.objects.get()
    assert not decision.carried and decision.present_voting == 2

    admin.post(
        reverse("boards:action_new", args=[meeting.pk]),
        {
            "description": "Re-run the tender",
            "owner": north_board.ben.person.pk,
            "due_date": "2027-02-28",
            "agenda_item": item.pk,
        },
    )
    action = ActionItem.objects.get()
    assert action.owner == north_board.ben.person and action.agenda_item == item
    admin.post(reverse("boards:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == dt.date.today()
    admin.post(
        reverse("boards:minutes", args=[meeting.pk]), {"minutes": "Tied vote.\n\nRe-tender."}
    )
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes.startswith("Tied vote")
    page = _text(admin.get(reverse("boards:meeting", args=[meeting.pk])).content.decode())
    assert (
        "Not carried For 1, against 1" in page
        and "Re-run the tender" in page
        and "Re-tender." in page
    )
    audited = set(
        AuditEvent.objects.filter(object_type__startswith="boards.").values_list(
            "action", flat=True
        )
    )
    assert {
        "schedule_meeting",
        "add_agenda_item",
        "record_attendance",
        "record_decision",
        "add_action",
        "complete_action",
        "record_minutes",
    } <= audited


def test_boards_members_declare_their_own_interests(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.boards.conftest import TERM_START, person

    # The PCN manager runs the PCN's board (BOARD_MANAGE over the PCN).
    manager = universe.users["pcn_manager"]
    board = actions.create_board(by=manager, organisation=universe.n1, name="N1 board", quorum=1)
    director = person(universe.n1, "Dee", "Director")
    actions.add_board_member(by=manager, board=board, person=director, start_date=TERM_START)
    user = universe.users["clinical_director"]
    user.person = director
    user.save(update_fields=["person"])
    client = verified_client("clinical_director")
    new = reverse("boards:declaration_new")
    assert client.get(new).status_code == 200
    response = client.post(
        new,
        {
            "board": board.pk,
            "person": director.pk,
            "interest_type": "non_financial_professional",
            "interest": "Trustee of the local hospice",
            "related_organisation": "",
            "declared_on": (dt.date.today() - dt.timedelta(days=350)).isoformat(),
        },
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.person == director and declaration.alliance == universe.north
    register = client.get(reverse("boards:declarations")).content.decode()
    assert "Trustee of the local hospice" in register and "Renewal due" in register
    client.post(reverse("boards:declaration_renew", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.valid_until > dt.date.today() + dt.timedelta(days=360)
    # Someone who sits on no board cannot declare, and the admin's own person is not Dee.
    assert verified_client("board_member").get(new).status_code == 404


def test_boards_linked_from_the_alliance_board_page(universe, north_board, verified_client) -> None:  # type: ignore[no-untyped-def]
    page = verified_client("practice_manager").get(reverse("organisations:board")).content.decode()
    assert reverse("boards:index") in page and reverse("boards:declarations") in page
    assert "Meetings and decisions" in page and "Declarations of interest" in page
    # A practice role sees no alliance board's meetings or register entries, but no error either.
    register = verified_client("practice_manager").get(reverse("boards:declarations"))
    assert register.status_code == 200 and "Salaried GP" not in register.content.decode()
