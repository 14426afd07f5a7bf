"""The contracts register: who holds which contract with whom, what it obliges, and who delivers.

A contract has a holder (who is accountable under it) and a counterparty (to whom the holder
answers): for a GMS contract the practice's partners and the commissioner; for a lease the tenant
and the landlord; for a sub-contract the sub-contractor (holder, who delivers) and the contractor
it answers to (counterparty), with `parent` naming the contract whose obligations it takes on.
Either party is an organisation of the registry or, for bodies outside it (an ICB, a landlord),
a name. An obligation delegated to a sub-contract stays the parent holder's responsibility: the
accountability map (accountability.py) draws that chain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ContractKind(models.TextChoices):
    GMS = "gms", "GMS contract"
    PMS = "pms", "PMS agreement"
    APMS = "apms", "APMS contract"
    NETWORK_DES = "network_des", "Network Contract DES"
    LOCAL_SERVICE = "les", "Local enhanced service"
    SUBCONTRACT = "subcontract", "Sub-contract"
    HOSTING = "hosting", "Hosting or employment agreement"
    DATA_SHARING = "data_sharing", "Data-sharing agreement"
    LEASE = "lease", "Lease"
    OTHER = "other", "Other"


class Contract(models.Model):
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ContractKind.choices)
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    holder = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_held"
    )
    holder_label = models.CharField(
        max_length=200, blank=True, help_text="How the holder is named, e.g. 'The partners of …'"
    )
    counterparty = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_as_counterparty",
    )
    counterparty_name = models.CharField(
        max_length=200, blank=True, help_text="A body outside the registry: an ICB, a landlord"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcontracts",
        help_text="For a sub-contract: the contract whose obligations it takes on",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day; empty if open-ended")
    annual_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(default=0)
    renews_automatically = models.BooleanField(default=False)
    renewal_date = models.DateField(null=True, blank=True)
    site = models.ForeignKey(
        "organisations.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="For a lease: the premises",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["holder__name", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_register_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(counterparty__isnull=False) | ~Q(counterparty_name=""),
                name="contract_has_a_counterparty",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def holder_name(self) -> str:
        return self.holder_label or self.holder.name

    @property
    def counterparty_label(self) -> str:
        return self.counterparty_name or (self.counterparty.name if self.counterparty else "")


class ContractDocument(models.Model):
    """A file of a contract (the signed contract, a schedule, a variation), kept privately."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, default="contract")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=400, help_text="Under DATA_DIR")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class ObligationStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    BREACHED = "breached", "Breached"
    MET = "met", "Met"


class Obligation(models.Model):
    """Something a contract's holder must deliver, by a date or on a cycle, with its evidence."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="obligations")
    clause = models.CharField(
        max_length=60, help_text="Where the contract says so, e.g. 'Clause 7.2'"
    )
    description = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    recurrence = models.CharField(max_length=100, blank=True, help_text="e.g. 'monthly'")
    evidence = models.TextField(blank=True, help_text="What shows it was delivered")
    status = models.CharField(
        max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.ON_TRACK
    )

    class Meta:
        ordering = ["contract", "clause", "pk"]

    def __str__(self) -> str:
        return f"{self.clause}: {self.description}"


class Delegation(models.Model):
    """An obligation handed, in whole or in part, to a sub-contract's holder to deliver."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="delegations")
    subcontract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="delegations_taken"
    )
    in_whole = models.BooleanField(default=True)
    part = models.CharField(max_length=300, blank=True, help_text="Which part, if not all of it")
    clause = models.CharField(max_length=60, help_text="The sub-contract's clause that takes it on")

    class Meta:
        ordering = ["obligation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "subcontract"], name="one_delegation_per_subcontract"
            ),
            models.CheckConstraint(
                condition=Q(in_whole=True) | ~Q(part=""), name="a_part_delegation_says_which"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} → {self.subcontract}"


class Tenure(models.TextChoices):
    OWNED = "owned", "Owned"
    LEASED = "leased", "Leased"
    LICENCE = "licence", "Licence to occupy"


