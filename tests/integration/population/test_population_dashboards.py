"""Dashboards: who sees which organisation, disclosure control, and data-sharing exclusions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpcn.population import dashboards, queries
from openpcn.population.engine.indicators import INDICATORS
from openpcn.population.models import IndicatorFigure

HYP = queries.INDICATOR_BY_ID["HYP_REG"]


def _get(client, user, name, *args):  # type: ignore[no-untyped-def]
    client.force_login(user)
    if user.username.endswith("_admin"):
        # Admin roles must have passed two-factor authentication in this session.
        device = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)[0]
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client.get(reverse(f"population:{name}", args=args))


def test_clinical_director_sees_the_pcn_indicator_with_every_chart(client, universe, north_refresh):  # type: ignore[no-untyped-def]
    response = _get(
        client, universe.users["clinical_director"], "indicator", universe.n1.pk, "HYP_REG"
    )
    assert response.status_code == 200
    html = response.content.decode()
    for key in (
        "funnel-HYP_REG",
        "spc-HYP_REG",
        "deciles-HYP_REG",
        "imd_quintile-HYP_REG",
        "ethnicity6-HYP_REG",
    ):
        assert f'id="spec-{key}"' in html
        assert f'id="table-{key}"' in html
    # P2 has no agreement: it is not named, and the page says a practice is left out.
    assert "P2 Surgery" not in html
    assert "1 practice is left out" in html


def test_pcn_figures_count_only_sharing_practices_and_are_rounded(universe, north_refresh):  # type: ignore[no-untyped-def]
    view = queries.view_for(universe.users["clinical_director"], universe.n1.pk)
    page = dashboards.indicator_page(view, HYP)
    p1 = IndicatorFigure.objects.get(
        refresh=north_refresh,
        organisation=universe.p1,
        indicator="HYP_REG",
        period=north_refresh.as_of,
        breakdown="",
    )
    # N1's figure is P1's alone (P2 is not sharing), shown rounded to 5.
    assert page.headline.denominator == str(5 * round(p1.denominator / 5))
    assert page.headline.controlled
    names = {row[0] for row in page.funnel.rows}
    assert "P1 Surgery" in names and "P2 Surgery" not in names
    # P3 shares with its PCN only: it is not even anonymously on N1's funnel.
    assert len(page.funnel.rows) == 1


def test_practice_staff_see_their_own_figures_as_counted(client, universe, north_refresh):  # type: ignore[no-untyped-def]
    view = queries.view_for(universe.users["practice_manager"], universe.p1.pk)
    page = dashboards.indicator_page(view, HYP)
    p1 = IndicatorFigure.objects.get(
        refresh=north_refresh,
        organisation=universe.p1,
        indicator="HYP_REG",
        period=north_refresh.as_of,
        breakdown="",
    )
    assert page.headline.denominator == str(p1.denominator)
    assert not page.headline.controlled
    # Comparators (PCN, place, alliance) are controlled.
    assert all(row.shown.controlled for row in page.comparison if not row.highlighted)
    response = _get(
        client, universe.users["practice_manager"], "indicator", universe.p1.pk, "HYP_REG"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("user", "org"),
    [
        ("practice_manager", "p3"),
        ("practice_manager", "n1"),
        ("south_admin", "north"),
        ("south_admin", "p1"),
    ],
)
def test_organisations_outside_the_users_scope_are_404(client, universe, north_refresh, user, org):  # type: ignore[no-untyped-def]
    for name, args in (
        ("organisation", (universe.orgs[org].pk,)),
        ("indicator", (universe.orgs[org].pk, "HYP_REG")),
        ("core20plus5", (universe.orgs[org].pk,)),
    ):
        assert _get(client, universe.users[user], name, *args).status_code == 404


def test_overview_and_core20plus5(client, universe, north_refresh):  # type: ignore[no-untyped-def]
    response = _get(client, universe.users["board_member"], "organisation", universe.north.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert all(i.title.replace("<", "&lt;").replace(">", "&gt;") in html for i in INDICATORS)
    response = _get(client, universe.users["board_member"], "core20plus5", universe.north.pk)
    assert response.status_code == 200
    assert re.search(r'id="core20-share">[^<]*<strong>\d+\.\d%</strong>', response.content.decode())
    assert (
        _get(
            client, universe.users["board_member"], "indicator", universe.north.pk, "NOPE"
        ).status_code
        == 404
    )


def test_catalogue_lists_what_the_user_may_open(client, universe, north_refresh):  # type: ignore[no-untyped-def]
    response = _get(client, universe.users["pcn_manager"], "catalogue")
    html = response.content.decode()
    assert "N1 PCN" in html and "N2 PCN" not in html
    assert "HYP_BP_CONTROL" in html


def test_a_practice_that_has_not_agreed_shows_figures_only_to_its_own_staff(
    client, universe, north_refresh
):  # type: ignore[no-untyped-def]
    # P2 has no agreement: the PCN's Clinical Director may open its page but sees no figures.
    response = _get(
        client, universe.users["clinical_director"], "indicator", universe.p2.pk, "HYP_REG"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="not-shared"' in html and 'id="spec-funnel-HYP_REG"' not in html
    # P3 shares with its PCN only: the alliance's board member does not see it on its own...
    response = _get(client, universe.users["board_member"], "indicator", universe.p3.pk, "HYP_REG")
    assert 'id="not-shared"' in response.content.decode()
    # ...while P1 (alliance-wide) is open to the board.
    response = _get(client, universe.users["board_member"], "indicator", universe.p1.pk, "HYP_REG")
    assert 'id="spec-funnel-HYP_REG"' in response.content.decode()


def test_a_warm_dashboard_page_reads_the_users_memberships_once(client, universe, north_refresh):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = universe.users["clinical_director"]
    _get(client, user, "indicator", universe.n1.pk, "HYP_REG")  # fills the dashboard cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("population:indicator", args=(universe.n1.pk, "HYP_REG")))
    assert response.status_code == 200
    membership_reads = [
        q for q in queries.captured_queries if 'FROM "accounts_membership"' in q["sql"]
    ]
    # One for the two-factor check's roles, one for everything scope asks in the request.
    assert len(membership_reads) <= 2, [q["sql"][:120] for q in membership_reads]
