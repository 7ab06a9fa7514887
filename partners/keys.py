"""API keys for partner organisations: issued, rotated and revoked here, and nowhere else.

A key is issued to an organisation and acts as its API account (one per
organisation, made on first issue: ``Staff.is_service_account``, a partner
caseworker of that organisation that cannot sign in), so the access rules, the
services and history treat the key as that organisation. The key is returned once,
from ``issue_key``; only its hash is kept.

Rotating a key issues a new one and lets the old one work on for an overlap (it
expires then, or earlier if revoked), so a partner can change its systems over
without a gap.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, Staff
from cases import access
from cases.choices import PARTNER_ORGANISATION_KINDS
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as
from partners.models import PartnerAPIKey

# Organisations that may hold keys: partners, not police forces or navigator services.
KEY_HOLDING_KINDS = PARTNER_ORGANISATION_KINDS
DEFAULT_ROTATION_OVERLAP = timedelta(days=7)


@dataclass(frozen=True)
class IssuedKey:
    api_key: PartnerAPIKey
    key: str  # the key itself: show it once, never store or log it


def _require_administrator(acting_user: Any, organisation_id: int) -> None:
    # None is the command line (manage.py partner_key), run by whoever runs the service.
    if acting_user is not None and not access.may_manage_partner_keys(acting_user, organisation_id):
        raise PermissionDenied(
            "Only administrators, and the organisation's own partner administrators, "
            "issue and revoke its API keys."
        )


def service_account_for(organisation: Organisation, *, acting_user: Any) -> Staff:
    """The organisation's API account, made the first time it needs one."""
    account = Staff.objects.filter(organisation=organisation, is_service_account=True).first()
    if account is not None:
        return account
    account = Staff(
        username=f"api.{organisation.slug}"[:150],
        first_name=organisation.name[:150],
        last_name="(API)",
        role=Role.PARTNER_CASEWORKER,
        organisation=organisation,
        is_service_account=True,
        password=make_password(None),  # unusable: this account never signs in
    )
    save_as(account, acting_user)
    return account


