"""The bank's pages through Django's test client: requesting cover, claiming (double submits too),
the practice's decisions after the session, the bank's members, API tokens and scope 404s.

The bank conftest freezes "now" at NOW (Monday 23 November 2026, 09:00 UTC).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from openpcn.accounts import actions as accounts
from openpcn.bank import actions
from openpcn.bank.models import (
    ApiToken,
    BankMember,
    Booking,
    BookingStatus,
    ComplianceDocument,
    CoverRequest,
    CoverStatus,
    Timesheet,
)
from openpcn.core.models import AuditEvent
from tests.integration.bank.conftest import NOW
from tests.universe import START

KEY = re.compile(
    r'action="/bank/sessions/(\d+)/claim/">.*?name="idempotency_key" value="(\w+)"', re.S
)


def login(client, world, key):
    user = world.claimers[key][1] if key in world.claimers else world.users[key]
    client.force_login(user)
    return user


def claim_keys(page: str) -> dict[int, str]:
    return {int(pk): key for pk, key in KEY.findall(page)}


# --- requesting cover -------------------------------------------------------------------------


def test_practice_manager_requests_cover_through_the_form(client, bank_world):
    login(client, bank_world, "practice_manager")
    form = client.get(reverse("bank:request_new")).content.decode()
    assert "P1 Surgery" in form and 'type="date"' in form and 'type="time"' in form
    response = client.post(
        reverse("bank:request_new"),
        {
            "practice": bank_world.p1.pk,
            "site": bank_world.surgery.pk,
            "date": "2026-11-26",
            "start": "08:30",
            "end": "12:30",
            "skill": bank_world.gp.pk,
            "rate": "320.00",
            "notes": "Bring your smartcard",
        },
    )
    cover = CoverRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bank:request", args=[cover.pk]
    )
    assert (cover.practice, cover.site, cover.rate) == (
        bank_world.p1,
        bank_world.surgery,
        Decimal("320.00"),
    )
    assert cover.starts_at == dt.datetime(2026, 11, 26, 8, 30, tzinfo=dt.UTC)  # GMT in November
    assert (
        cover.hours == Decimal("4.00") and cover.posted_by == bank_world.users["practice_manager"]
    )
    page = client.get(response["Location"]).content.decode()
    assert "The practice&#39;s own staff" in page or "The practice's own staff" in page
    assert "23 Nov 10:00" in page  # the PCN's staff are offered it an hour after posting
    listing = client.get(reverse("bank:requests")).content.decode()
    assert "Thu 26 Nov 2026, 08:30 to 12:30" in listing and "Open" in listing


def test_request_form_refuses_bad_input_and_changes_nothing(client, bank_world):
    login(client, bank_world, "practice_manager")
    data = {
        "practice": bank_world.p1.pk,
        "site": bank_world.surgery.pk,
        "date": "2026-11-26",
        "start": "12:30",
        "end": "08:30",
        "skill": bank_world.gp.pk,
        "rate": "-5",
    }
    page = client.post(reverse("bank:request_new"), data).content.decode()
    assert "The session must end after it starts" in page
    assert "greater than or equal to 0" in page
    past = {**data, "start": "08:00", "end": "09:00", "rate": "10", "date": "2026-11-20"}
    page = client.post(reverse("bank:request_new"), past).content.decode()
    assert "Cover can only be requested for a session in the future" in page
    assert not CoverRequest.objects.exists()


def test_site_of_another_practice_is_not_offered(client, bank_world):
    from openpcn.organisations import actions as registry

    other = registry.add_site(by=None, organisation=bank_world.p3, name="P3 Surgery", kind="main")
    login(client, bank_world, "practice_manager")
    page = client.get(reverse("bank:request_new")).content.decode()
    assert "P3 Surgery" not in page
    response = client.post(
        reverse("bank:request_new"),
        {
            "practice": bank_world.p1.pk,
            "site": other.pk,
            "date": "2026-11-26",
            "start": "08:30",
            "end": "12:30",
            "skill": bank_world.gp.pk,
            "rate": "300",
        },
    )
    assert response.status_code == 200 and not CoverRequest.objects.exists()


def test_requests_outside_the_users_scope_are_404(client, bank_world, post):
    from openpcn.organisations import actions as registry

    mine = post()
    site = registry.add_site(by=None, organisation=bank_world.p3, name="P3 Surgery", kind="main")
    theirs = actions.post_cover_request(
        by=None,
        practice=bank_world.p3,
        site=site,
        starts_at=mine.starts_at,
        ends_at=mine.ends_at,
        skill=bank_world.gp,
        rate=Decimal("300"),
        now=NOW,
    )
    login(client, bank_world, "practice_manager")
    assert client.get(reverse("bank:request", args=[mine.pk])).status_code == 200
    for name in ("bank:request", "bank:request_cancel", "bank:timesheet_approve", "bank:no_show"):
        method = client.get if name == "bank:request" else client.post
        assert method(reverse(name, args=[theirs.pk])).status_code == 404, name
    listing = client.get(reverse("bank:requests")).content.decode()
    assert "P3 Surgery" not in listing and "P1 Surgery" in listing
    # The PCN manager of N1 covers P1 (not P3); another alliance's admin covers neither.
    login(client, bank_world, "pcn_manager")
    assert client.get(reverse("bank:request", args=[mine.pk])).status_code == 200
    assert client.get(reverse("bank:request", args=[theirs.pk])).status_code == 404
    client.force_login(bank_world.users["south_admin"])
    south = client.get(reverse("bank:request", args=[mine.pk]))
    assert south.status_code in (302, 404)  # an admin is sent to two-factor first
    # A clinician requests no cover and runs no bank.
    login(client, bank_world, "own")
    for name in ("bank:requests", "bank:request_new", "bank:members", "bank:payments"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("bank:request", args=[mine.pk])).status_code == 404
    assert CoverRequest.objects.get(pk=theirs.pk).status == CoverStatus.OPEN


# --- claiming ---------------------------------------------------------------------------------


def test_claim_through_the_page_and_a_double_submit_books_once(client, bank_world, post):
    cover = post()
    login(client, bank_world, "own")
    page = client.get(reverse("bank:available")).content.decode()
    keys = claim_keys(page)
    assert list(keys) == [cover.pk]
    assert (
        client.get(reverse("bank:available"))["Cache-Control"] == "no-store"
        and "P1 Surgery" in page
        and "£320.00" in page
    )
    url = reverse("bank:claim", args=[cover.pk])
    first = client.post(url, {"idempotency_key": keys[cover.pk]})
    booking = Booking.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse(
        "bank:booked", args=[booking.pk]
    )
    confirmation = client.get(first["Location"]).content.decode()
    assert "You are booked" in confirmation and "Tue 24 Nov" not in confirmation
    assert "Thu 26 Nov 2026, 09:00 to 13:00" in confirmation
    # The same form sent again (a double click, a refresh): the same booking, nothing new.
    again = client.post(url, {"idempotency_key": keys[cover.pk]})
    assert again["Location"] == first["Location"]
    assert Booking.objects.count() == 1
    assert AuditEvent.objects.filter(action="claim_cover").count() == 1
    assert "already claimed this session" in client.get(again["Location"]).content.decode()
    # It is no longer on offer, and it is in My bank sessions with a Withdraw button.
    assert claim_keys(client.get(reverse("bank:available")).content.decode()) == {}
    mine = client.get(reverse("bank:mine")).content.decode()
    assert "Thu 26 Nov 2026, 09:00 to 13:00" in mine and "Withdraw" in mine


def test_a_second_claimer_is_told_the_session_is_already_filled(client, bank_world, post):
    cover = post(posted=NOW - dt.timedelta(hours=8))  # every pool is open by now
    login(client, bank_world, "pcn")
    key = claim_keys(client.get(reverse("bank:available")).content.decode())[cover.pk]
    actions.claim_cover(
        by=bank_world.claimers["own"][1], request_id=cover.pk, idempotency_key="own-first-1"
    )
    response = client.post(reverse("bank:claim", args=[cover.pk]), {"idempotency_key": key})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Sorry, this session has already been filled" in page and 'role="alert"' in page
    assert Booking.objects.get().staff == bank_world.claimers["own"][0]


def test_claim_before_the_pool_opens_shows_why(client, bank_world, post):
    cover = post()
    login(client, bank_world, "pcn")
    assert claim_keys(client.get(reverse("bank:available")).content.decode()) == {}
    response = client.post(
        reverse("bank:claim", args=[cover.pk]), {"idempotency_key": "a-made-up-key"}
    )
    assert response.status_code == 409
    assert "offered to colleagues nearer the practice first" in response.content.decode()
    assert not Booking.objects.exists()


def test_claim_needs_a_proper_key_and_a_staff_record(client, bank_world, post):
    cover = post()
    login(client, bank_world, "own")
    response = client.post(reverse("bank:claim", args=[cover.pk]), {"idempotency_key": "x"})
    assert response.status_code == 400 and "8 to 64 characters" in response.content.decode()
    login(client, bank_world, "practice_manager")  # no staff record
    assert client.get(reverse("bank:available")).status_code == 404
    response = client.post(
        reverse("bank:claim", args=[cover.pk]), {"idempotency_key": "pm-key-123"}
    )
    assert response.status_code == 404 and not Booking.objects.exists()


def test_withdraw_from_my_session_offers_it_again(client, bank_world, post):
    cover = post()
    booking = actions.claim_cover(
        by=bank_world.claimers["own"][1], request_id=cover.pk, idempotency_key="own-key-1"
    ).booking
    login(client, bank_world, "pcn")  # not theirs: 404
    assert client.post(reverse("bank:withdraw", args=[booking.pk])).status_code == 404
    assert client.get(reverse("bank:booked", args=[booking.pk])).status_code == 404
    login(client, bank_world, "own")
    response = client.post(reverse("bank:withdraw", args=[booking.pk]))
    assert response["Location"] == reverse("bank:mine")
    booking.refresh_from_db()
    cover.refresh_from_db()
    assert booking.status == BookingStatus.WITHDRAWN and cover.status == CoverStatus.OPEN
    assert "offered to colleagues again" in client.get(reverse("bank:mine")).content.decode()
    # The old Claim button (the same key) does not bring the withdrawn booking back as booked.
    stale = client.post(reverse("bank:claim", args=[cover.pk]), {"idempotency_key": "own-key-1"})
    assert stale.status_code == 409 and "used before" in stale.content.decode()
    assert claim_keys(stale.content.decode()).keys() == {cover.pk}  # offered again, a new key
    cover.refresh_from_db()
    assert cover.status == CoverStatus.OPEN


# --- after the session ------------------------------------------------------------------------


@pytest.fixture
def worked(bank_world, post):
    """A session yesterday 09:00–13:00 at £400, claimed by the practice's own GP."""
    cover = post(days=-1, rate="400.00", posted=NOW - dt.timedelta(days=3))
    booking = actions.claim_cover(
        by=bank_world.claimers["own"][1],
        request_id=cover.pk,
        idempotency_key="own-worked-1",
        now=NOW - dt.timedelta(days=3, hours=-1),
    ).booking
    return cover, booking


