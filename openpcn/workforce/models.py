"""Staff employed once and shared across sites: who they are, who employs them, what they can do, when."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q


class Skill(models.Model):
    """Something a rota can ask for: a professional role ("gp") or a competency ("spirometry")."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_role = models.BooleanField(default=False, help_text="Held by everyone in a job role")

    class Meta:
        ordering = ["-is_role", "name"]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """A job: GP, practice nurse, or one of the ARRS roles a PCN can claim reimbursement for."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_arrs = models.BooleanField(default=False, help_text="Reimbursable under ARRS")
    is_clinical = models.BooleanField(default=True)
    professional_body = models.CharField(max_length=10, blank=True)  # GMC, NMC, GPhC, HCPC
    rota_skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="job_roles")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A person who works for the alliance, a PCN or a practice, wherever they are employed."""

    person = models.OneToOneField(
        "organisations.Person", on_delete=models.PROTECT, related_name="staff_member"
    )
    home_practice = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_staff",
    )
    skills = models.ManyToManyField(Skill, through="StaffSkill", related_name="staff")
    sites = models.ManyToManyField(
        "organisations.Site",
        blank=True,
        related_name="eligible_staff",
        help_text="Sites this person may work at",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name"]

    def __str__(self) -> str:
        return str(self.person)


class StaffSkill(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="staff_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT)
    since = models.DateField(null=True, blank=True)
    expires = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "skill"], name="one_skill_row")]

    def __str__(self) -> str:
        return f"{self.staff}: {self.skill}"


class Band(models.TextChoices):
    """Agenda for Change pay bands; blank for GPs and others outside AfC."""

    B3 = "3", "Band 3"
    B4 = "4", "Band 4"
    B5 = "5", "Band 5"
    B6 = "6", "Band 6"
    B7 = "7", "Band 7"
    B8A = "8a", "Band 8a"
    B8B = "8b", "Band 8b"


FULL_TIME_HOURS = Decimal("37.5")
HOURS_PER_SESSION = Decimal("4.1667")  # BMA model: 9 sessions of 4 h 10 min = 37.5 h


class Contract(models.Model):
    """An employment contract: who employs the person, in which role, for how much time and cost."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="contracts")
    employer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="contracts")
    band = models.CharField(max_length=3, choices=Band.choices, blank=True)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    arrs_funded = models.BooleanField(default=False)
    annual_salary = models.DecimalField(max_digits=10, decimal_places=2)
    employer_ni = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    employer_pension = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["staff", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=48),
                name="contract_hours_within_working_time",
            ),
            models.CheckConstraint(
                condition=Q(annual_salary__gte=0), name="contract_salary_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.job_role} at {self.employer}"

    @property
    def wte(self) -> Decimal:
        """Whole-time equivalent (37.5 hours = 1.0)."""
        return (self.hours_per_week / FULL_TIME_HOURS).quantize(Decimal("0.01"))

    @property
    def sessions_per_week(self) -> Decimal:
        return (self.hours_per_week / HOURS_PER_SESSION).quantize(Decimal("0.1"))

    @property
    def annual_cost(self) -> Decimal:
        return self.annual_salary + self.employer_ni + self.employer_pension

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)


class Session(models.TextChoices):
    """The parts of a GP day a rota plans in."""

    AM = "am", "Morning (08:00–12:10)"
    PM = "pm", "Afternoon (13:30–17:40)"
    EVENING = "evening", "Evening (18:30–20:00)"


class Availability(models.Model):
    """A weekly pattern: the sessions a person can normally work on each weekday."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    session = models.CharField(max_length=10, choices=Session.choices)

    class Meta:
        ordering = ["staff", "weekday", "session"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "weekday", "session"], name="one_slot"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekday_in_week"),
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.weekday} {self.session}"


class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    STUDY = "study", "Study leave"
    PARENTAL = "parental", "Parental leave"
    OTHER = "other", "Other"


class AbsenceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class Absence(models.Model):
    """Leave or absence from first_day to last_day inclusive; leave is requested, then decided."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=16, choices=AbsenceKind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.CharField(
        max_length=12, choices=AbsenceStatus.choices, default=AbsenceStatus.REQUESTED
    )
    note = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_kind_display()} {self.first_day}–{self.last_day}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class TrainingRecord(models.Model):
    """A completed course (e.g. basic life support), with when it must be renewed."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=150)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["staff", "-completed_on"]

    def __str__(self) -> str:
        return f"{self.staff}: {self.course} ({self.completed_on})"

    def is_expired(self, on: dt.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (on or dt.date.today())
