"""My rota, calendar feed buttons and swaps (offer, answer, approve) through Django's test client."""

import datetime as dt

import pytest
from django.urls import reverse

from openpcn.accounts import actions as account_actions
from openpcn.core.models import AuditEvent
from openpcn.rostering.models import CalendarFeed, SwapRequest, SwapStatus
from tests.integration.rostering.test_plan_views import planned


@pytest.fixture
def staffed_users(rota_world):
    """The clinician login is Ada; Bea gets a clinician login of her own."""
    ada, bea = rota_world.staff[0], rota_world.staff[1]
    rota_world.users["clinician"].person = ada.person
    rota_world.users["clinician"].save()
    bea_user = account_actions.create_user(
        by=None, username="bea", password="a-long-test-password-2026", person=bea.person
    )
    account_actions.grant_membership(
        by=None,
        user=bea_user,
        organisation=rota_world.p1,
        role="clinician",
        start_date=dt.date(2020, 1, 1),
    )
    rota_world.users["bea"] = bea_user
    return rota_world


def test_my_rota_lists_my_published_sessions_only(client, staffed_users):
    draft = planned(staffed_users)
    client.force_login(staffed_users.users["clinician"])
    page = client.get(reverse("rostering:my_rota")).content.decode()
    assert "You have no sessions on a published rota yet" in page

    plan = planned(staffed_users, publish=True)
    mine = plan.assignments.filter(staff=staffed_users.staff[0])
    assert mine.exists() and draft.status == "planned"
    page = client.get(reverse("rostering:my_rota")).content.decode()
    table = page.split("Your upcoming sessions")[1].split("</table>")[0]
    assert table.count("Offer to a colleague") == mine.count()
    for a in mine:
        assert f"{a.date:%d %B %Y}" in table
    assert "P1 Surgery" in table
    # The navigation offers My rota to a person with a staff record.
    assert 'href="/rotas/mine/"' in page


def test_my_rota_is_404_without_a_staff_record(client, staffed_users):
    client.force_login(staffed_users.users["pcn_manager"])
    assert client.get(reverse("rostering:my_rota")).status_code == 404
    assert client.post(reverse("rostering:feed_create")).status_code == 404


def test_create_show_and_revoke_a_calendar_feed(client, staffed_users):
    client.force_login(staffed_users.users["clinician"])
    client.post(reverse("rostering:feed_create"))
    feed = CalendarFeed.objects.get(staff=staffed_users.staff[0], revoked_at__isnull=True)
    page = client.get(reverse("rostering:my_rota")).content.decode()
    assert f"http://testserver/rotas/feed/{feed.token}.ics" in page
    assert client.get(reverse("rostering:feed", args=[feed.token])).status_code == 200

    # A new address replaces the old one.
    client.post(reverse("rostering:feed_create"))
    newer = CalendarFeed.objects.get(staff=staffed_users.staff[0], revoked_at__isnull=True)
    assert newer.token != feed.token
    assert client.get(reverse("rostering:feed", args=[feed.token])).status_code == 404

    client.post(reverse("rostering:feed_revoke"))
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()
    assert client.get(reverse("rostering:feed", args=[newer.token])).status_code == 404
    assert AuditEvent.objects.filter(action="revoke_calendar_feed").count() == 1


def test_swap_offered_accepted_and_approved(client, staffed_users):
    plan = planned(staffed_users, publish=True)
    ada, bea = staffed_users.staff[0], staffed_users.staff[1]
    bea_busy = set(plan.assignments.filter(staff=bea).values_list("date", "session"))
    offered = next(
        a
        for a in plan.assignments.filter(staff=ada)
        if (a.date, a.session) not in bea_busy and a.date >= dt.date.today()
    )

    client.force_login(staffed_users.users["clinician"])
    form = client.get(reverse("rostering:swap_offer", args=[offered.pk])).content.decode()
    assert "Bea Gp" in form and "Ada Gp" not in form.split("<select")[1].split("</select>")[0]
    client.post(reverse("rostering:swap_offer", args=[offered.pk]), {"colleague": bea.pk})
    swap = SwapRequest.objects.get()
    assert swap.status == SwapStatus.PROPOSED and swap.colleague == bea
    page = client.get(reverse("rostering:my_rota")).content.decode()
    assert "to Bea Gp: <strong>Proposed</strong>" in page

    # Bea cannot answer someone else's swap by guessing ids; she answers her own.
    client.force_login(staffed_users.users["bea"])
    page = client.get(reverse("rostering:my_rota")).content.decode()
    assert "Swaps offered to you" in page and "Ada Gp" in page
    client.post(reverse("rostering:swap_answer", args=[swap.pk]), {"answer": "accept"})
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED

    client.force_login(staffed_users.users["pcn_manager"])
    page = client.get(reverse("rostering:swaps")).content.decode()
    assert "Ada Gp" in page and "Bea Gp" in page
    response = client.post(reverse("rostering:swap_approve", args=[swap.pk]), follow=True)
    assert "Approved: Bea Gp now works AM session at P1 Surgery" in response.content.decode()
    offered.refresh_from_db()
    swap.refresh_from_db()
    assert offered.staff == bea and offered.source == "swap"
    assert swap.status == SwapStatus.APPROVED
    assert AuditEvent.objects.filter(
        action="approve_swap", actor=staffed_users.users["pcn_manager"]
    )


def test_swap_pages_stay_in_scope(client, staffed_users):
    plan = planned(staffed_users, publish=True)
    ada_session = plan.assignments.filter(staff=staffed_users.staff[0]).first()
    # Bea cannot offer Ada's session.
    client.force_login(staffed_users.users["bea"])
    assert client.get(reverse("rostering:swap_offer", args=[ada_session.pk])).status_code == 404
    # Nor answer a swap offered to someone else.
    swap = SwapRequest.objects.create(offered=ada_session, colleague=staffed_users.staff[2])
    response = client.post(reverse("rostering:swap_answer", args=[swap.pk]), {"answer": "accept"})
    assert response.status_code == 404
    # A manager of another PCN does not see or approve it.
    SwapRequest.objects.filter(pk=swap.pk).update(status=SwapStatus.ACCEPTED)
    other = account_actions.create_user(
        by=None, username="n2", password="a-long-test-password-2026"
    )
    account_actions.grant_membership(
        by=None,
        user=other,
        organisation=staffed_users.n2,
        role="pcn_manager",
        start_date=dt.date(2020, 1, 1),
    )
    client.force_login(other)
    listing = client.get(reverse("rostering:swaps"))
    assert listing.status_code == 200 and "Ada Gp" not in listing.content.decode()
    assert client.post(reverse("rostering:swap_approve", args=[swap.pk])).status_code == 404
    client.force_login(staffed_users.users["practice_manager"])
    assert client.get(reverse("rostering:swaps")).status_code == 404
