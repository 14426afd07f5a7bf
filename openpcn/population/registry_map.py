"""The registry seen by the population engine: each practice's PCN and place on a date."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpcn.organisations.models import NetworkMembership, Organisation, OrganisationKind


@dataclass(frozen=True)
class PracticeLink:
    practice: Organisation
    network: Organisation | None
    place: Organisation | None


def practice_links(alliance: Organisation, on: dt.date) -> dict[str, PracticeLink]:
    """Every practice of the alliance with an ODS code, by code, with its PCN on `on`."""
    practices = Organisation.objects.filter(
        alliance=alliance, kind=OrganisationKind.PRACTICE, ods_code__isnull=False
    )
    networks = {
        m.practice_id: m.network
        for m in NetworkMembership.objects.current_on(on)
        .filter(practice__in=practices)
        .select_related("network__place")
    }
    links = {}
    for practice in practices:
        network = networks.get(practice.pk)
        links[practice.ods_code] = PracticeLink(
            practice, network, network.place if network is not None else None
        )
    return links


def write_organisation_map(links: dict[str, PracticeLink], path: Path) -> Path:
    """The engine's organisation map; practices outside any PCN on the date map to their own code."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["practice_code", "pcn_code"])
        for code, link in sorted(links.items()):
            network_code = link.network.ods_code if link.network is not None else None
            writer.writerow([code, network_code or f"no-pcn-{code}"])
    return path
