"""The demo's risk register: a spread of bands, one escalation, and logins that see their own."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from openpcn.accounts.models import User
from openpcn.demo.load import load_demo
from openpcn.governance import queries
from openpcn.governance.models import Risk, RiskStatus
from openpcn.organisations.models import Alliance


def test_governance_demo_register(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(seed=2026)
    alliance = Alliance.objects.get(is_synthetic=True)
    open_risks = Risk.objects.filter(status=RiskStatus.OPEN)
    assert open_risks.count() == 8 and Risk.objects.count() == 9
    assert {r.current_band.value for r in open_risks} == {"low", "moderate", "high", "extreme"}
    escalated = Risk.objects.get(escalated_to__isnull=False)
    assert escalated.escalated_to == alliance and escalated.organisation.kind == "practice"
    assert {r.organisation.kind for r in Risk.objects.all()} == {"alliance", "network", "practice"}
    assert sorted(r.reference for r in Risk.objects.all())[0] == "R-0001"
    assert any(r.review_overdue() for r in open_risks)

    board = User.objects.get(username="board")
    cells = queries.heat_map(queries.register(board, status=None))
    assert sum(cell.count for row in cells for cell in row) == 8
    for username in ("pcn.manager", "practice.manager"):
        assert queries.register(User.objects.get(username=username)).exists()
    client = Client()
    client.force_login(User.objects.get(username="practice.manager"))
    page = client.get(reverse("governance:register")).content.decode()
    assert "Premises lease break clause" in page
