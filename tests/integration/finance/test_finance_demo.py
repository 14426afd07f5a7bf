"""The demo's PCNs have real finance figures for 2024/25: entitlements and an ARRS forecast."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from openpcn.demo.load import load_demo
from openpcn.finance import arrs
from openpcn.finance.entitlements import FinancialYear, network_entitlement
from openpcn.organisations.models import Network


def test_finance_demo_pcn_has_entitlements_and_arrs_claims(db, client) -> None:  # type: ignore[no-untyped-def]
    load_demo(seed=2026)
    year = FinancialYear(2024)
    network = Network.objects.filter(practice_memberships__isnull=False).order_by("name").first()
    assert network is not None
    result = network_entitlement(network, year)
    assert result.warnings == []
    assert all(p.snapshot_date is not None for p in result.practices)
    ea = result.stream("enhanced-access")
    assert ea is not None and ea.annual > Decimal("100000")
    assert sum(amount for _, amount in result.schedule) == result.total
    with_practices = Network.objects.filter(practice_memberships__isnull=False).distinct()
    forecasts = [arrs.network_forecast(n, year) for n in with_practices]
    assert any(f.people for f in forecasts)
    assert all(f.entitlement is not None for f in forecasts)
    url = reverse("finance:network_year", args=[network.pk, 2024])
    assert client.get(url).status_code == 302  # signed out: to the sign-in page


def test_finance_demo_pays_every_practice_a_year_and_the_ledger_balances(db) -> None:  # type: ignore[no-untyped-def]
    from openpcn.finance.distribution import network_distribution
    from openpcn.finance.models import PaymentRun
    from openpcn.ledger import queries as ledger_queries
    from openpcn.organisations.models import Organisation

    load_demo(seed=2026)
    year = FinancialYear(2024)
    # PCNs with member practices (a PCN recorded only for comparisons has no income to pay out)
    networks = list(Network.objects.filter(practice_memberships__isnull=False).distinct())
    assert PaymentRun.objects.filter(cancelled_at__isnull=True).count() == 12 * len(networks)
    for network in networks:
        result = network_distribution(network, year)
        assert all(m.payable for m in result.months)
        for member in result.members:
            assert result.year_total(member.key) > 0
            statement = ledger_queries.statement(
                Organisation.objects.get(pk=member.key), year.start, year.end
            )
            assert statement.total_credits == result.year_total(member.key)
    tb = ledger_queries.trial_balance(set(Organisation.objects.values_list("pk", flat=True)))
    assert tb.total_debits == tb.total_credits > 0
