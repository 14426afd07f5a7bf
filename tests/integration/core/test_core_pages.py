"""Pages through Django's test client: sign-in, scope (404s), two-factor, memberships, audit."""

import datetime as dt

import pytest
from django.urls import reverse

from openpcn.accounts.models import Membership
from openpcn.core.models import AuditEvent
from tests.universe import PASSWORD


@pytest.fixture
def signed_in(client, universe):
    def sign_in(role):
        client.force_login(universe.users[role])
        return client

    return sign_in


def _verified_admin(client, universe, role="alliance_admin"):
    from django.test import Client
    from django_otp.oath import totp

    from openpcn.accounts.actions import enrol_totp_device

    client = Client()  # a fresh browser: the test's own client may be signed in as someone else
    user = universe.users[role]
    device = enrol_totp_device(
        by=None, user=user, key_hex="3132333435363738393031323334353637383930"
    )
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    return client


def test_sign_in_with_password_reaches_home(client, universe):
    response = client.post(
        reverse("accounts:login"), {"username": "pcn_manager", "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "PCN manager" in response.content.decode()


def test_sign_in_wrong_password_is_refused(client, universe):
    response = client.post(
        reverse("accounts:login"), {"username": "pcn_manager", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_is_throttled_after_repeated_failures(client, universe, settings):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "clinician", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "clinician", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_without_second_factor_is_sent_to_set_it_up(client, universe):
    client.post(reverse("accounts:login"), {"username": "alliance_admin", "password": PASSWORD})
    response = client.get(reverse("organisations:tree"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))


def test_admin_sets_up_two_factor_with_a_current_code(client, universe):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post(reverse("accounts:login"), {"username": "alliance_admin", "password": PASSWORD})
    page = client.get(reverse("accounts:two_factor_setup"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=universe.users["alliance_admin"])
    ok = client.post(reverse("accounts:two_factor_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get(reverse("organisations:tree")).status_code == 200
    assert AuditEvent.objects.filter(action="enrol_two_factor").exists()


def test_admin_two_factor_setup_refuses_a_wrong_code(client, universe):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post(reverse("accounts:login"), {"username": "alliance_admin", "password": PASSWORD})
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=universe.users["alliance_admin"])
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"token": wrong})
    assert response.status_code == 200 and "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("organisations:tree")).status_code == 302


def test_practice_page_outside_scope_is_404(signed_in, universe):
    client = signed_in("pcn_manager")
    assert client.get(reverse("organisations:detail", args=[universe.p1.pk])).status_code == 200
    assert client.get(reverse("organisations:detail", args=[universe.p3.pk])).status_code == 404
    assert client.get(reverse("organisations:detail", args=[universe.q1.pk])).status_code == 404
    assert client.get(reverse("organisations:detail", args=[999999])).status_code == 404


def test_tree_shows_only_what_the_role_covers(signed_in, universe):
    page = signed_in("practice_manager").get(reverse("organisations:tree")).content.decode()
    assert "P1 Surgery" in page
    assert "P2 Surgery" not in page and "Q1 Surgery" not in page


def test_audit_log_is_for_admins_only(client, signed_in, universe):
    assert signed_in("pcn_manager").get(reverse("core:audit")).status_code == 404
    admin = _verified_admin(client, universe)
    page = admin.get(reverse("core:audit"), {"action": "join_network"}).content.decode()
    assert "join_network" in page
    assert "South Alliance" not in page


def test_memberships_grant_and_end_through_the_page(client, universe):
    admin = _verified_admin(client, universe)
    analyst = universe.users["alliance_analyst"]
    response = admin.post(
        reverse("accounts:memberships"),
        {
            "form": "grant",
            "user": analyst.pk,
            "organisation": universe.n1.pk,
            "role": "pcn_manager",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    granted = Membership.objects.get(user=analyst, role="pcn_manager")
    assert granted.organisation_id == universe.n1.pk
    admin.post(reverse("accounts:end_membership", args=[granted.pk]))
    granted.refresh_from_db()
    assert granted.end_date == dt.date.today()
    assert AuditEvent.objects.filter(action="end_membership", object_id=str(granted.pk)).exists()


def test_memberships_cannot_end_another_alliances_membership(client, universe):
    admin = _verified_admin(client, universe)
    foreign = universe.users["south_admin"].memberships.get()
    assert admin.post(reverse("accounts:end_membership", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.end_date is None


def test_memberships_page_creates_a_user_with_a_strong_password(client, universe):
    admin = _verified_admin(client, universe)
    weak = admin.post(
        reverse("accounts:memberships"),
        {
            "form": "new_user",
            "username": "newbie",
            "first_name": "New",
            "last_name": "User",
            "email": "new@example.org",
            "password": "password",
            "organisation": universe.p1.pk,
            "role": "clinician",
        },
    )
    assert weak.status_code == 200
    assert not Membership.objects.filter(user__username="newbie").exists()
    strong = admin.post(
        reverse("accounts:memberships"),
        {
            "form": "new_user",
            "username": "newbie",
            "first_name": "New",
            "last_name": "User",
            "email": "new@example.org",
            "password": "correct-horse-battery-staple",
            "organisation": universe.p1.pk,
            "role": "clinician",
        },
    )
    assert strong.status_code == 302
    assert Membership.objects.get(user__username="newbie").organisation_id == universe.p1.pk


def test_move_practice_page_records_the_move(client, universe):
    admin = _verified_admin(client, universe)
    response = admin.post(
        reverse("organisations:move", args=[universe.p2.pk]),
        {"network": universe.n2.pk, "start_date": "2026-04-01"},
    )
    assert response.status_code == 302
    page = admin.get(reverse("organisations:detail", args=[universe.p2.pk])).content.decode()
    assert "N2 PCN" in page and "until 2026-04-01" in page


def test_people_and_board_pages_render(signed_in, universe):
    client = signed_in("board_member")
    assert client.get(reverse("organisations:people")).status_code == 200
    assert client.get(reverse("organisations:board")).status_code == 200
    assert signed_in("clinician").get(reverse("organisations:board")).status_code == 404
