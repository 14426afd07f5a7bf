"""The directory of local services, in the Open Referral UK (HSDS 3.0 UK profile) data model.

Tables and field names are ORUK's (see docs/adr/0012-directory-open-referral-uk.md): a provider is
ORUK's `organization` (named `Provider` here so it is never mistaken for a registry
`Organisation`). Every row has the UUID id the standard requires, kept from the feed it came from.
Nested rows keep their feed order in `position`. Two fields are local, not ORUK's: a provider's and
location's `alliance` (whose directory the entry is in) and a service's `review_date`.

References the standard lets point outside a dataset (`parent_id`, `taxonomy_id`,
`parent_organization_id`, `phone_id`) are kept as plain UUIDs rather than foreign keys.
No patient data is ever stored here.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class Record(models.Model):
    """Every ORUK table: a UUID id, and (for nested rows) the order the feed gave."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Taxonomy(Record):
    name = models.CharField(max_length=255)
    description = models.TextField()
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=100, blank=True)

    class Meta(Record.Meta):
        ordering = ["name", "id"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Record):
    name = models.CharField(max_length=255)
    description = models.TextField()
    parent_id = models.UUIDField(null=True, blank=True, db_index=True)
    # ORUK's free-text name of the taxonomy in use (not a reference).
    taxonomy = models.CharField(max_length=255, blank=True)
    taxonomy_id = models.UUIDField(null=True, blank=True, db_index=True)
    term_uri = models.URLField(max_length=500, blank=True)
    term = models.CharField(max_length=255, blank=True)

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Provider(Record):
    """ORUK `organization`: the statutory, voluntary, community or faith body running services."""

    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="service_providers"
    )
    name = models.CharField(max_length=255)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent_organization_id = models.UUIDField(null=True, blank=True)

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(Record):
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class Service(Record):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    # Local: when the entry must next be checked with its provider (past it, shown as overdue).
    review_date = models.DateField()

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def alliance_id(self) -> int:
        return self.provider.alliance_id

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return self.review_date < (today or dt.date.today())


class Location(Record):
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="service_locations"
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)

    class Meta(Record.Meta):
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(Record):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=10, choices=LocationType.choices)

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(Record):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    accessibility = models.TextField(blank=True)

    class Meta(Record.Meta):
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description or self.accessibility


class ServiceAtLocation(Record):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="service_at_locations"
    )

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Schedule(Record):
    """When a service runs: an iCalendar-style rule (freq, interval, byday) with opening times."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=7, choices=Frequency.choices, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"


class ServiceArea(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    service_area = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name or self.service_area


class Language(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    phone_id = models.UUIDField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.id)


class Funding(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.source


class CostOption(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True)
    amount = models.FloatField(null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option or self.amount_description


class Contact(Record):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.name or self.title


class Phone(Record):
    """ORUK's `phone` table (a contact's number), published inside a contact as HSDS's `phones`."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=50)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.number


class LinkEntity(models.TextChoices):
    SERVICE = "service", "Service"
    ORGANIZATION = "organization", "Organisation"
    ORGANIZATION_IDENTIFIER = "organization_identifier", "Organisation identifier"
    LOCATION = "location", "Location"
    ADDRESS = "address", "Address"
    ACCESSIBILITY = "accessibility", "Accessibility"
    CONTACT = "contact", "Contact"


class Attribute(Record):
    """A taxonomy term applied to a row of another table (`link_id`), as ORUK's `attribute`."""

    link_id = models.UUIDField(db_index=True)
    link_entity = models.CharField(max_length=30, choices=LinkEntity.choices)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes"
    )
    link_type = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.taxonomy_term} on {self.link_entity} {self.link_id}"


class Postcode(models.Model):
    """A postcode's centroid, loaded from an ONS Postcode Directory-style file (no lookups online)."""

    # Upper case with one space before the inward code ("LS1 4AP").
    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    def __str__(self) -> str:
        return self.postcode


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class FeedImport(models.Model):
    """An ORUK feed uploaded on the import page: checked and loaded by a background task."""

    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    summary = models.CharField(max_length=500, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
