"""The contracts register: recording contracts and sub-contracts, obligations and who delivers
them, documents, premises; the accountability map and breach view; scope and permissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpcn.contracts import actions
from openpcn.contracts.models import Contract, ContractDocument, Delegation
from openpcn.core.models import AuditEvent
from tests.files import docx_bytes

ICB = "NHS North ICB"


def _arrangement(universe):  # type: ignore[no-untyped-def]
    """P1's partners hold a GMS contract and sub-contract delivery to the North alliance."""
    gms = actions.record_contract(
        by=universe.users["practice_manager"],
        kind="gms",
        title="GMS contract: P1",
        holder=universe.p1,
        holder_label="The partners of P1 Surgery",
        counterparty_name=ICB,
        start_date=dt.date(2004, 4, 1),
        end_date=dt.date(2027, 3, 31),
        notice_months=6,
    )
    essential = actions.add_obligation(
        by=None, contract=gms, clause="Clause 7.2", description="Essential services in core hours"
    )
    sub = actions.record_contract(
        by=universe.users["practice_manager"],
        kind="subcontract",
        title="Delivery sub-contract: P1",
        holder=universe.north,
        holder_label="North Alliance CIC",
        counterparty=universe.p1,
        parent=gms,
        start_date=dt.date(2024, 4, 1),
    )
    actions.delegate_obligation(by=None, obligation=essential, subcontract=sub, clause="Clause 4.1")
    return gms, sub, essential


def test_recording_a_sub_contract_and_delegating_is_audited(universe) -> None:  # type: ignore[no-untyped-def]
    gms, sub, essential = _arrangement(universe)
    assert sub.alliance == universe.north and sub.parent == gms
    assert Delegation.objects.get().subcontract == sub
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"record_contract", "add_obligation", "delegate_obligation"} <= actions_seen


def test_bad_contracts_are_refused_and_nothing_is_written(universe) -> None:  # type: ignore[no-untyped-def]
    gms, _, essential = _arrangement(universe)
    before = Contract.objects.count()
    base = dict(by=None, title="x", holder=universe.p1, start_date=dt.date(2024, 4, 1))
    cases = [
        (dict(kind="gms"), "Name the counterparty"),
        (dict(kind="gms", counterparty_name=ICB, end_date=dt.date(2020, 1, 1)), "end before"),
        (dict(kind="subcontract", counterparty_name=ICB), "names the contract"),
        (dict(kind="subcontract", counterparty=universe.p2, parent=gms), "answers to its holder"),
        (dict(kind="gms", counterparty=universe.q1), "same alliance"),
        (dict(kind="nope", counterparty_name=ICB), "Unknown kind"),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError, match=message):
            actions.record_contract(**{**base, **overrides})  # type: ignore[arg-type]
    assert Contract.objects.count() == before
    # A lease is not a sub-contract of the GMS contract: it cannot take on its obligations
    lease = actions.record_contract(
        by=None,
        kind="lease",
        title="Lease",
        holder=universe.p1,
        counterparty_name="Landlord",
        start_date=dt.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError, match="not a sub-contract"):
        actions.delegate_obligation(by=None, obligation=essential, subcontract=lease, clause="1")


def test_only_managers_over_a_party_may_record(universe) -> None:  # type: ignore[no-untyped-def]
    for role in ("clinician", "board_member", "clinical_director", "south_admin"):
        with pytest.raises(PermissionDenied):
            actions.record_contract(
                by=universe.users[role],
                kind="gms",
                title="x",
                holder=universe.p1,
                counterparty_name=ICB,
                start_date=dt.date(2024, 4, 1),
            )
    # The practice manager of P1 may not record P2's contracts
    with pytest.raises(PermissionDenied):
        actions.record_contract(
            by=universe.users["practice_manager"],
            kind="gms",
            title="x",
            holder=universe.p2,
            counterparty_name=ICB,
            start_date=dt.date(2024, 4, 1),
        )
    assert not Contract.objects.exists()


def test_the_map_and_breach_view_name_who_answers_to_whom(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _, _, essential = _arrangement(universe)
    client = verified_client("board_member")
    page = client.get(reverse("contracts:map")).content.decode()
    assert f"{ICB} ← The partners of P1 Surgery ← North Alliance CIC" in page
    breach = client.get(reverse("contracts:breach", args=[essential.pk])).content.decode()
    assert "North Alliance CIC answers to The partners of P1 Surgery under Clause 4.1" in breach
    assert "The partners of P1 Surgery remains accountable to NHS North ICB" in breach


def test_contracts_outside_scope_are_404(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    gms, _, essential = _arrangement(universe)
    other = verified_client("south_admin")
    assert other.get(reverse("contracts:detail", args=[gms.pk])).status_code == 404
    assert other.get(reverse("contracts:breach", args=[essential.pk])).status_code == 404
    assert "GMS contract: P1" not in other.get(reverse("contracts:register")).content.decode()
    assert verified_client("clinician").get(reverse("contracts:register")).status_code == 404


def test_documents_are_checked_by_their_bytes_and_kept_privately(
    universe, verified_client, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    gms, _, _ = _arrangement(universe)
    client = verified_client("practice_manager")
    url = reverse("contracts:add_document", args=[gms.pk])
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "contract.pdf"
    response = client.post(url, {"file": fake, "kind": "contract"}, follow=True)
    assert "only PDF, Word (.docx) or Excel (.xlsx)" in response.content.decode()
    assert not ContractDocument.objects.exists()
    real = io.BytesIO(docx_bytes())
    real.name = "signed contract.docx"
    client.post(url, {"file": real, "kind": "contract"})
    document = ContractDocument.objects.get()
    assert document.content_type.endswith("wordprocessingml.document")
    stored = tmp_path / document.path
    assert stored.read_bytes() == docx_bytes() and oct(stored.stat().st_mode & 0o777) == "0o600"
    download = client.get(reverse("contracts:download", args=[document.pk]))
    assert download.status_code == 200 and download.content == docx_bytes()
    assert (
        verified_client("south_admin")
        .get(reverse("contracts:download", args=[document.pk]))
        .status_code
        == 404
    )


def test_premises_need_their_lease_and_reminders_show_notice_deadlines(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.contracts.queries import reminders
    from openpcn.organisations import actions as org_actions

    site = org_actions.add_site(by=None, organisation=universe.p1, name="P1 Main Surgery")
    with pytest.raises(ValidationError, match="linked to their lease"):
        actions.record_premises(by=None, site=site, tenure="leased")
    lease = actions.record_contract(
        by=None,
        kind="lease",
        title="Lease: P1 Main Surgery",
        holder=universe.p1,
        counterparty_name="P1 Landlord Ltd",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2026, 12, 31),
        notice_months=3,
        site=site,
    )
    premises = actions.record_premises(
        by=None, site=site, tenure="leased", lease=lease, break_dates=[dt.date(2025, 6, 30)]
    )
    assert premises.landlord == "P1 Landlord Ltd"
    due = reminders(universe.users["practice_manager"], dt.date(2026, 9, 15))
    assert [(r.due, r.what) for r in due] == [
        (dt.date(2026, 9, 30), "Last day to give notice (3 months)"),
        (dt.date(2026, 12, 31), "Contract ends"),
    ]
    page = verified_client("practice_manager").get(reverse("contracts:premises")).content.decode()
    assert "P1 Main Surgery" in page and "2025-06-30" in page
