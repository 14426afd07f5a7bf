"""Business plans: a PCN's plan for a year, objectives with owners and progress, carried over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.governance import plan_actions
from openpcn.governance.models import BusinessPlan, Objective, Progress
from openpcn.organisations import actions as organisations


def _plan(universe, year=2025):  # type: ignore[no-untyped-def]
    return plan_actions.create_business_plan(
        by=universe.users["pcn_manager"], network=universe.n1, year=year, title=f"N1 plan {year}"
    )


def test_objectives_not_achieved_are_carried_into_next_years_plan(universe) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(universe)
    done = plan_actions.add_objective(by=None, plan=plan, title="Online access")
    plan_actions.add_objective(by=None, plan=plan, title="Recruit two pharmacists")
    plan_actions.report_progress(by=None, objective=done, progress=Progress.ACHIEVED)
    following = _plan(universe, 2026)
    assert [o.title for o in following.objectives.all()] == ["Recruit two pharmacists"]
    assert "Carried over from 2025/26" in following.objectives.get().progress_note
    with pytest.raises(ValidationError, match="already has a plan"):
        _plan(universe, 2026)
    assert AuditEvent.objects.filter(action="create_business_plan").count() == 2


def test_only_plan_managers_over_the_pcn_write(universe) -> None:  # type: ignore[no-untyped-def]
    for role in ("practice_manager", "board_member", "clinician", "south_admin"):
        with pytest.raises(PermissionDenied):
            plan_actions.create_business_plan(
                by=universe.users[role], network=universe.n1, year=2025, title="x"
            )
    with pytest.raises(PermissionDenied):  # the PCN manager of N1 does not manage N2
        plan_actions.create_business_plan(
            by=universe.users["pcn_manager"], network=universe.n2, year=2025, title="x"
        )
    assert not BusinessPlan.objects.exists()


def test_owners_hold_a_role_in_the_pcn_and_an_empty_plan_is_not_agreed(universe) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(universe)
    stranger = organisations.add_person(
        by=None, organisation=universe.p3, given_name="S", family_name="Tranger"
    )
    with pytest.raises(ValidationError, match="holds no role"):
        plan_actions.add_objective(by=None, plan=plan, title="x", owner=stranger)
    with pytest.raises(ValidationError, match="objectives before agreeing"):
        plan_actions.agree_business_plan(by=None, plan=plan, on=dt.date(2025, 4, 1))
    assert not Objective.objects.exists()


def test_plan_pages_scope_and_forms(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(universe)
    manager = verified_client("pcn_manager")
    response = manager.post(
        reverse("governance:objective_add", args=[plan.pk]),
        {"title": "Enhanced Access filled every week", "owner": "", "measure": "", "due_date": ""},
    )
    assert response.status_code == 302
    objective = plan.objectives.get()
    manager.post(
        reverse("governance:objective_progress", args=[objective.pk]),
        {"progress": "at_risk", "note": "Two Saturday gaps"},
    )
    objective.refresh_from_db()
    assert objective.progress == "at_risk" and objective.progress_on is not None
    board = verified_client("board_member").get(reverse("governance:plan", args=[plan.pk]))
    page = board.content.decode()
    assert "Enhanced Access filled every week" in page and "Two Saturday gaps" in page
    assert "Add an objective" not in page
    assert (
        verified_client("board_member")
        .post(reverse("governance:objective_add", args=[plan.pk]), {"title": "x"})
        .status_code
        == 404
    )
    assert (
        verified_client("south_admin").get(reverse("governance:plan", args=[plan.pk])).status_code
        == 404
    )
    listing = verified_client("pcn_manager").get(reverse("governance:plans")).content.decode()
    assert "N1 plan 2025" in listing and "Start a plan" in listing
