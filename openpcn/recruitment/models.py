"""Recruitment: vacancies (approved before they open), applications made without an account,
shortlisting by a panel (blind when the vacancy says so), interviews, offers and the hire.

Equality monitoring answers (`EqualityRecord`) are kept apart from applications: no foreign key,
no name, no time, a random UUID key. The only tie is `link_key`, a keyed hash of the application's
id that the actions compute to mark the stage a candidate reached; no view, export or API reads it
against an application. See docs/adr/0013-recruitment-equality-monitoring.md.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from openpcn.workforce.models import FULL_TIME_HOURS, HOURS_PER_SESSION, Band


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    OPEN = "open", "Open for applications"
    SHORTLISTING = "shortlisting", "Shortlisting"
    INTERVIEWS = "interviews", "Interviews"
    OFFER = "offer", "Offer made"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The order a vacancy moves through; withdrawn may follow any stage before filled.
VACANCY_FLOW = [
    VacancyStatus.DRAFT,
    VacancyStatus.APPROVED,
    VacancyStatus.OPEN,
    VacancyStatus.SHORTLISTING,
    VacancyStatus.INTERVIEWS,
    VacancyStatus.OFFER,
    VacancyStatus.FILLED,
]


class Vacancy(models.Model):
    """A post to fill: the role, who employs it, where, how much time, pay and funding."""

    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="vacancies_in"
    )
    employer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="vacancies"
    )
    job_role = models.ForeignKey(
        "workforce.JobRole", on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the job is, for the public jobs page")
    sites = models.ManyToManyField("organisations.Site", blank=True, related_name="vacancies")
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    band = models.CharField(max_length=3, choices=Band.choices, blank=True)
    salary_from = models.DecimalField(max_digits=10, decimal_places=2)
    salary_to = models.DecimalField(max_digits=10, decimal_places=2)
    arrs_funded = models.BooleanField(default=False)
    closing_date = models.DateField()
    blind_shortlisting = models.BooleanField(
        default=True, help_text="The panel shortlists without names or personal details"
    )
    status = models.CharField(
        max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    filled_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_on", "title"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_to__gte=models.F("salary_from")) & Q(salary_from__gte=0),
                name="vacancy_salary_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=48),
                name="vacancy_hours_within_working_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.employer.name}"

    @property
    def wte(self) -> Decimal:
        return (self.hours_per_week / FULL_TIME_HOURS).quantize(Decimal("0.01"))

    @property
    def sessions_per_week(self) -> Decimal:
        return (self.hours_per_week / HOURS_PER_SESSION).quantize(Decimal("0.1"))

    @property
    def reference(self) -> str:
        return f"VAC-{self.pk:05d}"

    @property
    def full_time(self) -> bool:
        return self.hours_per_week >= FULL_TIME_HOURS


class Criterion(models.Model):
    """What the panel shortlists against, from the person specification."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=300)
    essential = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vacancy", "position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.text


