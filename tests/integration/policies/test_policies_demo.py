"""The demo's policy library: alliance policies adopted by the first PCN's practices, one with a
local variation, acknowledgements, one out of date and a significant new version to acknowledge."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from openpcn.accounts.models import User
from openpcn.demo.load import load_demo
from openpcn.policies import queries
from openpcn.policies.models import Acknowledgement, Adoption, Policy, PolicyVersion
from openpcn.workforce.queries import own_staff_record


def test_policies_demo_library_adoptions_and_acknowledgements(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(seed=2026)
    today = dt.date.today()
    assert Policy.objects.count() == 7
    lapsed = PolicyVersion.objects.get(policy__title="Lone working policy", status="published")
    assert lapsed.out_of_date(today)
    safeguarding = PolicyVersion.objects.get(
        policy__title="Safeguarding adults", status="published"
    )
    assert safeguarding.number == 2 and safeguarding.significant
    varied = Adoption.objects.exclude(local_variation="").get()
    assert varied.policy.title == "Chaperone policy" and varied.variation_approved_by is not None
    assert Acknowledgement.objects.count() > 10

    clinician = User.objects.get(username="clinician")
    outstanding = queries.outstanding_for(own_staff_record(clinician))
    assert safeguarding in [t.version for t in outstanding]
    client = Client()
    client.force_login(clinician)
    assert "Safeguarding adults" in client.get(reverse("policies:mine")).content.decode()

    client.force_login(User.objects.get(username="practice.manager"))
    page = client.get(reverse("policies:practice", args=[varied.practice_id])).content.decode()
    assert "Out of date" in page and "chaperones are booked through reception" in page
    compliance = queries.practice_compliance(varied.practice)
    assert compliance.rate is not None and 0 < compliance.rate < 100
