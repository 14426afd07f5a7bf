"""Clinical Director appointments: a PCN's member practices nominate and vote, under the terms of
its Network Agreement's Schedule 1, and the result sets the Clinical Director and the board seat.

An appointment copies Schedule 1's terms and its electorate (the member practices, each with its
registered list at the vote's date) when it opens, so a later change to either does not alter a
vote under way. One vote per practice is a database constraint.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AppointmentStatus(models.TextChoices):
    OPEN = "open", "Open: nominations and votes"
    DECLARED = "declared", "Result declared"
    NO_QUORUM = "no_quorum", "Closed: quorum not met"
    TIED = "tied", "Closed: a tie"


class Appointment(models.Model):
    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="director_appointments"
    )
    agreement = models.ForeignKey(
        "contracts.NetworkAgreement", on_delete=models.PROTECT, related_name="appointments"
    )
    vote_date = models.DateField(help_text="List sizes are read as on this date")
    term_starts = models.DateField(help_text="When the Clinical Director appointed takes office")
    # Schedule 1's terms as they stood when the appointment opened.
    voting = models.CharField(max_length=12)
    quorum_basis = models.CharField(max_length=12)
    quorum_percent = models.PositiveSmallIntegerField()
    term_months = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.OPEN
    )
    elected = models.ForeignKey(
        "organisations.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term_ends = models.DateField(null=True, blank=True, help_text="The last day of the term")
    declared_on = models.DateField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The board seat changes when the declarer may manage the alliance board; else it waits here.
    board_seat_pending = models.BooleanField(default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "-vote_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(status="open"),
                name="one_open_director_appointment_per_network",
            ),
            models.CheckConstraint(
                condition=~Q(status="declared")
                | (Q(elected__isnull=False) & Q(term_ends__isnull=False)),
                name="a_declared_appointment_names_who_and_until_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network.name}: Clinical Director appointment, {self.vote_date:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == AppointmentStatus.OPEN

    @property
    def weighted(self) -> bool:
        return self.voting == "list_size"


class Elector(models.Model):
    """A member practice entitled to vote, with its registered list at the vote's date."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="electors")
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    list_size = models.PositiveIntegerField(null=True, blank=True)
    list_date = models.DateField(null=True, blank=True, help_text="The snapshot it was read from")

    class Meta:
        ordering = ["appointment", "practice__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "practice"], name="one_elector_per_practice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice.name} in {self.appointment}"


class Nomination(models.Model):
    """A GP partner or clinician of a member practice standing for Clinical Director."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="nominations"
    )
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appointment", "person__family_name", "person__given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "person"], name="one_nomination_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.practice.name})"


class PracticeVote(models.Model):
    """A member practice's one vote, cast by someone for it and recorded by a user."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="votes")
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="votes")
    cast_by = models.CharField(max_length=200, help_text="Who cast the practice's vote")
    cast_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appointment", "practice__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "practice"], name="one_vote_per_practice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice.name}: {self.nomination.person}"
