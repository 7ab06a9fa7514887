"""Keeping the directory: one write path for the pages, the admin and the demo."""

from datetime import datetime
from typing import Any

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Staff
from cases import access
from directory.choices import SpecialistRole
from directory.models import DirectoryEntry
from navigator.errors import PermissionDenied, ValidationError
from navigator.history import save_as

FIELDS = ("role", "title", "mailbox", "phone", "hours", "person_name", "languages", "notes")


def entry_problems(values: dict[str, str]) -> dict[str, list[str]]:
    """What is wrong with an entry's tidied values, by field (the admin's form asks too)."""
    errors: dict[str, list[str]] = {}
    if values.get("role") not in SpecialistRole.values:
        errors["role"] = ["Choose the role."]
    if not values.get("title"):
        errors["title"] = ["Say what the role is called in your organisation."]
    if values.get("mailbox"):
        try:
            validate_email(values["mailbox"])
        except ValidationError:
            errors["mailbox"] = ["Enter the mailbox as an email address, like team@force.uk."]
    if not values.get("mailbox") and not values.get("phone"):
        errors["phone"] = ["Give a duty phone or a role mailbox, so people can reach the role."]
    return errors


@transaction.atomic
def save_entry(
    *,
    acting_user: Staff,
    organisation: Organisation,
    entry: DirectoryEntry | None = None,
    is_active: bool = True,
    now: datetime | None = None,
    **fields: Any,
) -> DirectoryEntry:
    """Add an entry to ``organisation``'s part of the directory, or change ``entry``.

    Administrators keep any organisation's entries, an organisation's people their own
    (``cases.access.may_keep_directory_entry``). An entry says how to reach the role: a
    mailbox or a duty phone; a person's name only beside them.
    """
    if entry is not None and entry.organisation_id != organisation.pk:
        raise PermissionDenied("That entry belongs to another organisation.")
    if not access.may_keep_directory_entry(acting_user, organisation.pk):
        raise PermissionDenied("You may not change this organisation's entries.")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown directory fields: {sorted(unknown)}")
    values = {name: str(fields.get(name, "") or "").strip() for name in FIELDS}
    if errors := entry_problems(values):
        raise ValidationError(errors)
    if entry is None:
        entry = DirectoryEntry(organisation=organisation)
    else:
        entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.is_active = is_active
    entry.updated_at = now or timezone.now()
    save_as(entry, acting_user)
    return entry
