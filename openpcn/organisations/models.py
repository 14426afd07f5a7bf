"""The organisation registry.

One `Organisation` table holds every body, as ODS does: an alliance (the at-scale body: alliance,
federation or collaborative), a place, a PCN (`Network`) or a practice. Proxy models give each kind
its own name and manager. Practice→PCN membership is dated so history is kept (docs/adr/0002).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class OrganisationKind(models.TextChoices):
    ALLIANCE = "alliance", "Alliance"
    PLACE = "place", "Place"
    NETWORK = "network", "Primary Care Network"
    PRACTICE = "practice", "GP practice"


class AllianceForm(models.TextChoices):
    ALLIANCE = "alliance", "GP alliance"
    FEDERATION = "federation", "GP federation"
    COLLABORATIVE = "collaborative", "Collaborative"


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    DORMANT = "dormant", "Dormant"
    PROPOSED = "proposed", "Proposed"


class Organisation(models.Model):
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices)
    # ODS code: the natural key for practices and PCNs; alliances and places may have none.
    ods_code = models.CharField(max_length=10, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    # The alliance an organisation belongs to; null for an alliance and for national records.
    alliance = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # A PCN's place (the area it sits in); null for other kinds.
    place = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="networks"
    )
    alliance_form = models.CharField(max_length=16, choices=AllianceForm.choices, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.TextField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # Commissioning geography as published (sub-ICB location, ICB, region); names change, codes kept.
    commissioner_code = models.CharField(max_length=10, blank=True)
    icb_code = models.CharField(max_length=10, blank=True)
    region_code = models.CharField(max_length=10, blank=True)
    prescribing_setting = models.PositiveSmallIntegerField(null=True, blank=True)
    clinical_system = models.CharField(max_length=40, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "alliance"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=models.F("open_date")),
                name="organisation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.ALLIANCE) | Q(alliance__isnull=True),
                name="alliance_has_no_parent_alliance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})" if self.ods_code else self.name

    @property
    def kind_label(self) -> str:
        return OrganisationKind(self.kind).label

    def as_kind(self) -> Organisation:
        """The proxy instance for this organisation's kind (Practice, Network…)."""
        proxy = PROXY_BY_KIND[self.kind]
        if type(self) is proxy:
            return self
        obj = proxy.__new__(proxy)
        obj.__dict__.update(self.__dict__)
        return obj


class _KindManager(models.Manager):
    """Only the organisations of one kind (the value of an `OrganisationKind`)."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=self.kind)


class Alliance(Organisation):
    objects = _KindManager("alliance")

    class Meta:
        proxy = True


class Place(Organisation):
    objects = _KindManager("place")

    class Meta:
        proxy = True


class Network(Organisation):
    """A Primary Care Network (PCN)."""

    objects = _KindManager("network")

    class Meta:
        proxy = True

    def practices_on(self, date: dt.date) -> models.QuerySet[Organisation]:
        return Practice.objects.filter(
            network_memberships__in=NetworkMembership.objects.current_on(date).filter(network=self)
        )


class Practice(Organisation):
    objects = _KindManager("practice")

    class Meta:
        proxy = True


PROXY_BY_KIND: dict[str, type[Organisation]] = {
    "alliance": Alliance,
    "place": Place,
    "network": Network,
    "practice": Practice,
}


class MembershipQuerySet(models.QuerySet):
    def current_on(self, date: dt.date) -> MembershipQuerySet:
        return self.filter(Q(start_date__lte=date), Q(end_date__isnull=True) | Q(end_date__gt=date))

    def current(self) -> MembershipQuerySet:
        return self.current_on(dt.date.today())


class NetworkMembership(models.Model):
    """A practice's membership of a PCN, from start_date up to (not including) end_date."""

    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="network_memberships"
    )
    network = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practice_memberships"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="network_membership_ends_after_start",
            ),
            # A practice is in at most one PCN at a time: at most one open membership.
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(end_date__isnull=True),
                name="one_open_network_membership_per_practice",
            ),
            models.UniqueConstraint(
                fields=["practice", "network", "start_date"], name="network_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} in {self.network} from {self.start_date}"


class SiteKind(models.TextChoices):
    MAIN = "main", "Main surgery"
    BRANCH = "branch", "Branch surgery"
    HUB = "hub", "Hub"


class Site(models.Model):
    """A building where care is given: a practice's main or branch surgery, or a PCN/alliance hub."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=SiteKind.choices)
    ods_code = models.CharField(max_length=10, unique=True, null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    offers_enhanced_access = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class PopulationSnapshot(models.Model):
    """A practice's registered list on a date, with its weighted and adjusted populations."""

    practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="population_snapshots"
    )
    date = models.DateField(help_text="The date the figures refer to (the extract date).")
    registered = models.PositiveIntegerField()
    weighted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    adjusted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["practice", "-date"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["practice", "date"], name="one_snapshot_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.registered} on {self.date}"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class PopulationBand(models.Model):
    """Registered patients of one sex in one age band (e.g. 5–9; the top band has no upper age)."""

    snapshot = models.ForeignKey(PopulationSnapshot, on_delete=models.CASCADE, related_name="bands")
    sex = models.CharField(max_length=8, choices=Sex.choices)
    age_from = models.PositiveSmallIntegerField()
    age_to = models.PositiveSmallIntegerField(null=True, blank=True)
    patients = models.PositiveIntegerField()

    class Meta:
        ordering = ["snapshot", "sex", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "sex", "age_from"], name="one_band_per_sex_and_age"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sex_display()} {self.label}: {self.patients}"

    @property
    def label(self) -> str:
        return f"{self.age_from}+" if self.age_to is None else f"{self.age_from}–{self.age_to}"


