"""Surveys: the builder (survey, sections, questions, options), audiences, invitations and answers.

Confidential by construction: a Response and its Answers hold no user, person, invitation, token or
time finer than the day, and have random UUID keys, so nothing orders them against Participation
(which records only that an invitation was used, and on which day). See ADR 0009.
"""

from __future__ import annotations

import uuid

from django.db import models


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Likert scale (1 to 5)"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TEXT = "text", "Free text"


LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


class AudienceRule(models.TextChoices):
    PLACE_CLINICAL_DIRECTORS = "place_cds", "All Clinical Directors of a place"
    PCN_PEOPLE = "pcn_people", "Everyone with a role at a PCN or its practices"
    PLACE_LEADERS = "place_leaders", "Clinical Directors and practice managers of a place"


class Survey(models.Model):
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    confidential = models.BooleanField(default=True)
    status = models.CharField(
        max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__position", "section", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Audience(models.Model):
    """A rule choosing people: resolved to invitations when the survey's invitations are sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="audiences")
    rule = models.CharField(max_length=16, choices=AudienceRule.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.organisation}"


class Invitation(models.Model):
    """One person invited for one organisation; the link's token is kept only as its SHA-256."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    # The organisation the person was invited for: gives the response its group keys.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_on = models.DateField()
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="survey_invite_once")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class Participation(models.Model):
    """That an invitation was used: never which response it gave, nor when (a day shared with the
    response's `received_on` would be a join key on a day only one person answered)."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="participation"
    )

    def __str__(self) -> str:
        return "Answered"


class Response(models.Model):
    # A random key: an auto-increment id would order responses against participation rows.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    # Group keys for reporting only (no practice: one practice manager would be identifiable).
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    pcn = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField()

    class Meta:
        # Ordered by the random key, so no listing follows the order of answering.
        ordering = ["id"]

    def __str__(self) -> str:
        return f"A response to {self.survey}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"An answer to {self.question}"
