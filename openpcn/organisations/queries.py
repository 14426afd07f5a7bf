"""Reads from the registry, always narrowed to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.organisations.models import (
    BoardSeat,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    PopulationSnapshot,
    RoleHolding,
    RoleTitle,
)


def latest_snapshots(practice_ids: set[int] | list[int]) -> dict[int, PopulationSnapshot]:
    """The most recent population snapshot of each practice."""
    latest_dates = (
        PopulationSnapshot.objects.filter(practice_id__in=practice_ids)
        .values("practice_id")
        .annotate(latest=Max("date"))
    )
    wanted = {(row["practice_id"], row["latest"]) for row in latest_dates}
    snapshots = PopulationSnapshot.objects.filter(
        practice_id__in={p for p, _ in wanted}, date__in={d for _, d in wanted}
    )
    return {s.practice_id: s for s in snapshots if (s.practice_id, s.date) in wanted}


@dataclass
class TreeNode:
    organisation: Organisation
    list_size: int | None = None
    children: list[TreeNode] = field(default_factory=list)

    @property
    def practice_count(self) -> int:
        if self.organisation.kind == OrganisationKind.PRACTICE:
            return 1
        return sum(child.practice_count for child in self.children)


def organisation_tree(user: User, on: dt.date | None = None) -> list[TreeNode]:
    """Alliance → places → PCNs → practices with list sizes, as far as the user can see."""
    on = on or dt.date.today()
    visible = covered_organisation_ids(user, Permission.ORGANISATION_VIEW)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=visible)}
    memberships = NetworkMembership.objects.current_on(on).filter(
        practice_id__in=visible, network_id__in=visible
    )
    practices_by_network: dict[int, list[int]] = defaultdict(list)
    for m in memberships:
        practices_by_network[m.network_id].append(m.practice_id)
    sizes = {pk: s.registered for pk, s in latest_snapshots(list(organisations)).items()}

    def practice_node(pk: int) -> TreeNode:
        return TreeNode(organisations[pk], list_size=sizes.get(pk))

    def network_node(network: Organisation) -> TreeNode:
        children = sorted(
            (practice_node(pk) for pk in practices_by_network.get(network.pk, [])),
            key=lambda n: n.organisation.name,
        )
        return TreeNode(network, _total(children), children)

    networks = sorted(
        (o for o in organisations.values() if o.kind == OrganisationKind.NETWORK),
        key=lambda o: o.name,
    )
    in_a_network = {pk for pks in practices_by_network.values() for pk in pks}
    roots: list[TreeNode] = []
    placed: set[int] = set()
    for alliance in sorted(
        (o for o in organisations.values() if o.kind == OrganisationKind.ALLIANCE),
        key=lambda o: o.name,
    ):
        node = TreeNode(alliance)
        for place in sorted(
            (
                o
                for o in organisations.values()
                if o.kind == OrganisationKind.PLACE and o.alliance_id == alliance.pk
            ),
            key=lambda o: o.name,
        ):
            place_children = [network_node(n) for n in networks if n.place_id == place.pk]
            placed.update(n.organisation.pk for n in place_children)
            node.children.append(TreeNode(place, _total(place_children), place_children))
        loose = [
            network_node(n) for n in networks if n.alliance_id == alliance.pk and n.pk not in placed
        ]
        placed.update(n.organisation.pk for n in loose)
        node.children.extend(loose)
        node.list_size = _total(node.children)
        roots.append(node)
    # Organisations visible without their parents (e.g. a PCN manager sees only their PCN).
    roots.extend(network_node(n) for n in networks if n.pk not in placed)
    roots.extend(
        practice_node(o.pk)
        for o in sorted(organisations.values(), key=lambda o: o.name)
        if o.kind == OrganisationKind.PRACTICE
        and o.pk not in in_a_network
        and o.alliance_id is not None
    )
    return roots


def _total(nodes: list[TreeNode]) -> int | None:
    sizes = [n.list_size for n in nodes if n.list_size is not None]
    return sum(sizes) if sizes else None


def current_network(practice: Organisation, on: dt.date | None = None) -> Organisation | None:
    membership = (
        NetworkMembership.objects.current_on(on or dt.date.today())
        .filter(practice=practice)
        .select_related("network")
        .first()
    )
    return membership.network.as_kind() if membership else None


def network_history(practice: Organisation) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(practice=practice).select_related("network")


def practices_of(network: Organisation, on: dt.date | None = None) -> list[Organisation]:
    ids = (
        NetworkMembership.objects.current_on(on or dt.date.today())
        .filter(network=network)
        .values_list("practice_id", flat=True)
    )
    return [o.as_kind() for o in Organisation.objects.filter(pk__in=ids)]


def people_in(
    organisation_ids: set[int] | list[int], *, current_only: bool = True
) -> QuerySet[RoleHolding]:
    holdings = RoleHolding.objects.filter(organisation_id__in=organisation_ids)
    if current_only:
        holdings = holdings.current()
    return holdings.select_related("person", "organisation").order_by(
        "organisation__name", "title", "person__family_name"
    )


def clinical_director(network: Organisation) -> RoleHolding | None:
    return (
        RoleHolding.objects.current()
        .filter(organisation=network, title=RoleTitle.CLINICAL_DIRECTOR)
        .select_related("person")
        .first()
    )


def board_of(alliance: Organisation) -> QuerySet[BoardSeat]:
    return (
        BoardSeat.objects.current()
        .filter(alliance=alliance)
        .select_related("person", "representing")
        .order_by("role", "person__family_name")
    )


def alliance_of(organisation: Organisation) -> Organisation | None:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation
    return organisation.alliance
