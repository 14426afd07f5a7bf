import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from openpcn.bank import actions, pools
from openpcn.bank.models import Booking, BookingStatus, CoverStatus
from openpcn.core.models import AuditEvent
from openpcn.rostering.models import PlanStatus, RotaAssignment, RotaPlan
from tests.integration.bank.conftest import NOW


def claim(world, key, request, at=NOW, idem=None):
    _, user = world.claimers[key]
    return actions.claim_cover(
        by=user, request_id=request.pk, idempotency_key=idem or f"claim-{key}-{request.pk}", now=at
    )


def test_pools_widen_with_time(bank_world, post):
    request = post()
    assert [
        pools.pool_of(bank_world.claimers[k][0], request)
        for k in ("own", "pcn", "alliance", "locum")
    ] == [0, 1, 2, 3]
    assert pools.current_pool(request, NOW) == 0
    assert pools.current_pool(request, NOW + dt.timedelta(minutes=61)) == 1
    assert pools.current_pool(request, NOW + dt.timedelta(minutes=181)) == 2
    assert pools.current_pool(request, NOW + dt.timedelta(minutes=421)) == 3


def test_claim_before_your_pool_opens_is_refused(bank_world, post):
    request = post()
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "pcn", request)
    assert refused.value.code == "not_yet"
    result = claim(bank_world, "pcn", request, at=NOW + dt.timedelta(minutes=90))
    assert result.booking.pool == 1
    request.refresh_from_db()
    assert request.status == CoverStatus.FILLED


def test_first_claim_wins_and_the_next_is_told_already_filled(bank_world, post):
    request = post()
    later = NOW + dt.timedelta(hours=8)
    claim(bank_world, "own", request, at=later)
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "locum", request, at=later)
    assert refused.value.code == actions.ALREADY_FILLED
    assert "already been filled" in refused.value.message
    assert Booking.objects.filter(cover_request=request).count() == 1


def test_retried_claim_returns_the_same_booking(bank_world, post):
    request = post()
    first = claim(bank_world, "own", request, idem="retry-key-1")
    again = claim(bank_world, "own", request, idem="retry-key-1")
    assert not first.repeated and again.repeated
    assert again.booking == first.booking
    assert Booking.objects.count() == 1
    assert AuditEvent.objects.filter(action="claim_cover").count() == 1


def test_lapsed_compliance_blocks_bank_offers(bank_world, post):
    request = post(days=300)  # after the documents expire on 2027-06-30
    locum, _ = bank_world.claimers["locum"]
    assert pools.pool_of(locum, request) is None
    assert "DBS check" in pools.lapsed_documents(bank_world.locum_member, request.starts_at.date())
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "locum", request, at=NOW + dt.timedelta(hours=10))
    assert refused.value.code == "not_eligible"


def test_claim_refused_when_it_overlaps_the_published_rota(bank_world, post):
    request = post(days=3)
    staff, _ = bank_world.claimers["own"]
    plan = RotaPlan.objects.create(
        scope=bank_world.n1, first_day=dt.date(2026, 11, 23), weeks=1, status=PlanStatus.PUBLISHED
    )
    RotaAssignment.objects.create(
        plan=plan, staff=staff, site=bank_world.surgery, date=request.starts_at.date(), session="am"
    )
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "own", request)
    assert refused.value.code == "double_booked"


def test_claim_refused_when_it_overlaps_another_booking(bank_world, post):
    first = post(days=3, hour=9)
    second = post(days=3, hour=11)
    claim(bank_world, "own", first)
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "own", second)
    assert refused.value.code == "double_booked"


def test_claim_refused_without_eleven_hours_rest(bank_world, post):
    late = post(days=3, hour=20, hours=3)  # ends 23:00
    early = post(days=4, hour=7, hours=4)  # starts 07:00 the next day: 8 hours' rest
    claim(bank_world, "own", late)
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "own", early)
    assert refused.value.code == "rest"


def test_withdrawal_reopens_the_request(bank_world, post):
    request = post()
    result = claim(bank_world, "own", request)
    _, user = bank_world.claimers["own"]
    actions.withdraw_booking(by=user, booking=result.booking, now=NOW)
    request.refresh_from_db()
    assert request.status == CoverStatus.OPEN
    assert Booking.objects.get().status == BookingStatus.WITHDRAWN
    claim(bank_world, "own", request, idem="second-try")
    request.refresh_from_db()
    assert request.status == CoverStatus.FILLED


def test_late_cancellation_is_recorded(bank_world, post):
    request = post(days=1)
    claim(bank_world, "own", request)
    cancelled = actions.cancel_cover_request(
        by=None, request=request, reason="Clinic closed", now=NOW
    )
    assert cancelled.status == CoverStatus.CANCELLED and cancelled.late_cancellation
    assert Booking.objects.get().status == BookingStatus.WITHDRAWN


def test_timesheet_amount_is_pro_rata_and_audited(bank_world, post):
    request = post(days=1, rate="400.00")
    booking = claim(bank_world, "own", request).booking
    after = request.ends_at + dt.timedelta(hours=1)
    timesheet = actions.approve_timesheet(
        by=bank_world.users["practice_manager"],
        booking=booking,
        started_at=request.starts_at,
        ended_at=request.ends_at - dt.timedelta(hours=1),
        now=after,
    )
    assert str(timesheet.amount) == "300.00"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WORKED
    assert AuditEvent.objects.filter(action="approve_timesheet").exists()


def test_timesheet_needs_the_practice(bank_world, post):
    request = post(days=1)
    booking = claim(bank_world, "own", request).booking
    with pytest.raises(PermissionDenied):
        actions.approve_timesheet(
            by=bank_world.users["pcn_manager"].__class__.objects.get(username="south_admin"),
            booking=booking,
            now=request.ends_at,
        )


def test_offers_are_emailed_to_the_first_pool(
    bank_world, post, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        request = post(days=3)
    assert [m.to for m in mailoutbox] == [["own@example.org"]]
    assert actions.offer_to_pool(request.pk, 3) == 1  # the bank, when its turn comes
    claim(bank_world, "own", request)
    assert actions.offer_to_pool(request.pk, 1) == 0  # filled: nobody else is told


def test_started_session_cannot_be_cancelled(bank_world, post):
    from django.core.exceptions import ValidationError

    request = post(days=1)
    with pytest.raises(ValidationError, match="started"):
        actions.cancel_cover_request(
            by=None,
            request=request,
            reason="Too late",
            now=request.starts_at + dt.timedelta(minutes=5),
        )


def test_timesheet_is_approved_once(bank_world, post):
    from django.core.exceptions import ValidationError

    request = post(days=1)
    booking = claim(bank_world, "own", request).booking
    manager = bank_world.users["practice_manager"]
    actions.approve_timesheet(by=manager, booking=booking, now=request.ends_at)
    booking.refresh_from_db()
    with pytest.raises(ValidationError, match="not yet approved"):
        actions.approve_timesheet(by=manager, booking=booking, now=request.ends_at)


def test_claim_on_a_cancelled_request_is_closed_not_filled(bank_world, post):
    request = post(days=3)
    actions.cancel_cover_request(by=None, request=request, reason="Clinic closed", now=NOW)
    with pytest.raises(actions.ClaimRefused) as refused:
        claim(bank_world, "own", request)
    assert refused.value.code == "closed"
