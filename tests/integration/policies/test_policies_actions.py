"""The policy library's actions: the version workflow, adoption, acknowledgement, permission and
audit, and review reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.policies import actions, queries
from openpcn.policies.models import Adoption, PolicyVersion, VersionStatus
from tests.files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
NEXT_YEAR = dt.date.today() + dt.timedelta(days=365)


def published(version: PolicyVersion) -> PolicyVersion:
    actions.approve_version(by=None, version=version)
    return actions.publish_version(by=None, version=version)


def test_publishing_a_new_version_supersedes_the_old_and_each_step_is_audited(policies) -> None:  # type: ignore[no-untyped-def]
    admin = policies.universe.users["alliance_admin"]
    v2 = actions.draft_version(
        by=admin,
        policy=policies.chaperone.policy,
        changes="Chaperones are recorded in the notes",
        review_date=NEXT_YEAR,
        body=policies.chaperone.body + "\nRecord the chaperone's name in the notes.\n",
    )
    assert v2.number == 2 and v2.status == VersionStatus.DRAFT
    with pytest.raises(ValidationError, match="must be approved"):
        actions.publish_version(by=admin, version=v2)
    actions.approve_version(by=admin, version=v2)
    actions.publish_version(by=admin, version=v2)
    v1 = PolicyVersion.objects.get(pk=policies.chaperone.pk)
    assert v1.status == VersionStatus.SUPERSEDED and v1.superseded_on == dt.date.today()
    assert queries.current_version(v1.policy).pk == v2.pk
    done = list(
        AuditEvent.objects.filter(actor=admin).order_by("pk").values_list("action", flat=True)
    )
    assert done == [
        "draft_policy_version",
        "approve_policy_version",
        "supersede_policy_version",
        "publish_policy_version",
    ]
    assert AuditEvent.objects.filter(actor=admin, organisation=policies.universe.north).count() == 4


def test_one_version_is_in_progress_at_a_time(policies) -> None:  # type: ignore[no-untyped-def]
    policy = policies.chaperone.policy
    actions.draft_version(by=None, policy=policy, changes="Tidy", review_date=NEXT_YEAR, body="x")
    with pytest.raises(ValidationError, match="Version 2 is still draft"):
        actions.draft_version(
            by=None, policy=policy, changes="More", review_date=NEXT_YEAR, body="y"
        )


def test_a_version_in_progress_may_be_discarded_but_not_the_first_or_a_published_one(
    policies,
) -> None:  # type: ignore[no-untyped-def]
    admin = policies.universe.users["alliance_admin"]
    policy = policies.chaperone.policy
    draft = actions.draft_version(
        by=None, policy=policy, changes="Wrong", review_date=NEXT_YEAR, body="Mistaken words"
    )
    with pytest.raises(PermissionDenied):
        actions.discard_version(by=policies.universe.users["practice_manager"], version=draft)
    actions.discard_version(by=admin, version=draft)
    assert list(policy.versions.values_list("number", flat=True)) == [1]
    event = AuditEvent.objects.get(action="discard_policy_version")
    assert event.before["body"] == "Mistaken words" and event.actor == admin
    with pytest.raises(ValidationError, match="Version 1 is published"):
        actions.discard_version(by=admin, version=policies.chaperone)
    again = actions.draft_version(
        by=None, policy=policy, changes="Right", review_date=NEXT_YEAR, body="Better words"
    )
    assert again.number == 2


def test_only_policy_managers_over_the_policys_organisation_write_it(policies) -> None:  # type: ignore[no-untyped-def]
    users = policies.universe.users
    policy = policies.chaperone.policy
    for role in ("practice_manager", "clinician", "board_member", "pcn_manager", "south_admin"):
        with pytest.raises(PermissionDenied):
            actions.draft_version(
                by=users[role], policy=policy, changes="x", review_date=NEXT_YEAR, body="x"
            )
    # The PCN manager writes the PCN's own protocols.
    own = actions.create_policy(
        by=users["pcn_manager"],
        organisation=policies.universe.n1,
        title="Home visiting protocol",
        category="clinical",
        owner=policies.owner,
        approver=policies.owner,
        review_date=NEXT_YEAR,
        body="Visits are triaged by the duty GP.",
    )
    assert own.policy.organisation == policies.universe.n1
    with pytest.raises(ValidationError, match="alliance or a PCN"):
        actions.create_policy(
            by=None,
            organisation=policies.universe.p1,
            title="Practice's own",
            category="hr",
            owner=policies.owner,
            approver=policies.owner,
            review_date=NEXT_YEAR,
            body="x",
        )


def test_a_policy_may_be_an_uploaded_pdf_or_word_document_checked_by_its_bytes(policies) -> None:  # type: ignore[no-untyped-def]
    common = dict(
        by=None,
        organisation=policies.universe.north,
        category="business_continuity",
        owner=policies.owner,
        approver=policies.owner,
        review_date=NEXT_YEAR,
    )
    word = actions.create_policy(
        title="Business continuity plan",
        document=actions.Upload("continuity.docx", docx_bytes("Plan")),
        **common,
    )
    assert word.is_document and word.document_name == "continuity.docx"
    pdf = actions.create_policy(
        title="Fire safety", document=actions.Upload("fire.pdf", pdf_bytes("Fire")), **common
    )
    assert pdf.document_type == "application/pdf"
    with pytest.raises(ValidationError, match=r"virus\.exe: only PDF or Word \(.docx\) files"):
        actions.create_policy(
            title="Bad", document=actions.Upload("virus.exe", b"MZ\x90\x00"), **common
        )
    with pytest.raises(ValidationError, match="not both"):
        actions.create_policy(
            title="Both",
            body="words",
            document=actions.Upload("a.pdf", pdf_bytes()),
            **common,
        )


def test_a_practice_adopts_with_a_local_variation_naming_who_approved_it(policies) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    manager = u.users["practice_manager"]
    with pytest.raises(ValidationError, match="who approved the local variation"):
        actions.adopt_version(
            by=manager, practice=u.p1, version=policies.chaperone, local_variation="Ours"
        )
    assert not Adoption.objects.exists()
    adoption = actions.adopt_version(
        by=manager,
        practice=u.p1,
        version=policies.chaperone,
        local_variation="Chaperones at the branch surgery are booked through reception.",
        variation_approved_by=policies.variation_approver,
    )
    assert queries.current_adoption(u.p1, policies.chaperone.policy) == adoption
    assert AuditEvent.objects.filter(action="adopt_policy", organisation=u.p1).count() == 1
    with pytest.raises(PermissionDenied):
        actions.adopt_version(by=manager, practice=u.p2, version=policies.chaperone)
    with pytest.raises(ValidationError, match="not one of its practices"):
        actions.adopt_version(by=None, practice=u.q1, version=policies.chaperone)


def test_adopting_a_new_version_replaces_the_old_and_keeps_history(policies) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    first = actions.adopt_version(by=None, practice=u.p1, version=policies.chaperone)
    v2 = published(
        actions.draft_version(
            by=None,
            policy=policies.chaperone.policy,
            changes="Wording",
            review_date=NEXT_YEAR,
            body="New words",
        )
    )
    # Until it adopts version 2, the practice says it runs version 1.
    assert queries.current_adoption(u.p1, v2.policy).version == policies.chaperone
    with pytest.raises(ValidationError, match="Only the published version"):
        actions.adopt_version(by=None, practice=u.p1, version=policies.chaperone)
    actions.adopt_version(by=None, practice=u.p1, version=v2)
    first.refresh_from_db()
    assert first.replaced_on == dt.date.today()
    assert queries.current_adoption(u.p1, v2.policy).version == v2


def test_a_significant_version_asks_staff_to_acknowledge_again(policies) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    clinician = u.users["clinician"]
    actions.adopt_version(by=None, practice=u.p1, version=policies.chaperone)
    assert [t.version for t in queries.outstanding_for(policies.cal)] == [policies.chaperone]
    actions.acknowledge(by=clinician, version=policies.chaperone)
    assert queries.outstanding_for(policies.cal) == []
    assert AuditEvent.objects.filter(action="acknowledge_policy", actor=clinician).exists()
    with pytest.raises(ValidationError, match="already acknowledged"):
        actions.acknowledge(by=clinician, version=policies.chaperone)

    minor = published(
        actions.draft_version(
            by=None,
            policy=policies.chaperone.policy,
            changes="Typo",
            review_date=NEXT_YEAR,
            body="a",
        )
    )
    actions.adopt_version(by=None, practice=u.p1, version=minor)
    assert queries.outstanding_for(policies.cal) == [], "a minor change keeps the acknowledgement"

    major = published(
        actions.draft_version(
            by=None,
            policy=policies.chaperone.policy,
            changes="Chaperones must be DBS checked",
            significant=True,
            review_date=NEXT_YEAR,
            body="b",
        )
    )
    actions.adopt_version(by=None, practice=u.p1, version=major)
    assert [t.version for t in queries.outstanding_for(policies.cal)] == [major]
    assert [t.version for t in queries.outstanding_for(policies.nia)] == [major]
    actions.acknowledge(by=clinician, version=major)
    assert queries.outstanding_for(policies.cal) == []


def test_staff_acknowledge_only_for_themselves_and_only_what_applies(policies) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    policy = policies.chaperone.policy
    actions.update_policy(
        by=None,
        policy=policy,
        category=policy.category,
        owner=policy.owner,
        approver=policy.approver,
        audience="clinical",
    )
    actions.adopt_version(by=None, practice=u.p1, version=policies.chaperone)
    with pytest.raises(PermissionDenied):
        actions.acknowledge(by=u.users["clinician"], version=policies.chaperone, staff=policies.nia)
    with pytest.raises(PermissionDenied):
        actions.acknowledge(by=u.users["practice_manager"], version=policies.chaperone)
    # The policy is for clinical staff: a link worker has nothing to acknowledge.
    assert queries.outstanding_for(policies.nia) == []
    with pytest.raises(ValidationError, match="not a version"):
        actions.acknowledge(by=None, version=policies.chaperone, staff=policies.nia)


def test_compliance_counts_by_policy_role_and_person(policies) -> None:  # type: ignore[no-untyped-def]
    u = policies.universe
    actions.adopt_version(by=None, practice=u.p1, version=policies.chaperone)
    actions.acknowledge(by=u.users["clinician"], version=policies.chaperone)
    found = queries.practice_compliance(u.p1)
    (row,) = found.policies
    assert row.acknowledged == [policies.cal] and row.outstanding == [policies.nia]
    assert row.rate == 50 and found.rate == 50
    assert {(r.role, r.acknowledged, r.due) for r in found.roles} == {
        ("Salaried GP", 1, 1),
        ("Social prescribing link worker", 0, 1),
    }
    nia = next(s for s in found.staff if s.staff == policies.nia)
    assert [a.policy.title for a in nia.outstanding] == ["Chaperone policy"]


def test_policies_due_for_review_join_the_governance_due_soon_list(policies) -> None:  # type: ignore[no-untyped-def]
    from openpcn.governance.reminders import reminders_for

    u = policies.universe
    today = dt.date.today()
    lapsed = actions.create_policy(
        by=None,
        organisation=u.north,
        title="Lone working policy",
        category="health_and_safety",
        owner=policies.owner,
        approver=policies.owner,
        review_date=today - dt.timedelta(days=3),
        body="Tell someone where you are.",
    )
    published(lapsed)
    assert lapsed.out_of_date(today) is False  # a draft is not yet in force
    lapsed.refresh_from_db()
    assert lapsed.out_of_date(today)
    due = [r for r in reminders_for(u.users["alliance_admin"], today) if r.kind == "Policy review"]
    assert [r.what for r in due] == ["Lone working policy, version 1 (owner Olu Owen)"]
    assert due[0].overdue(today)
    assert not [
        r for r in reminders_for(u.users["south_admin"], today) if r.kind == "Policy review"
    ]
    # The practice manager is reminded once their practice runs it.
    manager = u.users["practice_manager"]
    assert not [r for r in reminders_for(manager, today) if r.kind == "Policy review"]
    actions.adopt_version(by=manager, practice=u.p1, version=lapsed)
    assert [r.kind for r in reminders_for(manager, today)].count("Policy review") == 1
