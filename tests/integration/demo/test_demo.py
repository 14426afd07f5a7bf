from django.db.models import Sum

from openpcn.demo.load import load_demo
from openpcn.demo.registry import SNAPSHOT_DATE
from openpcn.organisations.models import (
    BoardSeat,
    Network,
    NetworkMembership,
    PopulationSnapshot,
    Practice,
    RoleHolding,
    RoleTitle,
    Site,
)


def test_demo_builds_the_alliance_the_product_describes(db):
    result = load_demo(seed=2026)
    assert result.created
    # 9 PCNs of practices in the alliance's own place; 10 more in the area's other places, recorded
    # (without practices) so the PCN development programme can compare places
    members = Network.objects.filter(practice_memberships__isnull=False).distinct()
    assert members.count() == 9 and Network.objects.count() == 19
    assert Practice.objects.count() == 47
    assert NetworkMembership.objects.current().count() == 47
    latest = PopulationSnapshot.objects.filter(date=SNAPSHOT_DATE)
    sizes = list(latest.values_list("registered", flat=True))
    assert len(sizes) == 47 and sum(sizes) == 390_000
    assert min(sizes) >= 2_000 and max(sizes) <= 25_000
    assert latest.aggregate(a=Sum("adjusted"))["a"] == pytest_approx(390_000, 1)
    assert 55 <= Site.objects.count() <= 65
    assert Site.objects.filter(kind="hub", offers_enhanced_access=True).count() == 2
    directors = RoleHolding.objects.current().filter(
        title=RoleTitle.CLINICAL_DIRECTOR, organisation__in=members
    )
    assert directors.count() == 9
    assert RoleHolding.objects.current().filter(title=RoleTitle.CLINICAL_DIRECTOR).count() == 19
    board = BoardSeat.objects.current()
    assert set(directors.values_list("person", flat=True)) <= set(
        board.values_list("person", flat=True)
    )
    clinical = RoleHolding.objects.current().exclude(
        title__in=[
            RoleTitle.PRACTICE_MANAGER,
            RoleTitle.PCN_MANAGER,
            RoleTitle.CLINICAL_DIRECTOR,
            RoleTitle.CHIEF_EXECUTIVE,
            RoleTitle.FINANCE_LEAD,
            RoleTitle.ANALYST,
        ]
    )
    assert 300 <= clinical.count() <= 420
    assert RoleHolding.objects.current().filter(title=RoleTitle.PRACTICE_MANAGER).count() == 47
    assert {login.role for login in result.logins} == {
        "alliance_admin",
        "alliance_analyst",
        "board_member",
        "pcn_manager",
        "clinical_director",
        "practice_manager",
        "finance_officer",
        "clinician",
    }
    assert all(p.is_synthetic and p.ods_code.startswith("SYN") for p in Practice.objects.all())


def test_demo_loads_once_and_is_deterministic(db):
    load_demo(seed=2026)
    first = dict(
        PopulationSnapshot.objects.filter(date=SNAPSHOT_DATE).values_list(
            "practice__ods_code", "registered"
        )
    )
    again = load_demo(seed=2026)
    assert not again.created
    assert Practice.objects.count() == 47
    assert len(again.logins) == 8
    import random

    from openpcn.demo.registry import TOTAL_PATIENTS, list_sizes

    expected = list_sizes(random.Random(2026), 47, TOTAL_PATIENTS)
    assert sorted(first.values()) == sorted(expected)


def pytest_approx(value, tolerance):
    import pytest

    return pytest.approx(value, abs=tolerance)
