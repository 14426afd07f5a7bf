"""Reference data for PCN development: the Maturity Matrix's five areas and its steps.

Source: NHS England, PCN Maturity Matrix (August 2019); areas as in SW London PCCC's summary.
The step labels (Foundation, Step 1, Step 2, Step 3) are as we read the matrix: verify them against
the published matrix before relying on them, and change them here (data, not code) if they differ.
The matrix is "not a binary checklist or performance management tool": a PCN rates itself.
"""

from __future__ import annotations

from typing import Any

SOURCE_NOTE = (
    "NHS England PCN Maturity Matrix (August 2019). Step labels as we read the matrix; "
    "verify them against the published matrix."
)

# (key, name), in the matrix's order.
AREAS = [
    ("leadership", "Leadership, planning and partnerships"),
    ("data_phm", "Use of data and population health management"),
    ("integrating_care", "Integrating care"),
    ("managing_resources", "Managing resources"),
    ("people_communities", "Working with people and communities"),
]

# (level, label): level 0 is the foundation stage, then the progressive steps.
STEPS = [
    (0, "Foundation"),
    (1, "Step 1"),
    (2, "Step 2"),
    (3, "Step 3"),
]


def ensure_reference_data(area_model: Any = None, step_model: Any = None) -> None:
    """Create or update the areas and steps (idempotent; the migration passes its own models)."""
    from openpcn.development.models import MaturityArea, MaturityStep

    area_model, step_model = area_model or MaturityArea, step_model or MaturityStep

    for position, (key, name) in enumerate(AREAS):
        area_model.objects.update_or_create(
            key=key, defaults={"name": name, "position": position, "source": SOURCE_NOTE}
        )
    for level, label in STEPS:
        step_model.objects.update_or_create(
            level=level, defaults={"label": label, "source": SOURCE_NOTE}
        )
