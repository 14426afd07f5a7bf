"""Clinical education events and CPD: events, bookings with a waitlist, the register and feedback.

An event's `places_taken` counts its confirmed bookings and a check constraint holds it within the
capacity, so the database refuses an overbooking even if the Python were wrong (see ADR 0011).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone


class EventKind(models.TextChoices):
    PROTECTED_LEARNING_TIME = "plt", "Protected learning time"
    COURSE = "course", "Course"
    WEBINAR = "webinar", "Webinar"
    CLINICAL_MEETING = "clinical_meeting", "Clinical meeting"


class Event(models.Model):
    """A learning event run by an alliance, PCN or practice, for an audience of its staff."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="education_events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    learning_outcomes = models.TextField(help_text="One outcome a line")
    speakers = models.CharField(max_length=300, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cpd_hours = models.DecimalField(max_digits=4, decimal_places=2)
    capacity = models.PositiveIntegerField()
    places_taken = models.PositiveIntegerField(default=0)
    # Empty means every job role (or every PCN the organiser's organisation covers).
    audience_roles = models.ManyToManyField(
        "workforce.JobRole", blank=True, related_name="education_events"
    )
    audience_networks = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="education_events_for"
    )
    register_taken_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_a_place"),
            models.CheckConstraint(
                condition=Q(places_taken__lte=models.F("capacity")),
                name="event_never_over_capacity",
            ),
            models.CheckConstraint(
                condition=Q(cpd_hours__gte=0) & Q(cpd_hours__lte=Decimal("40")),
                name="event_cpd_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def where(self) -> str:
        return ", ".join(p for p in (self.venue, "Online" if self.online_link else "") if p)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """One staff member's place (or place in the queue) at an event; a cancelled one is kept."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="bookings")
    staff = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="event_bookings"
    )
    status = models.CharField(max_length=12, choices=BookingStatus.choices)
    booked_at = models.DateTimeField()
    # The waitlist is served in this order; set again when a place is confirmed.
    queued_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # None until the register is taken.
    attended = models.BooleanField(null=True, blank=True)
    training_record = models.ForeignKey(
        "workforce.TrainingRecord",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["event", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "staff"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_person",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="booked"),
                name="only_booked_people_attend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} at {self.event}"

    @property
    def certificate_number(self) -> str:
        return f"CPD-{self.event_id:05d}-{self.pk:06d}"


class Feedback(models.Model):
    """An attendee's short feedback, given once after the event."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    overall = models.PositiveSmallIntegerField(help_text="1 (poor) to 5 (excellent)")
    relevance = models.PositiveSmallIntegerField(help_text="1 (not relevant) to 5 (very)")
    comments = models.TextField(blank=True)
    given_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="feedback_overall_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(relevance__gte=1, relevance__lte=5), name="feedback_relevance_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.booking.event}"


RATINGS = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good", 5: "Excellent"}
