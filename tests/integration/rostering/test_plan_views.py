"""Rota plan pages through Django's test client: planning, progress, scope 404s, edits, publishing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.organisations.actions import record_population_snapshot
from openpcn.rostering import actions
from openpcn.rostering.models import PlanStatus, RotaAssignment, RotaPlan
from openpcn.rostering.planning import run_plan
from openpcn.workforce.actions import request_absence

# A Monday after today, so "upcoming" pages show the plan whatever day the suite runs.
TODAY = dt.date.today()
WEEK = TODAY + dt.timedelta(days=7 - TODAY.weekday())


def planned(world, *, publish=False):
    plan = actions.create_plan(
        by=None, scope=world.n1, first_day=WEEK, weeks=1, time_limit_seconds=5, enqueue=False
    )
    run_plan(plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    if publish:
        actions.publish_plan(by=None, plan=plan)
        plan.refresh_from_db()
    return plan


@pytest.fixture
def as_user(client, rota_world):
    def sign_in(role):
        client.force_login(rota_world.users[role])
        return client

    return sign_in


def test_pcn_manager_plans_a_rota_and_sees_progress_then_result(as_user, rota_world):
    client = as_user("pcn_manager")
    page = client.get(reverse("rostering:plan_new"))
    assert page.status_code == 200
    assert "N1 PCN" in page.content.decode() and "N2 PCN" not in page.content.decode()
    response = client.post(
        reverse("rostering:plan_new"),
        {
            "scope": rota_world.n1.pk,
            "first_day": WEEK.isoformat(),
            "weeks": "1",
            "time_limit_seconds": "5",
        },
    )
    plan = RotaPlan.objects.get()
    assert response.status_code == 302 and response.url == reverse("rostering:plan", args=[plan.pk])
    assert plan.status == PlanStatus.QUEUED and plan.time_limit_seconds == 5
    assert plan.created_by == rota_world.users["pcn_manager"]

    # While queued, the page polls the progress fragment every 2 seconds and offers Cancel.
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Cancel planning" in page
    fragment = client.get(reverse("rostering:progress", args=[plan.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" in fragment.content.decode() and "HX-Refresh" not in fragment

    run_plan(plan.pk)
    fragment = client.get(reverse("rostering:progress", args=[plan.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    assert "every 2s" not in fragment.content.decode()
    page = client.get(response.url).content.decode()
    assert "every 2s" not in page
    assert "No breaches" in page and "Publish rota" in page and "Re-plan" in page
    # No reason field while the rota has no breaches.
    assert 'name="override_reason"' not in page


def test_plan_form_needs_a_monday(as_user, rota_world):
    response = as_user("pcn_manager").post(
        reverse("rostering:plan_new"),
        {
            "scope": rota_world.n1.pk,
            "first_day": (WEEK + dt.timedelta(days=1)).isoformat(),
            "weeks": "1",
            "time_limit_seconds": "5",
        },
    )
    assert response.status_code == 200
    assert "A rota starts on a Monday" in response.content.decode()
    assert not RotaPlan.objects.exists()


def test_cover_gaps_are_shown_in_words(as_user, rota_world):
    actions.set_demand(
        by=None, site=rota_world.surgery, weekday=0, session="am", skill=rota_world.gp, count=4
    )
    plan = planned(rota_world)
    page = as_user("pcn_manager").get(reverse("rostering:plan", args=[plan.pk])).content.decode()
    assert "Cover gaps" in page
    assert "Monday" in page and "morning at P1 Surgery: 1 GP short" in page


def test_plans_outside_scope_are_404(as_user, rota_world):
    n1_plan = planned(rota_world)
    n2_plan = actions.create_plan(
        by=None, scope=rota_world.n2, first_day=WEEK, weeks=1, enqueue=False
    )
    manager = as_user("pcn_manager")
    assert manager.get(reverse("rostering:plan", args=[n1_plan.pk])).status_code == 200
    for name in ("plan", "grid", "coverage", "export_csv", "export_xlsx", "progress"):
        assert manager.get(reverse(f"rostering:{name}", args=[n2_plan.pk])).status_code == 404
    for name in ("cancel", "replan", "publish", "repair"):
        assert manager.post(reverse(f"rostering:{name}", args=[n2_plan.pk])).status_code == 404
    assert manager.get(reverse("rostering:plan", args=[999999])).status_code == 404


def test_practice_roles_see_no_pcn_rota(as_user, rota_world):
    plan = planned(rota_world)
    client = as_user("practice_manager")
    assert client.get(reverse("rostering:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("rostering:plan_new")).status_code == 404
    assert "N1 PCN" not in client.get(reverse("rostering:plans")).content.decode()


def test_viewer_without_planning_rights_cannot_edit(as_user, rota_world):
    plan = planned(rota_world)
    director = as_user("clinical_director")
    page = director.get(reverse("rostering:plan", args=[plan.pk])).content.decode()
    assert "Publish rota" not in page and "Re-plan" not in page
    grid = director.get(reverse("rostering:grid", args=[plan.pk])).content.decode()
    assert "Add someone" not in grid
    assert any(f"{name} Gp" in grid for name in ("Ada", "Bea", "Cal"))
    assert director.post(reverse("rostering:replan", args=[plan.pk])).status_code == 404
    assert director.post(reverse("rostering:publish", args=[plan.pk])).status_code == 404
    a = plan.assignments.first()
    assert director.post(reverse("rostering:remove", args=[plan.pk, a.pk])).status_code == 404
    assert director.get(reverse("rostering:plan_new")).status_code == 404
    assert RotaAssignment.objects.filter(pk=a.pk).exists()


def test_cancel_a_queued_plan(as_user, rota_world):
    plan = actions.create_plan(by=None, scope=rota_world.n1, first_day=WEEK, weeks=1, enqueue=False)
    response = as_user("pcn_manager").post(reverse("rostering:cancel", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED and plan.cancel_requested


def test_site_week_grid_shows_people_demand_and_shortfall(as_user, rota_world):
    plan = planned(rota_world)
    # Remove Monday's GP: the cell is then one GP short.
    monday = plan.assignments.get(date=WEEK, session="am")
    actions.remove_assignment(by=None, assignment=monday)
    tuesday = plan.assignments.get(date=WEEK + dt.timedelta(days=1), session="am")
    page = (
        as_user("pcn_manager")
        .get(
            reverse("rostering:grid", args=[plan.pk]),
            {"site": rota_world.surgery.pk, "week": WEEK.isoformat()},
        )
        .content.decode()
    )
    assert f"P1 Surgery: week from {WEEK:%A %d %B %Y}" in page
    monday_cell = page.split(f'id="cell-{rota_world.surgery.pk}-{WEEK:%Y%m%d}-am"')[1]
    monday_cell = monday_cell.split("</td>")[0]
    assert "Wanted: 1 GP" in monday_cell and "Short" in monday_cell
    tuesday_cell = page.split(f'id="cell-{rota_world.surgery.pk}-{tuesday.date:%Y%m%d}-am"')[
        1
    ].split("</td>")[0]
    assert tuesday.staff.person.full_name in tuesday_cell and "Covered" in tuesday_cell
    # The person select lists only staff who may work at the site.
    assert f'<option value="{rota_world.staff[0].pk}">Ada Gp (GP)</option>' in page


def test_add_lock_and_remove_in_a_cell_with_htmx_and_live_checks(as_user, rota_world):
    plan = planned(rota_world)
    ada = rota_world.staff[0]
    wednesday = WEEK + dt.timedelta(days=2)
    request_absence(by=None, staff=ada, kind="sickness", first_day=wednesday, last_day=wednesday)
    client = as_user("pcn_manager")
    response = client.post(
        reverse("rostering:assign", args=[plan.pk, rota_world.surgery.pk]),
        {
            "date": wednesday.isoformat(),
            "session": "pm",
            "staff": ada.pk,
            "skill": rota_world.gp.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    cell = response.content.decode()
    assert response.status_code == 200 and cell.lstrip().startswith("<td")
    assert "Ada Gp" in cell and "Locked" in cell
    assert "Ada Gp is on leave" in cell  # the live check, straight away
    added = plan.assignments.get(staff=ada, date=wednesday, session="pm")
    assert added.locked and added.source == "planner"
    assert AuditEvent.objects.filter(action="set_rota_assignment", object_id=str(added.pk)).exists()

    response = client.post(
        reverse("rostering:lock", args=[plan.pk, added.pk]), {"locked": "0"}, HTTP_HX_REQUEST="true"
    )
    added.refresh_from_db()
    assert not added.locked and ">Lock<" in response.content.decode()

    response = client.post(
        reverse("rostering:remove", args=[plan.pk, added.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert not plan.assignments.filter(pk=added.pk).exists()
    assert "Ada Gp" not in response.content.decode().split("Add someone")[0]


def test_add_without_javascript_redirects_to_the_grid_with_messages(as_user, rota_world):
    plan = planned(rota_world)
    response = as_user("pcn_manager").post(
        reverse("rostering:assign", args=[plan.pk, rota_world.surgery.pk]),
        {
            "date": WEEK.isoformat(),
            "session": "evening",
            "staff": rota_world.staff[2].pk,
            "skill": rota_world.gp.pk,
        },
        follow=True,
    )
    assert response.redirect_chain[0][0].startswith(reverse("rostering:grid", args=[plan.pk]))
    assert "Cal Gp is now rostered" in response.content.decode()


def test_staff_not_set_up_for_the_site_cannot_be_picked(as_user, rota_world):
    from openpcn.organisations.actions import add_site
    from openpcn.workforce.actions import set_sites

    plan = planned(rota_world)
    set_sites(by=None, staff=rota_world.staff[1], sites=[rota_world.hub])
    response = as_user("pcn_manager").post(
        reverse("rostering:assign", args=[plan.pk, rota_world.surgery.pk]),
        {
            "date": WEEK.isoformat(),
            "session": "pm",
            "staff": rota_world.staff[1].pk,
            "skill": rota_world.gp.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Choose a person and a skill" in response.content.decode()
    assert not plan.assignments.filter(staff=rota_world.staff[1], session="pm").exists()
    other = add_site(by=None, organisation=rota_world.p3, name="P3 Surgery", kind="main")
    assert (
        as_user("pcn_manager")
        .post(reverse("rostering:assign", args=[plan.pk, other.pk]), {})
        .status_code
        == 404
    )


def test_published_rota_cannot_be_edited_in_the_grid(as_user, rota_world):
    plan = planned(rota_world, publish=True)
    client = as_user("pcn_manager")
    grid = client.get(reverse("rostering:grid", args=[plan.pk])).content.decode()
    assert "Add someone" not in grid and "cannot be edited" in grid
    a = plan.assignments.first()
    response = client.post(
        reverse("rostering:remove", args=[plan.pk, a.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Only a planned rota that is not published can be edited" in response.content.decode()
    assert RotaAssignment.objects.filter(pk=a.pk).exists()


def test_breach_blocks_publishing_until_a_reason_is_given_and_audited(as_user, rota_world):
    plan = planned(rota_world)
    ada = rota_world.staff[0]
    thursday = WEEK + dt.timedelta(days=3)
    request_absence(by=None, staff=ada, kind="sickness", first_day=thursday, last_day=thursday)
    actions.set_assignment(
        by=None,
        plan=plan,
        staff=ada,
        site=rota_world.surgery,
        date=thursday,
        session="pm",
        skill=rota_world.gp,
    )
    client = as_user("pcn_manager")
    page = client.get(reverse("rostering:plan", args=[plan.pk])).content.decode()
    assert "Ada Gp is on leave" in page
    assert 'name="override_reason"' in page  # the reason field appears only with breaches

    refused = client.post(reverse("rostering:publish", args=[plan.pk]), {"override_reason": ""})
    assert refused.status_code == 400
    assert "give a reason to publish anyway" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED

    done = client.post(
        reverse("rostering:publish", args=[plan.pk]),
        {"override_reason": "Ada swapped her leave day"},
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.override_reason == "Ada swapped her leave day"
    assert plan.published_by == rota_world.users["pcn_manager"]
    event = AuditEvent.objects.get(action="publish_rota", object_id=str(plan.pk))
    assert event.actor == rota_world.users["pcn_manager"]
    assert event.after["override_reason"] == "Ada swapped her leave day"
    assert any("Ada Gp is on leave" in text for text in event.after["breaches"])
    page = client.get(reverse("rostering:plan", args=[plan.pk])).content.decode()
    assert "Ada swapped her leave day" in page and "Repair rota" in page


def test_replan_and_repair(as_user, rota_world):
    plan = planned(rota_world)
    client = as_user("pcn_manager")
    assert client.post(reverse("rostering:replan", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.QUEUED
    run_plan(plan.pk)
    plan.refresh_from_db()
    actions.publish_plan(by=None, plan=plan)
    response = client.post(reverse("rostering:repair", args=[plan.pk]))
    repair = RotaPlan.objects.get(repaired_from=plan)
    assert response.url == reverse("rostering:plan", args=[repair.pk])
    assert repair.status == PlanStatus.QUEUED
    # Re-planning a published rota is refused, with the action's reason.
    refused = client.post(reverse("rostering:replan", args=[plan.pk]), follow=True)
    assert "Only a planned, failed or cancelled rota" in refused.content.decode()


def test_coverage_heat_map_labels_each_cell_in_words(as_user, rota_world):
    plan = planned(rota_world)
    actions.remove_assignment(by=None, assignment=plan.assignments.get(date=WEEK, session="am"))
    page = as_user("pcn_manager").get(reverse("rostering:coverage", args=[plan.pk])).content
    page = page.decode()
    row = page.split(">P1 Surgery</a>")[1].split("</tr>")[0]
    assert "0 of 1" in row and "Short (0%)" in row and "openpcn-heat--low" in row
    assert row.count("1 of 1") == 4 and row.count("Covered (100%)") == 4
    assert "None wanted" in row  # Saturday
    assert "4 of 5" in row


def test_enhanced_access_compliance_matches_a_hand_calculation(as_user, rota_world):
    for practice, adjusted in ((rota_world.p1, "30000"), (rota_world.p2, "20000")):
        record_population_snapshot(
            by=None,
            practice=practice,
            date=dt.date(2026, 6, 1),
            registered=int(adjusted),
            adjusted=Decimal(adjusted),
        )
    page = (
        as_user("pcn_manager")
        .get(reverse("rostering:enhanced_access"), {"from": WEEK.isoformat(), "weeks": "2"})
        .content.decode()
    )
    table = page.split("N1 PCN</caption>")[1].split("</table>")[0]
    # 50,000 adjusted population needs 60 minutes per 1,000: 3,000 minutes a week.
    assert table.count(">3,000<") == 4  # required and shortfall, two weeks
    assert "Not met" in table and "N2 PCN" not in page
    assert as_user("practice_manager").get(reverse("rostering:enhanced_access")).status_code == 404


def test_progress_moves_with_the_time_spent_while_the_solver_searches(as_user, rota_world):
    from django.utils import timezone

    from openpcn.rostering.queries import progress_shown

    plan = actions.create_plan(
        by=None, scope=rota_world.n1, first_day=WEEK, weeks=1, time_limit_seconds=10, enqueue=False
    )
    now = timezone.now()
    RotaPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.SOLVING,
        progress=15,
        progress_message="Planning 3 staff over 7 days",
        heartbeat_at=now - dt.timedelta(seconds=5),
    )
    plan.refresh_from_db()
    assert progress_shown(plan, now) == (52, "Planning 3 staff over 7 days: about 5 s left")
    assert progress_shown(plan, now + dt.timedelta(seconds=60))[0] == 90
    fragment = as_user("pcn_manager").get(reverse("rostering:progress", args=[plan.pk]))
    assert "Planning 3 staff over 7 days: about" in fragment.content.decode()
    assert 'hx-trigger="every 2s"' in fragment.content.decode()


def test_pcn_overview_shows_the_published_rota_else_the_draft(as_user, rota_world):
    client = as_user("pcn_manager")
    url = reverse("rostering:pcn_overview", args=[rota_world.n1.pk])
    assert "There is no rota for N1 PCN" in client.get(url, {"week": WEEK}).content.decode()
    draft = planned(rota_world)
    page = client.get(url, {"week": WEEK.isoformat()}).content.decode()
    assert "latest draft" in page and reverse("rostering:plan", args=[draft.pk]) in page
    published = planned(rota_world, publish=True)
    page = client.get(url, {"week": (WEEK + dt.timedelta(days=2)).isoformat()}).content.decode()
    assert "From the rota published" in page
    assert reverse("rostering:plan", args=[published.pk]) in page
    row = page.split(">P1 Surgery</a>")[1].split("</tr>")[0]
    assert row.count("Covered (100%)") == 5
    assert client.get(reverse("rostering:pcn_overview", args=[rota_world.n2.pk])).status_code == 404
    assert client.get(reverse("rostering:pcn_overview", args=[rota_world.p1.pk])).status_code == 404
    listing = client.get(reverse("rostering:plans")).content.decode()
    assert url in listing
