"""Development pages through the test client: scope, forms, confidential notes and the PDF report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openpcn.accounts import actions as accounts
from openpcn.development import actions
from openpcn.development.models import MaturityAssessment, Recommendation
from openpcn.organisations import actions as organisations
from tests.files import pdf_text
from tests.universe import PASSWORD, START


@pytest.fixture
def recommendations(universe):  # type: ignore[no-untyped-def]
    place = universe.place
    return [
        actions.add_recommendation(
            by=None,
            place=place,
            theme="leadership",
            title="Peer support for new Clinical Directors",
            readiness="ready",
        ),
        actions.update_recommendation(
            by=None,
            recommendation=actions.add_recommendation(
                by=None,
                place=place,
                theme="relationships",
                title="Quarterly place forum",
                readiness="ready",
            ),
            status="in_progress",
        ),
        actions.add_recommendation(
            by=None,
            place=place,
            theme="management",
            title="Shared analyst across the place",
            readiness="feasibility",
        ),
    ]


def test_comparison_lists_every_pcn_in_scope_with_its_latest_steps(
    universe, verified_client, every_area
) -> None:  # type: ignore[no-untyped-def]
    for day, level in ((dt.date(2025, 6, 1), 0), (dt.date(2026, 6, 1), 2)):
        actions.record_maturity_assessment(
            by=None, network=universe.n1, assessed_on=day, ratings=every_area(level)
        )
    page = verified_client("board_member").get(reverse("development:maturity")).content.decode()
    table = page[page.index('id="table-maturity"') :]
    assert "N1 PCN" in table and "N2 PCN" in table and "S1 PCN" not in table
    assert "Step 2" in table and "01 Jun 2026" in table and "Not assessed" in table
    assert "data-vega-spec" in page and "verify" in page
    # The Clinical Director of N1 compares only what their role covers; a clinician sees none.
    own = verified_client("clinical_director").get(reverse("development:maturity")).content.decode()
    assert "N1 PCN" in own and "N2 PCN" not in own
    assert verified_client("clinician").get(reverse("development:maturity")).status_code == 404


def test_recording_a_self_assessment_through_the_form(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    director = verified_client("clinical_director")
    url = reverse("development:maturity_record", args=[universe.n1.pk])
    data = {"assessed_on": "2026-09-01", "summary": "First go"}
    for key in (
        "leadership",
        "data_phm",
        "integrating_care",
        "managing_resources",
        "people_communities",
    ):
        data[f"step_{key}"] = "1"
        data[f"evidence_{key}"] = f"Because {key}"
    response = director.post(url, data)
    assert response.status_code == 302
    assessment = MaturityAssessment.objects.get(network=universe.n1)
    assert assessment.ratings.filter(step__label="Step 1").count() == 5
    history = director.get(
        reverse("development:pcn_maturity", args=[universe.n1.pk])
    ).content.decode()
    assert "Because integrating_care" in history and "01 Sep 2026" in history
    # Another PCN's form is a 404 for them; board members read but do not record.
    assert (
        director.get(reverse("development:maturity_record", args=[universe.n2.pk])).status_code
        == 404
    )
    board = verified_client("board_member")
    assert (
        board.get(reverse("development:maturity_record", args=[universe.n1.pk])).status_code == 404
    )
    assert board.get(reverse("development:pcn_maturity", args=[universe.n1.pk])).status_code == 200
    assert (
        verified_client("south_admin")
        .get(reverse("development:pcn_maturity", args=[universe.n1.pk]))
        .status_code
        == 404
    )


def test_confidential_notes_are_for_the_facilitators_only(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    facilitator = organisations.add_person(
        by=None, organisation=universe.north, given_name="Fay", family_name="Cilitator"
    )
    attendee = organisations.add_person(
        by=None, organisation=universe.n1, given_name="Ann", family_name="Attendee"
    )
    user = accounts.create_user(
        by=None, username="facilitator", password=PASSWORD, person=facilitator
    )
    accounts.grant_membership(
        by=None, user=user, organisation=universe.north, role="board_member", start_date=START
    )
    universe.users["facilitator"] = user
    session = actions.record_session(
        by=None,
        organisation=universe.n1,
        kind="one_to_one",
        held_on=dt.date(2026, 9, 1),
        title="Conversation with the Clinical Director",
        facilitators=[facilitator],
        attendees=[attendee],
        notes="Considering stepping down next year",
        confidential=True,
    )
    url = reverse("development:session", args=[session.pk])
    own = verified_client("facilitator").get(url).content.decode()
    assert "Considering stepping down" in own
    for role in ("alliance_admin", "board_member", "clinical_director"):
        page = verified_client(role).get(url).content.decode()
        assert "Considering stepping down" not in page, role
        assert (
            "Ann Attendee" in page
            and "Fay Cilitator" in page
            and "confidential to its facilitators" in page
        )
        assert (
            "Conversation with the Clinical Director"
            in verified_client(role).get(reverse("development:sessions")).content.decode()
        )
    assert verified_client("south_admin").get(url).status_code == 404


def test_recording_a_session_through_the_form(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    person = organisations.add_person(
        by=None, organisation=universe.n1, given_name="Pat", family_name="Lead"
    )
    organisations.appoint(
        by=None, person=person, organisation=universe.n1, title="pcn_manager", start_date=START
    )
    manager = verified_client("pcn_manager")
    form = manager.get(reverse("development:session_new")).content.decode()
    assert "N1 PCN" in form and "N2 PCN" not in form and "North Place" not in form
    response = manager.post(
        reverse("development:session_new"),
        {
            "organisation": universe.n1.pk,
            "kind": "workshop",
            "title": "Away day",
            "held_on": "2026-09-02",
            "facilitators": [person.pk],
            "notes": "Good day",
        },
    )
    assert response.status_code == 302
    assert "Good day" in manager.get(response["Location"]).content.decode()


def test_place_report_lists_recommendations_by_theme_and_status_and_exports_pdf(
    universe, verified_client, recommendations
) -> None:  # type: ignore[no-untyped-def]
    board = verified_client("board_member")
    page = board.get(reverse("development:place_report", args=[universe.place.pk])).content.decode()
    leadership = page[page.index('id="theme-leadership"') : page.index('id="theme-relationships"')]
    assert "Peer support for new Clinical Directors" in leadership and "Proposed" in leadership
    relationships = page[
        page.index('id="theme-relationships"') : page.index('id="theme-management"')
    ]
    assert (
        'id="recommendations-relationships-in_progress"' in relationships
        and "Quarterly place forum" in relationships
    )
    assert "Needs feasibility work" in page[page.index('id="theme-management"') :]
    assert "Add a recommendation" not in page
    response = board.get(reverse("development:place_report_pdf", args=[universe.place.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for r in recommendations:
        assert r.title.encode() in text
    assert b"Building relationships across the system" in text
    # The PCN's own roles do not cover the place.
    assert (
        verified_client("pcn_manager")
        .get(reverse("development:place_report", args=[universe.place.pk]))
        .status_code
        == 404
    )
    assert (
        verified_client("south_admin")
        .get(reverse("development:place_report_pdf", args=[universe.place.pk]))
        .status_code
        == 404
    )


def test_admin_adds_findings_recommendations_actions_and_shares_the_learning(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    admin = verified_client("alliance_admin")
    place = universe.place
    admin.post(
        reverse("development:finding_new", args=[place.pk]),
        {
            "theme": "leadership",
            "title": "Few leaders have protected time",
            "found_on": "2026-09-01",
        },
    )
    response = admin.post(
        reverse("development:recommendation_new", args=[place.pk]),
        {
            "theme": "leadership",
            "title": "Protected time for leaders",
            "readiness": "feasibility",
            "owner": "",
        },
    )
    recommendation = Recommendation.objects.get()
    assert response["Location"] == reverse("development:recommendation", args=[recommendation.pk])
    admin.post(
        reverse("development:action_add", args=[recommendation.pk]),
        {"what": "Cost two sessions a week", "who": "", "due": "2026-10-31"},
    )
    action = recommendation.actions.get()
    admin.post(reverse("development:action_done", args=[action.pk]))
    admin.post(
        reverse("development:recommendation_update", args=[recommendation.pk]),
        {"status": "agreed", "evidence_of_impact": "", "learning": "Cost it before asking"},
    )
    action.refresh_from_db()
    recommendation.refresh_from_db()
    assert action.done_on is not None and recommendation.status == "agreed"
    across = (
        verified_client("board_member").get(reverse("development:across_places")).content.decode()
    )
    assert "Protected time for leaders" in across and "Cost it before asking" in across
    pdf = verified_client("board_member").get(reverse("development:across_places_pdf"))
    assert b"Cost it before asking" in pdf_text(pdf.content)
    assert (
        "Few leaders have protected time"
        in admin.get(reverse("development:place_report", args=[place.pk])).content.decode()
    )
    assert (
        verified_client("board_member")
        .post(reverse("development:action_done", args=[action.pk]))
        .status_code
        == 404
    )


def test_index_links_pcns_and_places(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    page = verified_client("alliance_admin").get(reverse("development:index")).content.decode()
    assert "North Place" in page and "N1 PCN" in page and "S1 PCN" not in page
