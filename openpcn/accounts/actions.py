"""Writes to accounts: users and memberships. Each action checks permission and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from openpcn.accounts.models import Membership, User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, Person


@transaction.atomic
def create_user(
    *,
    by: Any,
    username: str,
    password: str,
    organisation: Organisation | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    person: Person | None = None,
) -> User:
    """Create a sign-in account. A web user must manage memberships in `organisation` to do so."""
    if by is not None:
        if organisation is None:
            raise ValidationError("Say which organisation the new user will work in")
        require_permission(by, Permission.USER_MEMBERSHIP_MANAGE, organisation=organisation)
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, person=person
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        by=by,
        action="create_user",
        obj=user,
        organisation=organisation,
        after=audit.snapshot(user, exclude=("last_login", "groups", "user_permissions")),
    )
    return user


@transaction.atomic
def grant_membership(
    *, by: Any, user: User, organisation: Organisation, role: str, start_date: dt.date
) -> Membership:
    require_permission(by, Permission.USER_MEMBERSHIP_MANAGE, organisation=organisation)
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}")
    existing = Membership.objects.filter(
        user=user, organisation=organisation, role=role, end_date__isnull=True
    ).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        start_date=start_date,
        granted_by=by if by is not None else None,
    )
    audit.record(
        by=by,
        action="grant_membership",
        obj=membership,
        organisation=organisation,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def end_membership(*, by: Any, membership: Membership, end_date: dt.date) -> Membership:
    require_permission(by, Permission.USER_MEMBERSHIP_MANAGE, organisation=membership.organisation)
    if end_date < membership.start_date:
        raise ValidationError("A membership cannot end before it started")
    before = audit.snapshot(membership)
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit.record(
        by=by,
        action="end_membership",
        obj=membership,
        organisation=membership.organisation,
        before=before,
        after=audit.snapshot(membership),
    )
    return membership


def pending_totp_device(*, user: User) -> Any:
    """The user's unconfirmed authenticator, created on first use (not audited: no access yet)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_secret_base32(device: Any) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def confirm_totp_device(*, by: User, device: Any, token: str) -> bool:
    """Confirm an authenticator once the user proves it works with a current code."""
    if device.user_id != by.pk or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(by=by, action="enrol_two_factor", obj=device, object_label=f"{by} authenticator")
    return True


@transaction.atomic
def enrol_totp_device(*, by: Any, user: User, key_hex: str) -> Any:
    """Give a user a confirmed authenticator with a known key (demo logins, command line only)."""
    from django.core.exceptions import PermissionDenied
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if by is not None:
        raise PermissionDenied("Authenticators with known keys are set from the command line")
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=key_hex, confirmed=True
    )
    audit.record(by=by, action="enrol_two_factor", obj=device, object_label=f"{user} authenticator")
    return device
