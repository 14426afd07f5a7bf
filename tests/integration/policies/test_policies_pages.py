"""The policy pages: scope (404 outside the user's organisations), the diff, search, adoption
through the form, staff acknowledgement, compliance and the evidence pack read back."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openpcn.core.resources import resource_cards
from openpcn.policies import actions, queries
from openpcn.policies.models import Adoption, PolicyVersion
from tests.files import pdf_text

pytestmark = pytest.mark.django_db
NEXT_YEAR = dt.date.today() + dt.timedelta(days=365)
VARIATION = "Chaperones at the Moor Lane branch are booked through reception."


def published(version: PolicyVersion) -> PolicyVersion:
    actions.approve_version(by=None, version=version)
    return actions.publish_version(by=None, version=version)


def test_outside_the_alliance_a_policy_and_a_practices_compliance_are_not_found(
    policies, verified_client
) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    version = policies.chaperone
    outsider = verified_client("south_admin")
    for name, args in (
        ("policies:policy", [version.policy_id]),
        ("policies:version", [version.pk]),
        ("policies:version_diff", [version.pk]),
        ("policies:adopt", [version.policy_id]),
        ("policies:practice", [u.p1.pk]),
        ("policies:evidence", [u.p1.pk, "pdf"]),
        ("policies:evidence", [u.p1.pk, "xlsx"]),
    ):
        assert outsider.get(reverse(name, args=args)).status_code == 404, name
    assert "Chaperone" not in outsider.get(reverse("policies:index")).content.decode()
    # Inside the alliance a clinician reads it, but sees no compliance and no drafts.
    clinician = verified_client("clinician")
    assert clinician.get(reverse("policies:policy", args=[version.policy_id])).status_code == 200
    assert clinician.get(reverse("policies:practice", args=[u.p1.pk])).status_code == 404
    draft = actions.draft_version(
        by=None, policy=version.policy, changes="Next", review_date=NEXT_YEAR, body="Draft words"
    )
    assert clinician.get(reverse("policies:version", args=[draft.pk])).status_code == 404
    assert (
        verified_client("alliance_admin")
        .get(reverse("policies:version", args=[draft.pk]))
        .status_code
        == 200
    )


def test_without_permission_the_write_pages_are_not_found(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    version = policies.chaperone
    manager = verified_client("practice_manager")
    assert manager.get(reverse("policies:policy_new")).status_code == 404
    assert manager.get(reverse("policies:version_new", args=[version.policy_id])).status_code == 404
    draft = actions.draft_version(
        by=None, policy=version.policy, changes="Next", review_date=NEXT_YEAR, body="x"
    )
    board = verified_client("board_member")
    assert board.post(reverse("policies:version_approve", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"
    clinician = verified_client("clinician")
    assert clinician.get(reverse("policies:adopt", args=[version.policy_id])).status_code == 404


def test_the_alliance_writes_approves_and_publishes_through_the_pages(
    policies, verified_client
) -> None:  # type: ignore[no-untyped-def]
    admin = verified_client("alliance_admin")
    response = admin.post(
        reverse("policies:policy_new"),
        {
            "organisation": policies.universe.north.pk,
            "title": "Infection prevention and control",
            "category": "infection_control",
            "owner": policies.owner.pk,
            "approver": policies.owner.pk,
            "audience": "clinical",
            "review_date": NEXT_YEAR.isoformat(),
            "body": "# Hand hygiene\n\nWash hands before and after every patient.<script>alert(1)</script>",
        },
    )
    version = PolicyVersion.objects.get(policy__title="Infection prevention and control")
    assert response.status_code == 302
    admin.post(reverse("policies:version_approve", args=[version.pk]))
    admin.post(reverse("policies:version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "published" and version.approved_on == dt.date.today()
    page = admin.get(reverse("policies:policy", args=[version.policy_id])).content.decode()
    assert "<h3>Hand hygiene</h3>" in page and "Wash hands before and after" in page
    assert "alert(1)" not in page


def test_an_uploaded_word_document_is_kept_and_downloaded_by_readers(
    policies, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files import docx_bytes

    content = docx_bytes("Business continuity plan")
    admin = verified_client("alliance_admin")
    fields = {
        "organisation": policies.universe.north.pk,
        "title": "Business continuity plan",
        "category": "business_continuity",
        "owner": policies.owner.pk,
        "approver": policies.owner.pk,
        "audience": "everyone",
        "review_date": NEXT_YEAR.isoformat(),
    }
    refused = admin.post(
        reverse("policies:policy_new"),
        {**fields, "document": SimpleUploadedFile("plan.txt", b"plain text")},
    )
    assert "plan.txt: only PDF or Word (.docx) files can be kept" in refused.content.decode()
    assert not PolicyVersion.objects.filter(policy__title="Business continuity plan").exists()
    admin.post(
        reverse("policies:policy_new"),
        {**fields, "document": SimpleUploadedFile("plan.docx", content)},
    )
    version = published(PolicyVersion.objects.get(policy__title="Business continuity plan"))
    response = verified_client("clinician").get(
        reverse("policies:version_document", args=[version.pk])
    )
    assert response.content == content
    assert 'filename="business-continuity-plan-v1.docx"' in response["Content-Disposition"]


def test_the_diff_shows_what_was_removed_and_added(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    old = policies.chaperone
    new = published(
        actions.draft_version(
            by=None,
            policy=old.policy,
            changes="Chaperones are trained",
            review_date=NEXT_YEAR,
            body=old.body.replace(
                "- A trained member of staff", "- A member of staff trained this year"
            ),
        )
    )
    page = verified_client("clinician").get(reverse("policies:version_diff", args=[new.pk]))
    html = page.content.decode()
    assert "Changes from version 1 to version 2" in html
    assert "Removed: </span><del>- A trained member of staff</del>" in html
    assert "Added: </span><ins>- A member of staff trained this year</ins>" in html
    assert "<del>## Purpose</del>" not in html


@pytest.mark.parametrize(
    ("words", "titles"),
    [
        ("chaperone", ["Chaperone policy"]),
        ("trained clinician", ["Chaperone policy"]),
        ("lone", ["Lone working policy"]),
        ("location", ["Lone working policy"]),
        ("draft secret", []),
    ],
)
def test_search_finds_published_policies_by_title_and_text(policies, words, titles) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    common = dict(by=None, owner=policies.owner, approver=policies.owner, review_date=NEXT_YEAR)
    published(
        actions.create_policy(
            organisation=u.north,
            title="Lone working policy",
            category="health_and_safety",
            body="Share your location with the practice when you visit a patient at home.",
            **common,
        )
    )
    actions.create_policy(
        organisation=u.north, title="Draft secret", category="hr", body="Not yet", **common
    )
    published(
        actions.create_policy(
            organisation=u.south,
            title="Southern chaperone policy",
            category="clinical",
            body="A trained clinician chaperones.",
            **common,
        )
    )
    found = queries.search(u.users["clinician"], words)
    assert [p.title for p, _v in found] == titles


def test_search_page_lists_matches(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    html = verified_client("clinician").get(reverse("policies:index"), {"q": "chaperone"}).content
    assert b"1 policy matching" in html and b"Chaperone policy" in html


def _adopt_with_variation(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    response = verified_client("practice_manager").post(
        reverse("policies:adopt", args=[policies.chaperone.policy_id]),
        {
            "practice": policies.universe.p1.pk,
            "local_variation": VARIATION,
            "variation_approved_by": policies.variation_approver.pk,
        },
    )
    assert response.status_code == 302


def test_adopting_acknowledging_and_the_compliance_view(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    _adopt_with_variation(policies, verified_client)
    adoption = Adoption.objects.get(practice=u.p1)
    assert adoption.local_variation == VARIATION
    clinician = verified_client("clinician")
    mine = clinician.get(reverse("policies:mine")).content.decode()
    assert "Chaperone policy" in mine and VARIATION in mine
    clinician.post(reverse("policies:acknowledge", args=[policies.chaperone.pk]))
    assert queries.outstanding_for(policies.cal) == []
    page = verified_client("pcn_manager").get(reverse("policies:practice", args=[u.p1.pk]))
    html = page.content.decode()
    assert "50% of acknowledgements made (1 of 2)" in html
    assert VARIATION in html and "approved by Ada Ames" in html
    assert "Nia Noor" in html


def _shown(content: bytes) -> str:
    """The PDF's text strings, unescaped and joined (ReportLab wraps a cell's text over lines)."""
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content)
    return " ".join(re.sub(rb"\\(.)", rb"\1", s).decode("latin-1") for s in strings)


def test_the_evidence_pack_pdf_lists_adopted_policies_with_rates(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    _adopt_with_variation(policies, verified_client)
    actions.acknowledge(by=u.users["clinician"], version=policies.chaperone)
    response = verified_client("board_member").get(
        reverse("policies:evidence", args=[u.p1.pk, "pdf"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert "p1-surgery-policy-evidence" in response["Content-Disposition"]
    text = _shown(pdf_text(response.content))
    for expected in ("P1 Surgery: policy evidence pack", "Chaperone policy", "50% (1 of 2)"):
        assert expected in text
    assert f"{VARIATION} (approved by Ada Ames)" in text
    assert "Adopted as it is" not in text


def test_the_evidence_pack_xlsx_reads_back(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    _adopt_with_variation(policies, verified_client)
    response = verified_client("practice_manager").get(
        reverse("policies:evidence", args=[u.p1.pk, "xlsx"])
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Policies"]
    assert sheet["A1"].value.startswith("P1 Surgery: policy evidence pack")
    header = [c.value for c in sheet[4]]
    row = dict(zip(header, [c.value for c in sheet[5]], strict=True))
    assert row["Policy"] == "Chaperone policy" and row["Version"] == 1
    assert row["Adopted"].date() == dt.date.today()
    assert row["Local variation"] == f"{VARIATION} (approved by Ada Ames)"
    assert row["Acknowledged"] == 0 and row["Staff it applies to"] == 2
    people = {r[0].value: r[3].value for r in book["Staff"].iter_rows(min_row=2)}
    assert people == {"Cal Cole": "Chaperone policy", "Nia Noor": "Chaperone policy"}


def test_an_out_of_date_policy_is_shown_as_such(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    lapsed = published(
        actions.create_policy(
            by=None,
            organisation=u.north,
            title="Safeguarding adults",
            category="safeguarding",
            owner=policies.owner,
            approver=policies.owner,
            review_date=dt.date.today() - dt.timedelta(days=10),
            body="Raise a concern with the safeguarding lead.",
        )
    )
    actions.adopt_version(by=None, practice=u.p1, version=lapsed)
    client = verified_client("practice_manager")
    for name, args in (
        ("policies:index", []),
        ("policies:policy", [lapsed.policy_id]),
        ("policies:practice", [u.p1.pk]),
    ):
        assert "Out of date" in client.get(reverse(name, args=args)).content.decode(), name
    assert (
        "Out of date" in verified_client("clinician").get(reverse("policies:mine")).content.decode()
    )


def test_resources_cards_follow_what_the_user_may_do(policies) -> None:  # type: ignore[no-untyped-def]
    users = policies.universe.users

    def titles(role: str) -> set[str]:
        return {c.title for c in resource_cards(users[role]) if c.url_name.startswith("policies:")}

    assert titles("clinician") == {"Policies and protocols", "Policies to acknowledge"}
    assert titles("practice_manager") == {"Policies and protocols", "Policy compliance"}
    assert titles("finance_officer") == {"Policies and protocols"}


def test_changing_whom_a_policy_applies_to_is_audited(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    from openpcn.core.models import AuditEvent
    from openpcn.workforce.models import JobRole

    policy = policies.chaperone.policy
    url = reverse("policies:policy_edit", args=[policy.pk])
    assert verified_client("pcn_manager").get(url).status_code == 404
    gp = JobRole.objects.get(code="salaried-gp")
    admin = verified_client("alliance_admin")
    fields = {
        "category": "clinical",
        "owner": policies.owner.pk,
        "approver": policies.variation_approver.pk,
        "audience": "roles",
    }
    refused = admin.post(url, fields)
    assert "Choose the job roles the policy applies to" in refused.content.decode()
    assert admin.post(url, {**fields, "job_roles": [gp.pk]}).status_code == 302
    policy.refresh_from_db()
    assert (
        policy.applies_to_label == "Salaried GP" and policy.approver == policies.variation_approver
    )
    event = AuditEvent.objects.get(action="update_policy")
    assert event.before["audience"] == "everyone" and event.after["audience"] == "roles"
    # Now only the GP at P1 is asked to acknowledge it.
    actions.adopt_version(by=None, practice=policies.universe.p1, version=policies.chaperone)
    (row,) = queries.practice_compliance(policies.universe.p1).policies
    assert row.outstanding == [policies.cal]


def test_a_manager_discards_a_draft_from_its_page(policies, verified_client) -> None:  # type: ignore[no-untyped-def]
    draft = actions.draft_version(
        by=None, policy=policies.chaperone.policy, changes="Oops", review_date=NEXT_YEAR, body="x"
    )
    admin = verified_client("alliance_admin")
    page = admin.get(reverse("policies:version", args=[draft.pk])).content.decode()
    assert "Discard version 2" in page and "Approve version 2" in page
    response = admin.post(reverse("policies:version_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()
