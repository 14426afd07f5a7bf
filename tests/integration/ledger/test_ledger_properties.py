"""Property test: random journals, balanced and not, against the ledger's promises.

Balanced journals (per organisation) post in full; unbalanced ones (overall, or only within one
organisation) are refused with nothing written; the trial balance always sums to zero, overall
and for each organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpcn.core.models import AuditEvent
from openpcn.ledger import actions, queries
from openpcn.ledger.models import Journal, Posting

PENCE = st.integers(min_value=-10_000_000, max_value=10_000_000).filter(lambda p: p != 0)


def _balanced(draw, accounts):
    """Random lines, then one balancing line per organisation that does not already balance."""
    chosen = draw(st.lists(st.sampled_from(accounts), min_size=1, max_size=6))
    lines = [(a, draw(PENCE)) for a in chosen]
    per_org = defaultdict(int)
    for account, pence in lines:
        per_org[account.organisation_id] += pence
    for org_id, pence in per_org.items():
        if pence:
            balancing = draw(st.sampled_from([a for a in accounts if a.organisation_id == org_id]))
            lines.append((balancing, -pence))
    return lines


@st.composite
def journals(draw, accounts):
    lines = _balanced(draw, accounts)
    mode = draw(st.sampled_from(["balanced", "balanced", "off_by", "cross_organisation"]))
    if mode == "off_by":
        # Knock one line off by at least a penny: the journal no longer balances.
        i = draw(st.integers(0, len(lines) - 1))
        account, pence = lines[i]
        shift = draw(PENCE.filter(lambda s, p=pence: s != -p))
        lines[i] = (account, pence + shift)
    elif mode == "cross_organisation":
        # Balances overall but moves money between two organisations inside one journal.
        orgs = sorted({a.organisation_id for a in accounts})
        first, second = draw(st.permutations(orgs))[:2]
        pence = draw(PENCE)
        lines.append(
            (draw(st.sampled_from([a for a in accounts if a.organisation_id == first])), pence)
        )
        lines.append(
            (draw(st.sampled_from([a for a in accounts if a.organisation_id == second])), -pence)
        )
    draw(st.randoms()).shuffle(lines)
    amounts = [(a, Decimal(p) / 100) for a, p in lines]
    return mode == "balanced", amounts


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_journals_unbalanced_refused_and_trial_balance_zero(chart, data):
    north = [a for (org, _), a in chart.accounts.items() if org != "s1"]
    balanced, lines = data.draw(journals(north))
    before = (Journal.objects.count(), Posting.objects.count(), AuditEvent.objects.count())
    if balanced:
        journal = actions.post_journal(
            by=chart.universe.users["finance_officer"],
            date=dt.date(2026, 4, 1),
            description="random",
            lines=lines,
        )
        assert journal.postings.count() == len(lines)
        assert sorted(journal.postings.values_list("amount", flat=True)) == sorted(
            a for _, a in lines
        )
    else:
        with pytest.raises(ValidationError, match="does not balance"):
            actions.post_journal(
                by=chart.universe.users["finance_officer"],
                date=dt.date(2026, 4, 1),
                description="random",
                lines=lines,
            )
        after = (Journal.objects.count(), Posting.objects.count(), AuditEvent.objects.count())
        assert after == before  # nothing written
    tb = queries.trial_balance()
    assert tb.difference == 0
    assert tb.total_debit_balances == tb.total_credit_balances
    for org in ("n1", "p1", "n2"):
        assert queries.trial_balance([chart.universe.orgs[org].pk]).difference == 0
