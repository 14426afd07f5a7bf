"""The migration seeds the Maturity Matrix; one assessment per PCN per date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from openpcn.development.models import MaturityArea, MaturityAssessment, MaturityStep


def test_migration_seeds_areas_and_steps_and_one_assessment_per_pcn_date(universe) -> None:  # type: ignore[no-untyped-def]
    assert MaturityArea.objects.count() == 5
    assert list(MaturityStep.objects.values_list("label", flat=True)) == [
        "Foundation",
        "Step 1",
        "Step 2",
        "Step 3",
    ]
    MaturityAssessment.objects.create(network=universe.n1, assessed_on=dt.date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MaturityAssessment.objects.create(network=universe.n1, assessed_on=dt.date(2026, 5, 1))