class PanelMember(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recruitment_panels"
    )
    chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["vacancy", "-chair", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "user"], name="one_panel_seat_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} on {self.vacancy}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful after interview"
    OFFERED = "offered", "Offered"
    APPOINTED = "appointed", "Appointed"
    DECLINED = "declined", "Declined the offer"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    """A candidate's application, made without an account; their private link is kept hashed."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    number = models.PositiveIntegerField(help_text="Candidate number within the vacancy")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField()
    telephone = models.CharField(max_length=40, blank=True)
    professional_body = models.CharField(max_length=10, blank=True)
    registration_number = models.CharField(max_length=20, blank=True)
    cv_name = models.CharField(max_length=200)
    cv_path = models.CharField(max_length=300)
    cv_type = models.CharField(max_length=100)
    statement_name = models.CharField(max_length=200)
    statement_path = models.CharField(max_length=300)
    statement_type = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    applied_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    # SHA-256 of the candidate's private link (to see and withdraw the application).
    token_hash = models.CharField(max_length=64, unique=True)
    # SHA-256 of the one-use link to the optional equality form; cleared once used.
    equality_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["vacancy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "number"], name="one_candidate_number"),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.number} for {self.vacancy}"

    @property
    def candidate(self) -> str:
        """How a blind panel knows the candidate."""
        return f"Candidate {self.number}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


SCORE_LABELS = {
    0: "0 – no evidence",
    1: "1 – some evidence",
    2: "2 – meets the criterion",
    3: "3 – exceeds the criterion",
}


class Score(models.Model):
    """One panel member's score for one application against one criterion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    panel_member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "panel_member", "criterion"], name="one_score_each"
            ),
            models.CheckConstraint(condition=Q(value__lte=3), name="score_from_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.value} for {self.criterion}"


class InterviewOutcome(models.TextChoices):
    PENDING = "", "Not recorded yet"
    APPOINTABLE = "appointable", "Appointable"
    NOT_APPOINTABLE = "not_appointable", "Not appointable"


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300)
    outcome = models.CharField(max_length=16, choices=InterviewOutcome.choices, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="interview_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Interview: {self.application.candidate} at {self.starts_at:%d %b %Y %H:%M}"


class DbsLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


class Offer(models.Model):
    """The offer to one candidate; the pre-employment checks are recorded against it."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="offer")
    made_on = models.DateField()
    start_date = models.DateField()
    annual_salary = models.DecimalField(max_digits=10, decimal_places=2)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    band = models.CharField(max_length=3, choices=Band.choices, blank=True)
    home_practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    accepted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    right_to_work_evidence = models.CharField(max_length=200, blank=True)
    registration_checked_on = models.DateField(null=True, blank=True)
    dbs_level = models.CharField(max_length=16, choices=DbsLevel.choices, blank=True)
    dbs_certificate = models.CharField(max_length=20, blank=True)
    dbs_checked_on = models.DateField(null=True, blank=True)
    contract = models.OneToOneField(
        "workforce.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_salary__gte=0), name="offer_salary_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=48),
                name="offer_hours_within_working_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer to {self.application.candidate} for {self.application.vacancy}"

    @property
    def open(self) -> bool:
        return self.accepted_on is None and self.declined_on is None


# --- equality monitoring: kept apart, reported only in aggregate -----------------------------


class AgeBand(models.TextChoices):
    UNDER_25 = "16-24", "16 to 24"
    FROM_25 = "25-34", "25 to 34"
    FROM_35 = "35-44", "35 to 44"
    FROM_45 = "45-54", "45 to 54"
    FROM_55 = "55-64", "55 to 64"
    OVER_65 = "65+", "65 or over"
    NOT_SAID = "not_said", "Prefer not to say"


class SexAnswer(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_SAID = "not_said", "Prefer not to say"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SAID = "not_said", "Prefer not to say"


class Ethnicity(models.TextChoices):
    """The five high-level groups of the 2021 Census (England)."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_SAID = "not_said", "Prefer not to say"


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    NOT_SAID = "not_said", "Prefer not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Another religion"
    NOT_SAID = "not_said", "Prefer not to say"


# (field, question, choices): the form and the report read this one list.
EQUALITY_QUESTIONS: list[tuple[str, str, type[models.TextChoices]]] = [
    ("age_band", "Your age", AgeBand),
    ("sex", "Your sex", SexAnswer),
    (
        "gender_same_as_birth",
        "Is your gender the same as the sex you were registered at birth?",
        YesNo,
    ),
    ("ethnicity", "Your ethnic group", Ethnicity),
    ("disability", "Do you consider yourself to have a disability?", YesNo),
    ("sexual_orientation", "Your sexual orientation", SexualOrientation),
    ("religion", "Your religion or belief", Religion),
]


class EqualityRecord(models.Model):
    """One candidate's optional equality monitoring answers and the furthest stage they reached.

    No application, name, vacancy or time: a random key, the alliance and the financial year.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year by its first April")
    # Keyed hash (HMAC-SHA256 under SECRET_KEY) of the application id; only actions compute it.
    link_key = models.CharField(max_length=64, unique=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=10, choices=SexAnswer.choices, blank=True)
    gender_same_as_birth = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=14, choices=SexualOrientation.choices, blank=True
    )
    religion = models.CharField(max_length=10, choices=Religion.choices, blank=True)
    shortlisted = models.BooleanField(default=False)
    appointed = models.BooleanField(default=False)

    class Meta:
        # Ordered by the random key, so no listing follows the order of applying.
        ordering = ["id"]

    def __str__(self) -> str:
        return "Equality monitoring answers"