def test_practice_approves_the_timesheet_with_adjusted_times(client, bank_world, worked):
    cover, booking = worked
    login(client, bank_world, "practice_manager")
    listing = client.get(reverse("bank:requests")).content.decode()
    to_approve = listing.split("Timesheets to approve")[1].split("</table>")[0]
    assert "Own Doctor" in to_approve
    page = client.get(reverse("bank:request", args=[cover.pk])).content.decode()
    assert 'value="09:00"' in page and 'value="13:00"' in page  # the booked times to start from
    response = client.post(
        reverse("bank:timesheet_approve", args=[cover.pk]), {"started": "09:00", "ended": "12:00"}
    )
    assert response.status_code == 302
    timesheet = Timesheet.objects.get()
    assert timesheet.amount == Decimal("300.00")  # 3 of 4 hours of £400
    assert timesheet.ended_at == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    assert timesheet.decided_by == bank_world.users["practice_manager"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WORKED
    page = client.get(reverse("bank:request", args=[cover.pk])).content.decode()
    assert "£300.00" in page and "Approve the timesheet" not in page
    # Decided once: there is nothing left to approve.
    again = client.post(
        reverse("bank:timesheet_approve", args=[cover.pk]), {"started": "09:00", "ended": "13:00"}
    )
    assert again.status_code == 404 and Timesheet.objects.get().amount == Decimal("300.00")


def test_timesheet_with_impossible_times_is_refused(client, bank_world, worked):
    cover, _ = worked
    login(client, bank_world, "practice_manager")
    response = client.post(
        reverse("bank:timesheet_approve", args=[cover.pk]), {"started": "13:00", "ended": "09:00"}
    )
    assert response.status_code == 400
    assert "must finish after it started" in response.content.decode()
    assert not Timesheet.objects.exists()


def test_practice_records_a_no_show(client, bank_world, worked):
    cover, booking = worked
    login(client, bank_world, "practice_manager")
    client.post(reverse("bank:no_show", args=[cover.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW and not Timesheet.objects.exists()
    page = client.get(reverse("bank:request", args=[cover.pk])).content.decode()
    assert "did not attend" in page


def test_timesheets_are_not_approved_before_the_session(client, bank_world, post):
    cover = post()
    actions.claim_cover(
        by=bank_world.claimers["own"][1], request_id=cover.pk, idempotency_key="own-early-1"
    )
    login(client, bank_world, "practice_manager")
    page = client.get(reverse("bank:request", args=[cover.pk])).content.decode()
    assert "Approve the timesheet" not in page
    response = client.post(
        reverse("bank:timesheet_approve", args=[cover.pk]), {"started": "09:00", "ended": "13:00"}
    )
    assert response.status_code == 400 and not Timesheet.objects.exists()
    assert "after the session has started" in response.content.decode()


def test_cancelling_a_booked_session_late_says_so(client, bank_world, post):
    cover = post(days=1)
    actions.claim_cover(
        by=bank_world.claimers["own"][1], request_id=cover.pk, idempotency_key="own-late-1"
    )
    login(client, bank_world, "practice_manager")
    url = reverse("bank:request_cancel", args=[cover.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(url, {"reason": "Clinic closed for a burst pipe"}, follow=True)
    page = response.content.decode()
    assert "late cancellation" in page and "Cancelled (late)" in page
    cover.refresh_from_db()
    assert cover.status == CoverStatus.CANCELLED and cover.late_cancellation
    assert Booking.objects.get().status == BookingStatus.WITHDRAWN


# --- the bank ---------------------------------------------------------------------------------


@pytest.fixture
def bank_lead(bank_world):
    """A user who runs the North bank: a PCN manager's role held at the alliance itself."""
    user = accounts.create_user(by=None, username="bank_lead", password="a-long-password-2026")
    accounts.grant_membership(
        by=None, user=user, organisation=bank_world.north, role="pcn_manager", start_date=START
    )
    return user


def test_bank_members_show_lapsed_documents_in_words(client, bank_world, bank_lead):
    dbs = ComplianceDocument.objects.get(member=bank_world.locum_member, kind="dbs")
    dbs.expires_on = dt.date(2026, 11, 1)
    dbs.save()
    client.force_login(bank_lead)
    page = client.get(reverse("bank:members")).content.decode()
    assert "Locum Doctor" in page
    assert "Lapsed</strong> expired 01 Nov 2026" in page
    assert "missing or lapsed: DBS check" in page
    assert "1 member is not offered sessions" in page


def test_register_a_member_and_record_a_document(client, bank_world, bank_lead):
    from openpcn.organisations import actions as registry
    from openpcn.workforce import actions as workforce

    person = registry.add_person(
        by=None, organisation=bank_world.north, given_name="Nia", family_name="Locum"
    )
    staff = workforce.add_staff_member(by=None, person=person)
    client.force_login(bank_lead)
    form = client.get(reverse("bank:member_new")).content.decode()
    assert "Nia Locum" in form and "Locum Doctor" not in form  # already in the bank
    response = client.post(
        reverse("bank:member_new"), {"staff": staff.pk, "joined_on": "2026-11-23"}
    )
    member = BankMember.objects.get(staff=staff)
    assert response["Location"] == reverse("bank:document_new", args=[member.pk])
    assert member.alliance == bank_world.north
    response = client.post(
        reverse("bank:document_new", args=[member.pk]),
        {"kind": "dbs", "reference": "001234567890", "expires_on": "2027-11-01"},
    )
    assert response["Location"] == reverse("bank:members")
    document = member.documents.get()
    assert (document.kind, document.checked_by) == ("dbs", bank_lead)
    page = client.get(reverse("bank:members")).content.decode()
    assert "missing or lapsed: Professional registration" in page


def test_pcn_manager_sees_the_bank_but_the_alliance_registers(client, bank_world):
    login(client, bank_world, "pcn_manager")
    page = client.get(reverse("bank:members")).content.decode()
    assert "Locum Doctor" in page and "Register a member" not in page
    assert client.get(reverse("bank:member_new")).status_code == 404
    member = bank_world.locum_member
    assert client.get(reverse("bank:document_new", args=[member.pk])).status_code == 404
    # Another alliance's bank is not found.
    assert client.get(reverse("bank:members")).status_code == 200
    login(client, bank_world, "practice_manager")
    assert client.get(reverse("bank:members")).status_code == 404


# --- API tokens -------------------------------------------------------------------------------


def test_api_token_is_shown_once_and_can_be_revoked(client, bank_world):
    user = login(client, bank_world, "own")
    response = client.post(reverse("bank:tokens"), {"name": "My phone", "days": "30"})
    page = response.content.decode()
    raw = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == actions.hash_token(raw) and token.name == "My phone"
    api = client.get("/api/v1/offers", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200
    listing = client.get(reverse("bank:tokens")).content.decode()
    assert raw not in listing and "My phone" in listing and "Works" in listing
    login(client, bank_world, "pcn")  # someone else's token: not found
    assert client.post(reverse("bank:token_revoke", args=[token.pk])).status_code == 404
    login(client, bank_world, "own")
    client.post(reverse("bank:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/offers", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401


def test_bank_front_page_and_menu_follow_the_role(client, bank_world):
    login(client, bank_world, "own")
    page = client.get(reverse("bank:index")).content.decode()
    assert "Sessions available" in page and "Cover requests and timesheets" not in page
    assert 'href="/bank/"' in page  # the menu's Staff bank link
    login(client, bank_world, "practice_manager")
    page = client.get(reverse("bank:index")).content.decode()
    assert "Cover requests and timesheets" in page and "Sessions available" not in page
    assert "Payments" in page and "Bank members" not in page


def test_request_list_reads_a_fixed_number_of_queries(
    client, bank_world, post, django_assert_max_num_queries
):
    login(client, bank_world, "practice_manager")
    post(days=2)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("bank:requests"))
    for days in range(3, 13):
        cover = post(days=days)
        actions.claim_cover(
            by=bank_world.claimers["own"][1],
            request_id=cover.pk,
            idempotency_key=f"many-{days}-key",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("bank:requests")).content.decode()
    assert page.count("Own Doctor") == 10
