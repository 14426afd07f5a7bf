"""Who may read which ledgers.

The trial balance and reports need FINANCE_VIEW over the organisation (accounts.scope). A practice
statement may also be read by the practice's own practice manager: that role does not grant
FINANCE_VIEW (which, held at a practice, would open the practice's whole ledger and every finance
page), so the ledger lets a practice manager membership held in the practice itself see that
practice's statement, and nothing else. Everything else is a 404, as elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import active_memberships, covered_organisation_ids
from openpcn.organisations.models import Organisation, OrganisationKind

STATEMENT_ROLES_IN_PRACTICE = frozenset({"practice_manager"})


def ledger_scope(user: Any) -> set[int]:
    """Organisations whose trial balance and reports the user may read."""
    return covered_organisation_ids(user, Permission.FINANCE_VIEW)


def statement_scope(user: Any) -> set[int]:
    """Organisations whose statement the user may read."""
    if not getattr(user, "is_authenticated", False):
        return set()
    own_practices = {
        m.organisation_id
        for m in active_memberships(user)
        if m.role in STATEMENT_ROLES_IN_PRACTICE
        and m.organisation.kind == OrganisationKind.PRACTICE
    }
    return ledger_scope(user) | own_practices


def statement_organisation_or_404(user: Any, pk: int) -> Organisation:
    if pk not in statement_scope(user):
        raise Http404("No such organisation")
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation.as_kind()


def postable_accounts(user: Any) -> list[Any]:
    """The accounts the user may post to (FINANCE_MANAGE over their organisation)."""
    from openpcn.ledger.models import Account

    scope = covered_organisation_ids(user, Permission.FINANCE_MANAGE)
    return list(
        Account.objects.filter(organisation_id__in=scope)
        .select_related("organisation")
        .order_by("organisation__name", "code")
    )


def journal_visible(user: Any, journal: Any) -> bool:
    """A journal is visible to a user with FINANCE_VIEW over every organisation it touches."""
    org_ids = set(journal.postings.values_list("account__organisation_id", flat=True))
    return bool(org_ids) and org_ids <= ledger_scope(user)


def journal_reversible_by(user: Any, journal: Any) -> bool:
    org_ids = set(journal.postings.values_list("account__organisation_id", flat=True))
    return org_ids <= covered_organisation_ids(user, Permission.FINANCE_MANAGE)
