import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from openpcn.core.models import AuditEvent
from openpcn.organisations.actions import record_population_snapshot
from openpcn.rostering import actions, checks, enhanced_access
from openpcn.rostering.models import PlanStatus, RotaAssignment, RotaPlan, SessionDemand
from openpcn.rostering.planning import run_plan
from openpcn.workforce.actions import request_absence
from tests.integration.rostering.conftest import MONDAY


def _planned(world, weeks=1, by=None):
    plan = actions.create_plan(
        by=by, scope=world.n1, first_day=MONDAY, weeks=weeks, time_limit_seconds=5, enqueue=False
    )
    run_plan(plan.pk)
    plan.refresh_from_db()
    return plan


def test_enhanced_access_hand_calculation():
    assert enhanced_access.required_minutes(Decimal("50000")) == 3000
    assert enhanced_access.required_minutes(Decimal("45123.5")) == 2708  # rounded up


def test_enhanced_access_requirement_from_population_snapshots(rota_world):
    for practice, adjusted in ((rota_world.p1, "30000"), (rota_world.p2, "20000")):
        record_population_snapshot(
            by=None,
            practice=practice,
            date=dt.date(2026, 1, 1),
            registered=int(adjusted),
            adjusted=Decimal(adjusted),
        )
    assert enhanced_access.adjusted_population(rota_world.n1, MONDAY) == Decimal("50000")
    weeks = enhanced_access.compliance(rota_world.n1, MONDAY, 2)
    assert [w.required for w in weeks] == [3000, 3000]
    assert all(w.planned == 0 and w.shortfall == 3000 for w in weeks)


def test_enhanced_access_demand_covers_the_requirement(rota_world):
    record_population_snapshot(
        by=None,
        practice=rota_world.p1,
        date=dt.date(2026, 1, 1),
        registered=50000,
        adjusted=Decimal("50000"),
    )
    minutes = actions.generate_enhanced_access_demand(
        by=None, network=rota_world.n1, on=MONDAY, skills=[rota_world.gp]
    )
    assert minutes >= 3000
    rows = SessionDemand.objects.filter(network=rota_world.n1, site=rota_world.hub)
    assert {r.weekday for r in rows} == {0, 1, 2, 3, 4, 5}


def test_planning_covers_demand_and_explains_gaps(rota_world):
    plan = _planned(rota_world)
    assert plan.status == PlanStatus.PLANNED
    mornings = plan.assignments.filter(session="am", site=rota_world.surgery)
    assert sorted({a.date.weekday() for a in mornings}) == [0, 1, 2, 3, 4]
    assert all(a.skill == rota_world.gp for a in mornings)
    assert checks.breaches(plan) == []
    # 12.5 hours a week is 3 sessions each: 9 sessions for 5 mornings needs no more than 5.
    assert mornings.count() == 5
    assert not plan.penalties.filter(rule="cover").exists()


def test_planning_reports_a_shortage_in_words(rota_world):
    gp = rota_world.gp
    actions.set_demand(by=None, site=rota_world.surgery, weekday=0, session="am", skill=gp, count=5)
    plan = _planned(rota_world)
    texts = list(plan.penalties.values_list("text", flat=True))
    assert any("Monday" in t and "P1 Surgery" in t and "2 GPs short" in t for t in texts), texts


def test_planning_respects_approved_leave(rota_world):
    ada = rota_world.staff[0]
    request_absence(
        by=None,
        staff=ada,
        kind="sickness",
        first_day=MONDAY,
        last_day=MONDAY + dt.timedelta(days=4),
    )
    plan = _planned(rota_world)
    assert not plan.assignments.filter(staff=ada).exists()


