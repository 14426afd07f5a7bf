"""Distances for directory searches: postcode centroids (from the local table) and haversine."""

from __future__ import annotations

import math
import re

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str:
    """Upper case with one space before the inward code ("ls14ap" → "LS1 4AP"); "" if not one."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else ""


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """The postcode's centroid from the loaded table, or None if it is not there."""
    from openpcn.directory.models import Postcode

    found = Postcode.objects.filter(pk=normalise_postcode(postcode)).first()
    return (found.latitude, found.longitude) if found else None
