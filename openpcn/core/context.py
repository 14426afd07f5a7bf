"""Template context every page needs: which navigation items the signed-in user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.bank.queries import bank_links
from openpcn.core.administration import administration_links
from openpcn.core.resources import resource_cards
from openpcn.governance.hub import governance_cards
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.population.access import practices_staffed
from openpcn.workforce.queries import own_staff_record


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        # Users and roles and the audit log share one item, so the header keeps room for Finance.
        "show_administration": any(administration_links(user).values()),
        # The board, risks, contracts and agreements share one item (the header fits nine).
        "show_governance": bool(governance_cards(user)),
        # Policies, education, the services directory and recruitment share one item.
        "show_resources": bool(resource_cards(user)),
        "can_view_workforce": has_permission(user, Permission.WORKFORCE_VIEW),
        "can_view_rotas": _sees_network_rotas(user),
        "show_my_rota": own_staff_record(user) is not None,
        "show_bank": any(bank_links(user).values()),
        "can_view_finance": has_permission(user, Permission.FINANCE_VIEW),
        "can_view_population": has_permission(user, Permission.ANALYTICS_VIEW)
        or bool(practices_staffed(user, Permission.WORKLIST_VIEW)),
    }


def _sees_network_rotas(user: Any) -> bool:
    # Rotas are planned for a PCN or an alliance; a practice-level view alone has none to list.
    return Organisation.objects.filter(
        pk__in=covered_organisation_ids(user, Permission.ROTA_VIEW),
        kind__in=[OrganisationKind.NETWORK, OrganisationKind.ALLIANCE],
    ).exists()
