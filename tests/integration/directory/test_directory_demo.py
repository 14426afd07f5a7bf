"""The demo's directory: loaded through the real import, searchable near its practice sites."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.demo.directory import OVERDUE_SERVICE, SERVICES, build_directory, feed
from openpcn.demo.registry import build_registry
from openpcn.directory.geo import haversine_m
from openpcn.directory.models import Postcode, Service, ServiceAtLocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    return build_registry(seed=2026)


def test_directory_demo_loads_every_service_near_a_practice(demo) -> None:  # type: ignore[no-untyped-def]
    build_directory(demo)
    assert Service.objects.filter(provider__alliance=demo.alliance).count() == len(SERVICES)
    overdue = [s.name for s in Service.objects.all() if s.review_overdue(dt.date.today())]
    assert overdue == [OVERDUE_SERVICE]
    # Each physical venue is within 2 km of one of the demo's practice sites.
    from openpcn.organisations.models import Site

    sites = list(Site.objects.filter(organisation__in=demo.practices, latitude__isnull=False))
    for link in ServiceAtLocation.objects.filter(location__latitude__isnull=False):
        nearest = min(
            haversine_m(
                float(s.latitude),
                float(s.longitude),
                link.location.latitude,
                link.location.longitude,
            )
            for s in sites
        )
        assert nearest < 2000
    # The practices' own postcodes can be searched from.
    assert Postcode.objects.filter(pk=demo.practices[0].postcode).exists()


def test_directory_demo_feed_is_plain_oruk(demo) -> None:  # type: ignore[no-untyped-def]
    bundle, postcodes = feed(demo)
    assert 30 <= len(bundle["services"]) <= 60
    assert {p[0][:2] for p in postcodes} == {"ZZ"}  # synthetic postcodes only
    needs = [t for t in bundle["taxonomy_terms"] if "parent_id" not in t]
    assert len(needs) >= 8