@transaction.atomic
def issue_key(
    *,
    organisation: Organisation,
    name: str,
    acting_user: Any,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> IssuedKey:
    """Issue a key to ``organisation``; the result holds the key, shown only this once."""
    _require_administrator(acting_user, organisation.pk)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if organisation.kind not in KEY_HOLDING_KINDS:
        errors["organisation"] = [f"{organisation} is not a partner organisation."]
    if not name.strip() or len(name.strip()) > 50:
        errors["name"] = ["Name the key (up to 50 characters), e.g. the system that uses it."]
    if expires_at is not None and (timezone.is_naive(expires_at) or expires_at <= now):
        errors["expires_at"] = ["Give an expiry in the future, with its time zone."]
    if errors:
        raise ValidationError(errors)
    # One issue at a time per organisation, so its API account is made once.
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk"))
    service_account_for(organisation, acting_user=acting_user)
    api_key = PartnerAPIKey(
        organisation=organisation,
        name=name.strip(),
        expiry_date=expires_at,
        issued_by=acting_user,
    )
    key = PartnerAPIKey.objects.assign_key(api_key)
    save_as(api_key, acting_user)
    return IssuedKey(api_key=api_key, key=key)


@transaction.atomic
def revoke_key(
    *, api_key: PartnerAPIKey, acting_user: Any, now: datetime | None = None
) -> PartnerAPIKey:
    """Stop a key working, from the next request on. It cannot be undone."""
    _require_administrator(acting_user, api_key.organisation_id)
    api_key = PartnerAPIKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked:
        return api_key
    api_key.revoked = True
    api_key.revoked_at = now or timezone.now()
    api_key.revoked_by = acting_user
    save_as(api_key, acting_user, update_fields=["revoked", "revoked_at", "revoked_by"])
    return api_key


@transaction.atomic
def rotate_key(
    *,
    api_key: PartnerAPIKey,
    acting_user: Any,
    overlap: timedelta = DEFAULT_ROTATION_OVERLAP,
    now: datetime | None = None,
) -> IssuedKey:
    """Issue a key to take over from ``api_key``, which keeps working for ``overlap``.

    The new key keeps the old one's name and expiry (if that is later than the
    overlap); the old key expires at the end of the overlap, or keeps its own
    expiry if that comes sooner. Revoking the old key ends the overlap at once.
    """
    _require_administrator(acting_user, api_key.organisation_id)
    now = now or timezone.now()
    old = PartnerAPIKey.objects.select_for_update().get(pk=api_key.pk)
    if old.revoked or (old.expiry_date is not None and old.expiry_date <= now):
        raise field_error("api_key", "This key no longer works: issue a new one instead.")
    if old.replaced_by_id is not None:
        raise field_error("api_key", "This key has already been rotated.")
    if overlap < timedelta(0):
        raise field_error("overlap", "The overlap cannot be negative.")
    overlap_ends = now + overlap
    keeps_expiry = old.expiry_date is not None and old.expiry_date > overlap_ends
    issued = issue_key(
        organisation=old.organisation,
        name=old.name,
        acting_user=acting_user,
        expires_at=old.expiry_date if keeps_expiry else None,
        now=now,
    )
    old.replaced_by = issued.api_key
    old.expiry_date = min(old.expiry_date or overlap_ends, overlap_ends)
    save_as(old, acting_user, update_fields=["replaced_by", "expiry_date"])
    return issued


@dataclass(frozen=True)
class KeyCredentials:
    """What a request made with a key carries as ``request.auth``."""

    prefix: str
    organisation_id: int
    expires_at: datetime | None


PRINCIPAL_SQL = f"""
    SELECT staff.*, api_key.hashed_key AS key_hash, api_key.expiry_date AS key_expires_at
    FROM {Staff._meta.db_table} staff
    JOIN {PartnerAPIKey._meta.db_table} api_key
      ON api_key.organisation_id = staff.organisation_id
    WHERE api_key.prefix = %s AND NOT api_key.revoked
      AND staff.is_service_account AND staff.is_active
    LIMIT 1
"""  # noqa: S608 - table names from the models; the prefix is a parameter


def principal_for(key: str, *, now: datetime) -> tuple[Staff, KeyCredentials] | None:
    """The API account a key acts as, if the key is known, not revoked and not expired.

    One query: the key and its organisation's account together. The hash is
    compared in constant time (djangorestframework-api-key).
    """
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix or len(prefix) > 8:
        return None
    # One query on every request, so written out: the ORM takes longer to build it than
    # the database takes to answer. The prefix is unique: at most one row.
    found = list(Staff.objects.raw(PRINCIPAL_SQL, [prefix]))
    account = found[0] if found else None
    if account is None or not PartnerAPIKey.objects.key_generator.verify(key, account.key_hash):
        return None
    if account.key_expires_at is not None and account.key_expires_at <= now:
        return None
    return _principal(account, prefix, account.key_expires_at)


def _principal(
    account: Staff, prefix: str, expires_at: datetime | None
) -> tuple[Staff, KeyCredentials]:
    account.api_key_prefix = prefix
    return account, KeyCredentials(
        prefix=prefix, organisation_id=account.organisation_id, expires_at=expires_at
    )


def key_hash(key: str) -> str | None:
    """What ``PartnerAPIKey.hashed_key`` holds for ``key``, so the database can find a key
    by it; None for a key that cannot be one of ours.

    The database compares hashes, never the key itself (which is not sent to it, so it
    cannot reach its logs): how long a comparison takes tells a caller nothing about a
    key, only about a SHA-512 of what they sent."""
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix or len(prefix) > 8:
        return None
    return PartnerAPIKey.objects.key_generator.hash(key)


# The columns of the API account a key acts as, and that key's expiry, for a query that
# finds them by the key's prefix and hash together with what the request reads (see
# ``partners.selectors.key_and_feed_page``). Keys hashed another way (none are issued
# so) are not found by it, and are checked by ``principal_for``.
ACCOUNT_FIELDS = [field for field in Staff._meta.concrete_fields]
KEY_ACCOUNT_SQL = f"""
    SELECT {", ".join(f"staff.{field.column}" for field in ACCOUNT_FIELDS)},
           api_key.expiry_date AS key_expires_at
    FROM {Staff._meta.db_table} staff
    JOIN {PartnerAPIKey._meta.db_table} api_key
      ON api_key.organisation_id = staff.organisation_id
    WHERE api_key.prefix = %(prefix)s AND api_key.hashed_key = %(hashed_key)s
      AND NOT api_key.revoked
      AND (api_key.expiry_date IS NULL OR api_key.expiry_date > %(now)s)
      AND staff.is_service_account AND staff.is_active
    LIMIT 1
"""  # noqa: S608 - table and column names from the models; the rest are parameters
_CONVERTERS = [
    (index, field) for index, field in enumerate(ACCOUNT_FIELDS) if hasattr(field, "from_db_value")
]


def principal_from_row(prefix: str, row: Sequence[Any]) -> tuple[Staff, KeyCredentials]:
    """The principal from a row of ``KEY_ACCOUNT_SQL``'s columns."""
    values = list(row[: len(ACCOUNT_FIELDS)])
    for index, field in _CONVERTERS:
        values[index] = field.from_db_value(values[index], None, connection)
    account = Staff.from_db(connection.alias, [f.attname for f in ACCOUNT_FIELDS], values)
    return _principal(account, prefix, row[len(ACCOUNT_FIELDS)])
