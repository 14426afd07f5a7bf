"""Users and their memberships: which role a user holds in which organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from openpcn.accounts.roles import ROLE_CHOICES, ROLES, Role


class User(AbstractUser):
    # The registry person this account belongs to, when there is one.
    person = models.OneToOneField(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    def roles(self) -> list[Role]:
        return [ROLES[m.role] for m in self.memberships.filter(end_date__isnull=True)]

    @property
    def requires_two_factor(self) -> bool:
        return any(role.requires_two_factor for role in self.roles())


class Membership(models.Model):
    """A user holding a role in an organisation (alliance, place, PCN or practice)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="user_memberships"
    )
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user", "organisation", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_user_organisation_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    @property
    def role_obj(self) -> Role:
        return ROLES[self.role]
