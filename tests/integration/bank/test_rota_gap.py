"""A gap in a published rota becomes a cover request from the site week grid."""

import datetime as dt

from django.urls import reverse

from openpcn.bank.models import CoverRequest
from openpcn.rostering import actions as rota
from openpcn.rostering.models import PlanStatus, RotaPlan
from openpcn.workforce.models import Skill


def _published_plan(universe, site):
    gp = Skill.objects.get(code="gp")
    rota.set_demand(by=None, site=site, weekday=2, session="am", skill=gp, count=1)
    return RotaPlan.objects.create(
        scope=universe.n1, first_day=dt.date(2030, 3, 4), weeks=1, status=PlanStatus.PUBLISHED
    ), gp


def test_grid_offers_a_gap_to_the_bank(client, bank_world):
    plan, gp = _published_plan(bank_world, bank_world.surgery)
    client.force_login(bank_world.users["pcn_manager"])
    grid = client.get(
        reverse("rostering:grid", args=[plan.pk]),
        {"site": bank_world.surgery.pk, "week": "2030-03-04"},
    ).content.decode()
    assert "Ask the bank" in grid
    response = client.post(
        reverse("bank:cover_gap", args=[plan.pk, bank_world.surgery.pk]),
        {"date": "2030-03-06", "session": "am", "skill": gp.pk, "rate": "320.00"},
    )
    cover = CoverRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("bank:request", args=[cover.pk])
    assert cover.from_rota_plan == plan and cover.skill == gp
    assert cover.starts_at.hour == 8  # 08:00 in London is 08:00 UTC in March (GMT)
    assert cover.practice == bank_world.p1


def test_gap_outside_scope_is_not_found(client, bank_world):
    plan, gp = _published_plan(bank_world, bank_world.surgery)
    # The practice manager's roles cover P1, not the PCN whose rota this is.
    client.force_login(bank_world.users["practice_manager"])
    response = client.post(
        reverse("bank:cover_gap", args=[plan.pk, bank_world.surgery.pk]),
        {"date": "2030-03-06", "session": "am", "skill": gp.pk, "rate": "320.00"},
    )
    assert response.status_code == 404
    assert not CoverRequest.objects.exists()