class Person(models.Model):
    """Someone who holds roles in the registry (a Clinical Director, a practice manager, a GP…)."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    professional_body = models.CharField(max_length=10, blank=True)  # GMC, NMC, GPhC, HCPC
    registration_number = models.CharField(max_length=20, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class RoleTitle(models.TextChoices):
    CLINICAL_DIRECTOR = "clinical_director", "Clinical Director"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    PCN_MANAGER = "pcn_manager", "PCN manager"
    GP_PARTNER = "gp_partner", "GP partner"
    SALARIED_GP = "salaried_gp", "Salaried GP"
    PRACTICE_NURSE = "practice_nurse", "Practice nurse"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    CLINICAL_PHARMACIST = "clinical_pharmacist", "Clinical pharmacist"
    PHYSICIAN_ASSOCIATE = "physician_associate", "Physician associate"
    SOCIAL_PRESCRIBER = "social_prescriber", "Social prescribing link worker"
    FIRST_CONTACT_PHYSIO = "first_contact_physio", "First contact physiotherapist"
    HEALTHCARE_ASSISTANT = "healthcare_assistant", "Healthcare assistant"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    FINANCE_LEAD = "finance_lead", "Finance lead"
    ANALYST = "analyst", "Analyst"


CLINICAL_ROLE_TITLES = frozenset(
    {
        RoleTitle.GP_PARTNER,
        RoleTitle.SALARIED_GP,
        RoleTitle.PRACTICE_NURSE,
        RoleTitle.ADVANCED_PRACTITIONER,
        RoleTitle.CLINICAL_PHARMACIST,
        RoleTitle.PHYSICIAN_ASSOCIATE,
        RoleTitle.SOCIAL_PRESCRIBER,
        RoleTitle.FIRST_CONTACT_PHYSIO,
        RoleTitle.HEALTHCARE_ASSISTANT,
        RoleTitle.CARE_COORDINATOR,
    }
)


class RoleHolding(models.Model):
    """A person holding a role in an organisation for a period; a person may hold several."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="role_holdings"
    )
    title = models.CharField(max_length=32, choices=RoleTitle.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "title", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="role_holding_ends_after_start",
            ),
            # One Clinical Director per PCN at a time.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(title="clinical_director", end_date__isnull=True),
                name="one_open_clinical_director_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_title_display()}, {self.organisation}"


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    MEMBER = "member", "Member"
    NON_EXECUTIVE = "non_executive", "Non-executive member"
    EXECUTIVE = "executive", "Executive member"


class BoardSeat(models.Model):
    """A seat on an alliance's board, often held by a PCN's Clinical Director representing it."""

    alliance = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="board_seats")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="board_seats")
    role = models.CharField(max_length=16, choices=BoardRole.choices, default=BoardRole.MEMBER)
    representing = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_representatives",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "role", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="board_seat_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.get_role_display()} of {self.alliance}"
