"""Risk register pages through the test client: scope, filters, the heat map, the forms."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.governance.models import Risk, RiskStatus

REGISTER = reverse("governance:register")
HEAT_MAP = reverse("governance:heat_map")


def _cell_counts(page: str) -> dict[tuple[int, int], int]:
    found = re.findall(r'data-consequence="(\d)" data-likelihood="(\d)" data-count="(\d+)"', page)
    return {(int(c), int(lk)): int(n) for c, lk, n in found}


def test_governance_register_lists_only_risks_in_scope(universe, register, verified_client) -> None:  # type: ignore[no-untyped-def]
    board = verified_client("board_member").get(REGISTER).content.decode()
    for risk in (register.p1_staffing, register.n1_arrs, register.p3_lease, register.north_ig):
        assert risk.title in board
    assert register.q1_hub.title not in board
    assert "Escalated from P3 Surgery" in board
    assert "Review overdue" in board  # the P1 fire assessment
    assert "nhsuk-tag--red" in board and "16 Extreme" in board

    practice = verified_client("practice_manager").get(REGISTER).content.decode()
    assert register.p1_staffing.title in practice and register.p1_fire.title in practice
    for other in (register.n1_arrs, register.p3_lease, register.north_ig, register.q1_hub):
        assert other.title not in practice

    pcn = verified_client("pcn_manager").get(REGISTER).content.decode()
    assert register.n1_arrs.title in pcn and register.p1_staffing.title in pcn
    assert register.p3_lease.title not in pcn and register.north_ig.title not in pcn

    south = verified_client("south_admin").get(REGISTER).content.decode()
    assert register.q1_hub.title in south and register.p1_staffing.title not in south


def test_governance_register_filters(universe, register, verified_client) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("board_member")
    north = client.get(REGISTER, {"organisation": universe.north.pk}).content.decode()
    # The alliance's own register: its own risks and those escalated to it.
    assert register.north_ig.title in north and register.p3_lease.title in north
    assert register.p1_staffing.title not in north
    high = client.get(REGISTER, {"band": "high"}).content.decode()
    assert register.n1_arrs.title in high and register.p3_lease.title in high
    assert register.p1_staffing.title not in high and register.north_ig.title not in high
    from openpcn.governance import actions

    actions.close_risk(by=None, risk=register.n1_arrs)
    assert register.n1_arrs.title not in client.get(REGISTER).content.decode()
    closed = client.get(REGISTER, {"status": "closed"}).content.decode()
    assert register.n1_arrs.title in closed and register.p1_staffing.title not in closed


def test_governance_register_scope_404s(universe, register, verified_client) -> None:  # type: ignore[no-untyped-def]
    assert verified_client("clinician").get(REGISTER).status_code == 404
    assert verified_client("alliance_analyst").get(REGISTER).status_code == 404
    board = verified_client("board_member")
    assert board.get(REGISTER, {"organisation": universe.south.pk}).status_code == 404
    assert board.get(HEAT_MAP, {"organisation": universe.q1.pk}).status_code == 404
    q1 = reverse("governance:risk", args=[register.q1_hub.pk])
    assert board.get(q1).status_code == 404
    assert verified_client("alliance_admin").get(q1).status_code == 404
    assert verified_client("south_admin").get(q1).status_code == 200
    practice = verified_client("practice_manager")
    assert practice.get(reverse("governance:risk", args=[register.n1_arrs.pk])).status_code == 404
    assert practice.get(REGISTER, {"organisation": universe.n1.pk}).status_code == 404


def test_governance_heat_map_counts_open_risks_at_current_score(  # type: ignore[no-untyped-def]
    universe, register, verified_client
) -> None:
    page = verified_client("board_member").get(HEAT_MAP).content.decode()
    assert "<caption" in page and "Open risks by current consequence" in page
    counts = _cell_counts(page)
    assert len(counts) == 25
    expected = {(4, 4): 1, (3, 2): 1, (3, 3): 1, (4, 3): 1, (2, 1): 1}
    assert {cell: n for cell, n in counts.items() if n} == expected  # Q1's (5, 4) is South's
    assert sum(counts.values()) == 5
    pcn = _cell_counts(verified_client("pcn_manager").get(HEAT_MAP).content.decode())
    assert {cell: n for cell, n in pcn.items() if n} == {(4, 4): 1, (3, 2): 1, (3, 3): 1}


def test_governance_record_review_escalate_and_close_through_the_forms(  # type: ignore[no-untyped-def]
    universe, verified_client
) -> None:
    client = verified_client("practice_manager")
    form = {
        "organisation": universe.p1.pk,
        "title": "Nurse vacancy",
        "category": "workforce",
        "owner": "",
        "consequence": 4,
        "likelihood": 3,
        "target_consequence": 4,
        "target_likelihood": 4,
        "review_date": "2027-01-15",
    }
    refused = client.post(reverse("governance:risk_new"), form)
    assert refused.status_code == 200 and "cannot be above the current score" in (
        refused.content.decode()
    )
    assert not Risk.objects.exists()
    response = client.post(reverse("governance:risk_new"), {**form, "target_likelihood": 1})
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "governance:risk", args=[risk.pk]
    )
    assert risk.current_score == 12 and risk.review_date == dt.date(2027, 1, 15)
    edit = reverse("governance:risk_edit", args=[risk.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {
            "title": "Nurse vacancy",
            "category": "workforce",
            "owner": "",
            "current_consequence": 4,
            "current_likelihood": 2,
            "target_consequence": 4,
            "target_likelihood": 1,
            "review_date": "2027-02-15",
            "controls": "Bank nurse sessions",
        },
    )
    risk.refresh_from_db()
    assert (risk.initial_score, risk.current_score, risk.controls) == (12, 8, "Bank nurse sessions")
    client.post(reverse("governance:risk_escalate", args=[risk.pk]), {"note": "For the board"})
    risk.refresh_from_db()
    assert risk.escalated_to == universe.north
    client.post(reverse("governance:risk_close", args=[risk.pk]), {"note": "Appointed"})
    risk.refresh_from_db()
    assert risk.status == RiskStatus.CLOSED
    detail = client.get(reverse("governance:risk", args=[risk.pk])).content.decode()
    for action in ("Record risk", "Update risk", "Escalate risk", "Close risk"):
        assert action in detail
    assert AuditEvent.objects.filter(object_id=str(risk.pk), action="escalate_risk").count() == 2


def test_governance_viewers_cannot_open_the_forms(universe, register, verified_client) -> None:  # type: ignore[no-untyped-def]
    board = verified_client("board_member")
    assert board.get(reverse("governance:risk_new")).status_code == 404
    pk = register.p1_staffing.pk
    for name in ("risk_edit", "risk_close", "risk_escalate"):
        assert board.get(reverse(f"governance:{name}", args=[pk])).status_code == 404
        assert board.post(reverse(f"governance:{name}", args=[pk]), {}).status_code == 404
    page = board.get(reverse("governance:risk", args=[pk])).content.decode()
    assert "Review or rescore" not in page
    assert Risk.objects.get(pk=pk).status == RiskStatus.OPEN


def test_governance_board_page_links_governance_which_links_the_register(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("board_member")
    page = client.get(reverse("organisations:board")).content.decode()
    assert f'href="{reverse("governance:index")}"' in page
    assert f'href="{REGISTER}"' in client.get(reverse("governance:index")).content.decode()
