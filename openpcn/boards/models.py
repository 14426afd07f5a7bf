"""Boards, their members, meetings, agendas, decisions, actions and the declarations of interest.

A board belongs to an alliance or a PCN. A meeting's agenda items may name related organisations
and keywords; a board member's current declaration of interest that relates to an item is flagged
on it (boards.conflicts). A decision is recorded only when the meeting is quorate (boards.votes).
Declarations are kept in one register per alliance. Changes go through boards.actions, audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from openpcn.boards.storage import PaperStorage
from openpcn.organisations.models import MembershipQuerySet


class Board(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="boards"
    )
    name = models.CharField(max_length=200)
    # The number of voting members who must be present for the board to decide anything.
    quorum = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=1), name="board_quorum_at_least_one"),
            models.UniqueConstraint(
                fields=["organisation", "name"], name="board_name_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class BoardMember(models.Model):
    """A person's term on a board (start_date to end_date); observers never vote."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="board_memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    voting = models.BooleanField(default=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["board", "role", "person__family_name", "person__given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="board_member_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(role=MemberRole.OBSERVER) | Q(voting=False),
                name="board_observer_does_not_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.get_role_display()} of {self.board}"

    def serves_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board", "starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.board} meeting, {self.starts_at:%d %B %Y}"

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def where(self) -> str:
        if self.online and self.place:
            return f"{self.place} and online"
        return "Online" if self.online else (self.place or "Place to be confirmed")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items_presented",
    )
    paper = models.FileField(storage=PaperStorage(), upload_to="%Y/%m", blank=True, max_length=300)
    paper_name = models.CharField(max_length=200, blank=True)
    for_decision = models.BooleanField(default=False)
    # What the item is about, so declarations of interest relating to it are flagged.
    related_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="agenda_items"
    )
    keywords = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"], name="agenda_item_order_unique_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member.person}: {self.get_status_display()}"


class Decision(models.Model):
    """The board's decision on an agenda item, with the votes; `carried` is computed on recording."""

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="decision"
    )
    wording = models.TextField()
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField()
    abstentions = models.PositiveSmallIntegerField()
    # The voting members present when it was decided, and whether the motion was carried.
    present_voting = models.PositiveSmallIntegerField()
    carried = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item"]

    def __str__(self) -> str:
        return f"{self.agenda_item.title}: {'carried' if self.carried else 'not carried'}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="board_actions"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, completed_on__isnull=True)
                | Q(status=ActionStatus.DONE, completed_on__isnull=False),
                name="board_action_completed_on_when_done",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < (today or dt.date.today())


class InterestType(models.TextChoices):
    """The categories of NHS England's "Managing conflicts of interest in the NHS" guidance."""

    FINANCIAL = "financial", "Financial interest"
    NON_FINANCIAL_PROFESSIONAL = "non_financial_professional", "Non-financial professional interest"
    NON_FINANCIAL_PERSONAL = "non_financial_personal", "Non-financial personal interest"
    INDIRECT = "indirect", "Indirect interest"


# Declarations are renewed every year; the register flags those due within this many days.
RENEWAL_WARNING_DAYS = 30


class Declaration(models.Model):
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="declarations"
    )
    # The board the interest is declared to, and the alliance whose register holds it.
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="declarations")
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    interest = models.TextField()
    interest_type = models.CharField(max_length=32, choices=InterestType.choices)
    related_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declared_interests",
    )
    declared_on = models.DateField()
    valid_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alliance", "person__family_name", "person__given_name", "-declared_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("declared_on")),
                name="declaration_valid_until_after_declared",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_interest_type_display()}"

    def current_on(self, day: dt.date) -> bool:
        return self.declared_on <= day <= self.valid_until

    def renewal_due(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.valid_until - today <= dt.timedelta(days=RENEWAL_WARNING_DAYS)

    def expired(self, today: dt.date | None = None) -> bool:
        return self.valid_until < (today or dt.date.today())
