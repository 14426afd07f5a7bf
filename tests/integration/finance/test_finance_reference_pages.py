"""The ARRS role maxima page and a PCN's care home beds page: who reads, who records, the audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.finance import actions
from openpcn.finance.models import ArrsRoleMaximum, CareHomeBeds
from openpcn.workforce.models import JobRole

D = Decimal


def _technician() -> JobRole:
    return JobRole.objects.get(code="pharmacy-technician")


def _maximum_post(role: JobRole, **changes: str) -> dict[str, object]:
    return {
        "job_role": role.pk,
        "valid_from": "2031-04-01",
        "valid_to": "2032-04-01",
        "annual_maximum": "45123.45",
        "source": "DES 2031/32 Annex B",
        **changes,
    }


def _beds(network) -> list[int]:  # type: ignore[no-untyped-def]
    return list(CareHomeBeds.objects.filter(network=network).values_list("beds", flat=True))


# --- ARRS role maxima ---------------------------------------------------------------------------


def test_reference_arrs_maxima_lists_every_role_maximum(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    maximum = ArrsRoleMaximum.objects.select_related("job_role").order_by("-valid_from").first()
    assert maximum is not None  # the seeded national figures
    response = verified_client("board_member").get(reverse("finance:arrs_maxima"))
    assert response.status_code == 200
    page = response.content.decode()
    assert maximum.job_role.name in page and maximum.source in page
    assert f"£{maximum.annual_maximum:,.2f}" in page
    assert maximum.valid_from.strftime("%d %b %Y") in page
    assert "Add a role maximum" not in page


def test_reference_arrs_maxima_404_without_finance_view(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    assert verified_client("clinician").get(reverse("finance:arrs_maxima")).status_code == 404


def test_reference_finance_officer_adds_a_maximum_through_the_form(  # type: ignore[no-untyped-def]
    universe, verified_client
) -> None:
    client = verified_client("finance_officer")
    listing = client.get(reverse("finance:arrs_maxima")).content.decode()
    assert f'href="{reverse("finance:arrs_maximum_new")}"' in listing
    assert client.get(reverse("finance:arrs_maximum_new")).status_code == 200
    response = client.post(reverse("finance:arrs_maximum_new"), _maximum_post(_technician()))
    assert response.status_code == 302 and response["Location"] == reverse("finance:arrs_maxima")
    added = ArrsRoleMaximum.objects.get(job_role=_technician(), valid_from=dt.date(2031, 4, 1))
    assert added.annual_maximum == D("45123.45") and added.valid_to == dt.date(2032, 4, 1)
    event = AuditEvent.objects.get(action="add_arrs_role_maximum")
    assert event.actor == universe.users["finance_officer"]
    assert D(event.after["annual_maximum"]) == D("45123.45")
    page = client.get(response["Location"]).content.decode()
    assert f"Added: {added}" in page
    assert "£45,123.45" in page and "DES 2031/32 Annex B" in page


def test_reference_overlapping_maximum_is_shown_on_the_form_and_nothing_written(  # type: ignore[no-untyped-def]
    universe, verified_client
) -> None:
    officer = universe.users["finance_officer"]
    actions.add_arrs_role_maximum(
        by=officer,
        job_role=_technician(),
        valid_from=dt.date(2031, 4, 1),
        valid_to=None,
        annual_maximum=D("44000"),
        source="first",
    )
    before = ArrsRoleMaximum.objects.count()
    response = verified_client("finance_officer").post(
        reverse("finance:arrs_maximum_new"), _maximum_post(_technician(), valid_from="2031-10-01")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "already has a maximum for some of those dates" in page
    assert ArrsRoleMaximum.objects.count() == before
    assert AuditEvent.objects.filter(action="add_arrs_role_maximum").count() == 1


def test_reference_maximum_form_checks_its_own_fields(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    before = ArrsRoleMaximum.objects.count()
    response = verified_client("finance_officer").post(
        reverse("finance:arrs_maximum_new"),
        _maximum_post(_technician(), valid_to="2031-01-01", annual_maximum=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end date must be after the start date" in page
    assert "Enter the maximum in pounds" in page
    assert ArrsRoleMaximum.objects.count() == before


def test_reference_maximum_form_offers_only_arrs_roles(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    salaried_gp = JobRole.objects.get(code="salaried-gp")
    client = verified_client("finance_officer")
    page = client.get(reverse("finance:arrs_maximum_new")).content.decode()
    assert _technician().name in page and salaried_gp.name not in page
    response = client.post(reverse("finance:arrs_maximum_new"), _maximum_post(salaried_gp))
    assert response.status_code == 200
    assert not ArrsRoleMaximum.objects.filter(job_role=salaried_gp).exists()


@pytest.mark.parametrize("role", ["pcn_manager", "board_member", "clinical_director"])
def test_reference_maximum_form_404s_for_those_who_may_not_manage_rates(  # type: ignore[no-untyped-def]
    universe, verified_client, role
) -> None:
    client = verified_client(role)
    assert client.get(reverse("finance:arrs_maximum_new")).status_code == 404
    before = ArrsRoleMaximum.objects.count()
    response = client.post(reverse("finance:arrs_maximum_new"), _maximum_post(_technician()))
    assert response.status_code == 404
    assert ArrsRoleMaximum.objects.count() == before
    assert not AuditEvent.objects.filter(action="add_arrs_role_maximum").exists()


# --- care home beds -----------------------------------------------------------------------------


def test_reference_beds_page_lists_the_years_recorded(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    actions.record_care_home_beds(
        by=None, network=universe.n1, year=2024, beds=1234, source="CQC directory"
    )
    actions.record_care_home_beds(by=None, network=universe.n2, year=2024, beds=99)
    response = verified_client("pcn_manager").get(
        reverse("finance:care_home_beds", args=[universe.n1.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "N1 PCN" in page and "2024/25" in page and "1,234" in page and "CQC directory" in page
    assert "99" not in page.split('id="care-home-beds"')[1].split("</table>")[0]
    assert "Record a year" not in page  # the PCN manager reads; finance officers record


def test_reference_finance_officer_records_beds_and_it_is_audited(  # type: ignore[no-untyped-def]
    universe, verified_client
) -> None:
    url = reverse("finance:care_home_beds", args=[universe.n1.pk])
    client = verified_client("finance_officer")
    assert "Record a year" in client.get(url).content.decode()
    response = client.post(url, {"year": "2024", "beds": "60", "source": "CQC 1 April 2024"})
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(url, {"year": "2024", "beds": "72", "source": "Corrected"})
    assert response.status_code == 302
    assert _beds(universe.n1) == [72]
    events = AuditEvent.objects.filter(action="record_care_home_beds").order_by("at")
    assert [e.actor for e in events] == [universe.users["finance_officer"]] * 2
    assert events[1].before["beds"] == 60 and events[1].after["beds"] == 72
    assert events[1].organisation_id == universe.n1.pk
    page = client.get(url).content.decode()
    assert "Recorded 72 care home beds for 2024/25" in page and "Corrected" in page


def test_reference_beds_form_errors_write_nothing(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("finance:care_home_beds", args=[universe.n1.pk])
    response = verified_client("finance_officer").post(url, {"year": "1990", "beds": "-3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert _beds(universe.n1) == []
    assert not AuditEvent.objects.filter(action="record_care_home_beds").exists()


@pytest.mark.parametrize("role", ["pcn_manager", "board_member", "clinical_director"])
def test_reference_beds_post_refused_without_finance_manage(  # type: ignore[no-untyped-def]
    universe, verified_client, role
) -> None:
    url = reverse("finance:care_home_beds", args=[universe.n1.pk])
    client = verified_client(role)
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": "2024", "beds": "60"})
    assert response.status_code in (403, 404)
    assert _beds(universe.n1) == []
    assert not AuditEvent.objects.filter(action="record_care_home_beds").exists()


def test_reference_beds_page_404s_outside_finance_scope(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    n1 = reverse("finance:care_home_beds", args=[universe.n1.pk])
    assert verified_client("south_admin").get(n1).status_code == 404
    assert verified_client("south_admin").post(n1, {"year": "2024", "beds": "5"}).status_code == 404
    assert _beds(universe.n1) == []
    n2 = reverse("finance:care_home_beds", args=[universe.n2.pk])
    assert verified_client("pcn_manager").get(n2).status_code == 404
    assert verified_client("clinician").get(n1).status_code == 404
    practice = reverse("finance:care_home_beds", args=[universe.p1.pk])
    assert verified_client("finance_officer").get(practice).status_code == 404


def test_reference_pages_linked_from_finance_index_and_network_year(  # type: ignore[no-untyped-def]
    universe, verified_client
) -> None:
    client = verified_client("pcn_manager")
    beds = reverse("finance:care_home_beds", args=[universe.n1.pk])
    index = client.get(reverse("finance:index")).content.decode()
    assert f'href="{reverse("finance:arrs_maxima")}"' in index and f'href="{beds}"' in index
    year = client.get(reverse("finance:network_year", args=[universe.n1.pk, 2024]))
    assert f'href="{beds}"' in year.content.decode()
