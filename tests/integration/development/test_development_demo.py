"""The demo's development programme: the area's places, every PCN assessed, reports per place."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from openpcn.accounts.models import User
from openpcn.demo.development import OTHER_PLACES
from openpcn.demo.load import load_demo
from openpcn.development import queries
from openpcn.development.models import DevelopmentSession, MaturityAssessment, Recommendation
from openpcn.organisations.models import Network, Place, RoleHolding


def test_demo_development_across_places(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(seed=2026)
    places = list(Place.objects.filter(alliance__is_synthetic=True).order_by("name"))
    assert len(places) == 5 and Place.objects.count() == 5
    added = Network.objects.filter(ods_code__startswith="SYNQ")
    assert added.count() == sum(len(pcns) for _place, pcns in OTHER_PLACES)
    assert not any(n.practice_memberships.exists() for n in added)
    assert all(
        RoleHolding.objects.current().filter(organisation=n, title="clinical_director").exists()
        for n in added
    )
    for network in Network.objects.all():
        expected = 1 if network.ods_code.startswith("SYNQ") else 2
        assert MaturityAssessment.objects.filter(network=network).count() == expected
    assert DevelopmentSession.objects.filter(confidential=True).count() == 1
    assert {r.place_id for r in Recommendation.objects.all()} == {p.pk for p in places}
    assert set(Recommendation.objects.values_list("status", flat=True)) == {
        "proposed",
        "agreed",
        "in_progress",
        "done",
        "dropped",
    }

    client = Client()
    client.force_login(User.objects.get(username="board"))
    table = client.get(reverse("development:maturity")).content.decode()
    for network in Network.objects.all():
        assert network.name in table
    for place in places:
        response = client.get(reverse("development:place_report_pdf", args=[place.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    # The admin login is the chief executive, the facilitator: they read the confidential notes.
    session = DevelopmentSession.objects.get(confidential=True)
    assert queries.may_read_notes(User.objects.get(username="admin"), session)
    assert (
        "stand again"
        not in client.get(reverse("development:session", args=[session.pk])).content.decode()
    )