def test_edit_creates_breach_that_blocks_publishing_without_override(rota_world):
    manager = rota_world.users["pcn_manager"]
    plan = _planned(rota_world, by=manager)
    ada = rota_world.staff[0]
    request_absence(
        by=None,
        staff=ada,
        kind="sickness",
        first_day=MONDAY + dt.timedelta(days=2),
        last_day=MONDAY + dt.timedelta(days=2),
    )
    _, found = actions.set_assignment(
        by=manager,
        plan=plan,
        staff=ada,
        site=rota_world.surgery,
        date=MONDAY + dt.timedelta(days=2),
        session="am",
        skill=rota_world.gp,
    )
    assert [b.rule for b in found] == ["absence"]
    with pytest.raises(ValidationError, match="breaches"):
        actions.publish_plan(by=manager, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    actions.publish_plan(by=manager, plan=plan, override_reason="Ada agreed to cover")
    event = AuditEvent.objects.get(action="publish_rota", object_id=str(plan.pk))
    assert event.after["override_reason"] == "Ada agreed to cover"
    assert "Ada Gp is on leave" in event.after["breaches"][0]


def test_skill_mismatch_is_a_breach(rota_world):
    from openpcn.workforce.models import Skill

    plan = _planned(rota_world)
    nurse = Skill.objects.get(code="nurse")
    _, found = actions.set_assignment(
        by=None,
        plan=plan,
        staff=rota_world.staff[1],
        site=rota_world.surgery,
        date=MONDAY + dt.timedelta(days=1),
        session="pm",
        skill=nurse,
    )
    assert any(b.rule == "skill" and "lacks Practice nurse" in b.text for b in found)


def test_publish_notifies_staff_and_supersedes(
    rota_world, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    first = _planned(rota_world)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_plan(by=None, plan=first)
    assert {m.to[0] for m in mail.outbox} <= {
        "ada@example.org",
        "bea@example.org",
        "cal@example.org",
    }
    assert mail.outbox and "Your rota" in mail.outbox[0].subject
    second = _planned(rota_world)
    actions.publish_plan(by=None, plan=second)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED


def test_repair_after_sickness_changes_only_what_it_must(rota_world):
    plan = _planned(rota_world)
    actions.publish_plan(by=None, plan=plan)
    monday = plan.assignments.get(date=MONDAY, session="am")
    request_absence(by=None, staff=monday.staff, kind="sickness", first_day=MONDAY, last_day=MONDAY)
    repair = actions.repair_published(by=None, plan=plan, time_limit_seconds=5)
    run_plan(repair.pk)
    repair.refresh_from_db()
    assert repair.status == PlanStatus.PLANNED
    before = set(plan.assignments.values_list("staff_id", "date", "session"))
    after = set(repair.assignments.values_list("staff_id", "date", "session"))
    assert (monday.staff_id, MONDAY, "am") not in after
    assert len(before - after) == 1 and len(after - before) == 1


def test_planning_needs_permission_and_a_monday(rota_world):
    with pytest.raises(PermissionDenied):
        actions.create_plan(
            by=rota_world.users["practice_manager"], scope=rota_world.n1, first_day=MONDAY, weeks=1
        )
    with pytest.raises(ValidationError, match="Monday"):
        actions.create_plan(
            by=None, scope=rota_world.n1, first_day=MONDAY + dt.timedelta(days=1), weeks=1
        )
    with pytest.raises(ValidationError, match="1 to 8"):
        actions.create_plan(by=None, scope=rota_world.n1, first_day=MONDAY, weeks=9)


# The worker takes an exclusive transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_plan_runs_on_the_database_queue_worker(rota_world):
    plan = actions.create_plan(
        by=None, scope=rota_world.n1, first_day=MONDAY, weeks=1, time_limit_seconds=3
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.QUEUED and plan.task_id
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    assert RotaAssignment.objects.filter(plan=plan).count() == 5


# The worker takes an exclusive transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_cancelled_queued_plan_is_not_planned(rota_world):
    plan = actions.create_plan(
        by=None, scope=rota_world.n1, first_day=MONDAY, weeks=1, time_limit_seconds=3
    )
    actions.cancel_plan(by=None, plan=plan)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED and not plan.assignments.exists()


# The worker takes an exclusive transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_worker_that_died_does_not_lose_the_plan(rota_world):
    plan = actions.create_plan(
        by=None, scope=rota_world.n1, first_day=MONDAY, weeks=1, time_limit_seconds=3, enqueue=False
    )
    # A worker took the plan and died mid-solve: still "planning", heartbeat long ago.
    RotaPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.SOLVING, heartbeat_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert actions.requeue_stale_plans() == [plan]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED


def test_alliance_rota_supersedes_the_pcn_rota_for_the_same_days(rota_world):
    pcn_plan = _planned(rota_world)
    actions.publish_plan(by=None, plan=pcn_plan)
    alliance_plan = actions.create_plan(
        by=None,
        scope=rota_world.north,
        first_day=MONDAY,
        weeks=1,
        time_limit_seconds=5,
        enqueue=False,
    )
    run_plan(alliance_plan.pk)
    alliance_plan.refresh_from_db()
    actions.publish_plan(by=None, plan=alliance_plan)
    pcn_plan.refresh_from_db()
    assert pcn_plan.status == PlanStatus.SUPERSEDED
