"""The demo's education events: past ones with registers, feedback and certificates; upcoming ones
open for booking, one full with a waitlist; the demo clinician's CPD log has entries."""

import pytest
from django.utils import timezone

from openpcn.demo.education import _clinician, build_education
from openpcn.demo.registry import build_registry
from openpcn.demo.workforce import build_workforce
from openpcn.education import queries
from openpcn.education.models import Booking, Event, Feedback
from openpcn.workforce.models import StaffMember, TrainingRecord

pytestmark = pytest.mark.django_db


def test_the_demo_shows_past_and_upcoming_events():
    demo = build_registry(seed=2026)
    build_workforce(demo, seed=2026)
    events = build_education(demo)
    now = timezone.now()
    past = [e for e in events if e.ends_at < now]
    upcoming = [e for e in events if e.starts_at > now]
    assert len(past) == 3 and len(upcoming) == 3
    for event in past:
        event.refresh_from_db()
        assert event.register_taken_at is not None
        assert Booking.objects.filter(event=event, attended=True).exists()
    assert Feedback.objects.filter(booking__event__in=past).count() >= 5
    full = [e for e in Event.objects.filter(pk__in=[e.pk for e in upcoming]) if not e.places_left]
    assert len(full) == 1 and queries.waitlist(full[0]).count() == 3
    clinician = StaffMember.objects.get(person=_clinician(demo))
    [year, *_] = queries.cpd_log(clinician)
    assert len([b for y in queries.cpd_log(clinician) for b in y.entries]) == 3
    assert year.hours > 0
    assert TrainingRecord.objects.filter(staff=clinician, course__contains="CPD hours").count() == 3
    assert queries.feedback_due(clinician).exists()