class Premises(models.Model):
    """How a site is held: owned by an organisation, or leased (linked to the lease)."""

    site = models.OneToOneField(
        "organisations.Site", on_delete=models.PROTECT, related_name="premises"
    )
    tenure = models.CharField(max_length=10, choices=Tenure.choices)
    owner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who owns or holds it",
    )
    landlord = models.CharField(max_length=200, blank=True)
    lease = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="premises"
    )
    annual_rent = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    break_dates = models.CharField(
        max_length=200, blank=True, help_text="ISO dates, comma-separated, e.g. 2027-03-31"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["site__name"]
        verbose_name_plural = "premises"
        constraints = [
            models.CheckConstraint(
                condition=~Q(tenure="leased") | Q(lease__isnull=False),
                name="leased_premises_have_a_lease",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.get_tenure_display()}"


# --- the PCN Network Agreement: the locally completed schedules, versioned and signed -----------


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft, awaiting signatures"
    SIGNED = "signed", "Signed by every partner"
    SUPERSEDED = "superseded", "Superseded"


class DirectorVoting(models.TextChoices):
    """Schedule 1: how member practices' votes count when they appoint the Clinical Director."""

    ONE_PER_PRACTICE = "per_practice", "One vote per member practice"
    LIST_SIZE = "list_size", "Weighted by registered list size"


class QuorumBasis(models.TextChoices):
    PRACTICES = "practices", "Share of member practices voting"
    LIST_SIZE = "list_size", "Share of the PCN's registered list voting"


class NetworkAgreement(models.Model):
    """A version of a PCN's Network Agreement. The national clauses are fixed and not stored; the
    local schedules are. Schedule 1's members, Clinical Director and nominated payee and Schedule
    4's finance rules are read from the registry and finance as on `effective_from`, not copied."""

    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="network_agreements"
    )
    version = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    status = models.CharField(
        max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    network_area = models.TextField(blank=True, help_text="Schedule 1: the network area")
    governance = models.TextField(
        blank=True, help_text="Schedule 1: meetings, decision-making, how the CD is appointed"
    )
    director_voting = models.CharField(
        max_length=12,
        choices=DirectorVoting.choices,
        default=DirectorVoting.ONE_PER_PRACTICE,
        help_text="Schedule 1: how practices' votes count when appointing the Clinical Director",
    )
    director_quorum_basis = models.CharField(
        max_length=12, choices=QuorumBasis.choices, default=QuorumBasis.PRACTICES
    )
    director_quorum_percent = models.PositiveSmallIntegerField(
        default=50, help_text="Schedule 1: the share (%) that must vote for the vote to count"
    )
    director_term_months = models.PositiveSmallIntegerField(
        default=36, help_text="Schedule 1: the Clinical Director's term of office, in months"
    )
    local_terms = models.TextField(blank=True, help_text="Schedule 2: additional local terms")
    activities = models.TextField(blank=True, help_text="Schedule 3: activities to meet the DES")
    workforce = models.TextField(blank=True, help_text="Schedule 5: sharing and employing staff")
    external_arrangements = models.TextField(
        blank=True, help_text="Schedule 7: arrangements with organisations outside the PCN"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "version"], name="one_network_agreement_version"
            ),
            models.CheckConstraint(
                condition=Q(director_quorum_percent__gte=1, director_quorum_percent__lte=100),
                name="director_quorum_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(director_term_months__gte=1), name="director_term_at_least_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} Network Agreement, version {self.version}"

    @property
    def director_terms(self) -> str:
        """Schedule 1's terms for appointing the Clinical Director, as one sentence."""
        years, months = divmod(self.director_term_months, 12)
        term = " and ".join(
            part
            for part in (
                f"{years} year{'s' if years != 1 else ''}" if years else "",
                f"{months} month{'s' if months != 1 else ''}" if months else "",
            )
            if part
        )
        basis = "member practices" if self.director_quorum_basis == "practices" else "the list"
        return (
            f"{DirectorVoting(self.director_voting).label}; quorum {self.director_quorum_percent}% "
            f"of {basis}; term of office {term}"
        )


class AgreementSignature(models.Model):
    """A partner of a member practice signing a version of the agreement for their practice."""

    agreement = models.ForeignKey(
        NetworkAgreement, on_delete=models.PROTECT, related_name="signatures"
    )
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField()

    class Meta:
        ordering = ["practice__name", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person", "practice"], name="one_signature_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.practice}, {self.signed_on}"
