"""Editing funding rates: finance officers only, audited, never overlapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.finance import actions
from openpcn.finance.models import FundingRate, FundingStream

D = Decimal
Y2025 = dt.date(2025, 4, 1)


def _new_ea(by):  # type: ignore[no-untyped-def]
    return actions.add_funding_rate(
        by=by,
        stream=FundingStream.objects.get(code="enhanced-access"),
        basis="adjusted",
        valid_from=Y2025,
        valid_to=dt.date(2026, 4, 1),
        rate=D("7.9"),
        source="Network Contract DES 2025/26",
    )


def test_rate_finance_officer_adds_a_rate_and_it_is_audited(universe) -> None:  # type: ignore[no-untyped-def]
    rate = _new_ea(universe.users["finance_officer"])
    assert rate.rate == D("7.9")
    event = AuditEvent.objects.get(action="add_funding_rate")
    assert event.actor == universe.users["finance_officer"]
    assert D(event.after["rate"]) == D("7.9")


@pytest.mark.parametrize("role", ["pcn_manager", "clinical_director", "board_member"])
def test_rate_others_may_not_add(universe, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        _new_ea(universe.users[role])
    assert not AuditEvent.objects.filter(action="add_funding_rate").exists()


def test_rate_overlapping_rate_is_refused(universe) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="already has a rate"):
        actions.add_funding_rate(
            by=universe.users["finance_officer"],
            stream=FundingStream.objects.get(code="enhanced-access"),
            basis="adjusted",
            valid_from=dt.date(2024, 10, 1),
            valid_to=None,
            rate=D("8"),
            source="Autumn uplift",
        )


def test_rate_change_is_audited_with_before_and_after(universe) -> None:  # type: ignore[no-untyped-def]
    rate = FundingRate.objects.get(stream__code="enhanced-access", valid_from=dt.date(2024, 4, 1))
    actions.change_funding_rate(
        by=universe.users["finance_officer"],
        rate=rate,
        valid_from=rate.valid_from,
        valid_to=rate.valid_to,
        value=D("7.7"),
        source="Sept 2024 uplift",
    )
    event = AuditEvent.objects.get(action="change_funding_rate")
    assert D(event.before["rate"]) == D("7.674") and D(event.after["rate"]) == D("7.7")


def test_rate_pages_finance_officer_adds_through_the_form(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("finance_officer")
    assert "Add a rate" in client.get(reverse("finance:rates")).content.decode()
    stream = FundingStream.objects.get(code="core")
    response = client.post(
        reverse("finance:rate_new"),
        {
            "stream": stream.pk,
            "basis": "registered",
            "valid_from": "2025-04-01",
            "valid_to": "2026-04-01",
            "rate": "2.5",
            "unit_note": "£ per registered patient",
            "source": "DES 2025/26",
        },
    )
    assert response.status_code == 302
    assert FundingRate.objects.filter(stream=stream, valid_from=Y2025, rate=D("2.5")).exists()


def test_rate_pages_edit_form(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("finance_officer")
    rate = FundingRate.objects.get(stream__code="arrs", valid_from=dt.date(2024, 4, 1))
    url = reverse("finance:rate_edit", args=[rate.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"valid_from": "2024-04-01", "valid_to": "2025-04-01", "rate": "23", "source": "x"},
    )
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.rate == D("23")


def test_rate_pages_404_for_pcn_manager(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("pcn_manager")
    page = client.get(reverse("finance:rates"))
    assert page.status_code == 200 and "Add a rate" not in page.content.decode()
    assert client.get(reverse("finance:rate_new")).status_code == 404
    rate = FundingRate.objects.first()
    assert rate is not None
    assert client.get(reverse("finance:rate_edit", args=[rate.pk])).status_code == 404
    assert client.post(reverse("finance:rate_new"), {}).status_code == 404
    assert verified_client("clinician").get(reverse("finance:rates")).status_code == 404


def test_rate_arrs_role_maximum_added_by_finance_officer_only(universe) -> None:  # type: ignore[no-untyped-def]
    from openpcn.workforce.models import JobRole

    role = JobRole.objects.get(code="pharmacy-technician")
    values = dict(
        job_role=role,
        valid_from=Y2025,
        valid_to=None,
        annual_maximum=D("43500"),
        source="DES 2025/26 Annex B",
    )
    with pytest.raises(PermissionDenied):
        actions.add_arrs_role_maximum(by=universe.users["pcn_manager"], **values)
    maximum = actions.add_arrs_role_maximum(by=universe.users["finance_officer"], **values)
    assert AuditEvent.objects.filter(action="add_arrs_role_maximum").count() == 1
    assert maximum.applies_on(dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="already has a maximum"):
        actions.add_arrs_role_maximum(by=universe.users["finance_officer"], **values)
    with pytest.raises(ValidationError, match="not an ARRS role"):
        actions.add_arrs_role_maximum(
            by=None, **{**values, "job_role": JobRole.objects.get(code="salaried-gp")}
        )


def test_rate_care_home_beds_recorded_for_a_pcn_in_scope(universe) -> None:  # type: ignore[no-untyped-def]
    officer = universe.users["finance_officer"]
    record = actions.record_care_home_beds(by=officer, network=universe.n1, year=2024, beds=60)
    again = actions.record_care_home_beds(by=officer, network=universe.n1, year=2024, beds=70)
    assert again.pk == record.pk and again.beds == 70
    assert AuditEvent.objects.filter(action="record_care_home_beds").count() == 2
    with pytest.raises(PermissionDenied):
        actions.record_care_home_beds(by=officer, network=universe.s1, year=2024, beds=10)
    with pytest.raises(ValidationError):
        actions.record_care_home_beds(by=None, network=universe.p1, year=2024, beds=10)
