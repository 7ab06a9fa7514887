"""Reads for partner organisations, scoped by the access rules: an organisation sees its
own notices and keys, and nothing of any other organisation's."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import F, QuerySet, Value, When

from accounts.models import Staff
from cases import access
from cases.models import Case
from navigator.db import fetch_all
from partners import keys
from partners.keys import KeyCredentials
from partners.models import PartnerAPIKey, PartnerNotice, PartnerReport


def notices_for(user: Any) -> QuerySet[PartnerNotice]:
    """The notices sent to ``user``'s organisation, if they act for a partner; else none.

    Notices carry only the pseudonymous case reference, so reading them is not a read
    of a victim's record (the case detail is, and is logged).
    """
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is None:
        return PartnerNotice.objects.none()
    return PartnerNotice.objects.filter(organisation_id=organisation_id)


def inbox(
    user: Any, *, kinds: list[str] | None = None, acknowledged: bool | None = None
) -> QuerySet[PartnerNotice]:
    """The notices a partner caseworker works through: those still to acknowledge first,
    then newest first; optionally only some kinds, or only (un)acknowledged ones."""
    notices = notices_for(user).select_related("case")
    if kinds:
        notices = notices.filter(kind__in=kinds)
    if acknowledged is not None:
        notices = notices.filter(acknowledged_at__isnull=not acknowledged)
    waiting_first = CaseWhen(When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1))
    return notices.order_by(waiting_first, F("created_at").desc(), F("id").desc())


def keys_for(user: Any) -> QuerySet[PartnerAPIKey]:
    """The API keys of ``user``'s organisation (their prefixes and dates, never the keys)."""
    organisation_id = access.partner_organisation_id(user)
    if organisation_id is None:
        return PartnerAPIKey.objects.none()
    return PartnerAPIKey.objects.filter(organisation_id=organisation_id)


def reports_on(user: Any, case: Case) -> list[PartnerReport]:
    """What partners reported on a case ``user`` may see, if their role shows reports."""
    if access.CaseField.PARTNER_REPORTS not in access.case_fields(user, case):
        return []
    reports = PartnerReport.objects.filter(case=case).select_related("organisation")
    if access.CaseField.NOTES not in access.case_fields(user, case):
        reports = reports.defer("note")
    return list(reports[:20])


@dataclass(frozen=True)
class KeyAndFeedPage:
    """A request's key, checked, and its organisation's page of the notice feed."""

    account: Staff
    credentials: KeyCredentials
    rows: list[tuple[Any, ...]]  # FEED_COLUMNS, at most the number asked for, by id


# The feed's columns, as ``partners.api.serializers.FEED_VALUES`` names them.
FEED_COLUMNS = """n.id, n.kind, c.reference, n.subject, n.happens_at, n.created_at,
    n.acknowledged_at"""
_NOTICE_COLUMNS = len(FEED_COLUMNS.split(","))
# One round trip: the key's account (a row of its own, with no notice) and, only if the
# key works, a page of its organisation's notices (rows with no account), by id.
KEY_AND_FEED_PAGE_SQL = f"""
    WITH account AS MATERIALIZED ({keys.KEY_ACCOUNT_SQL})
    (SELECT account.*, {", ".join(["NULL"] * _NOTICE_COLUMNS)} FROM account)
    UNION ALL
    (SELECT {", ".join(["NULL"] * (len(keys.ACCOUNT_FIELDS) + 1))}, page.*
     FROM account CROSS JOIN LATERAL (
       SELECT {FEED_COLUMNS}
       FROM {PartnerNotice._meta.db_table} n JOIN {Case._meta.db_table} c ON c.id = n.case_id
       WHERE n.organisation_id = account.organisation_id
         -- id > after, written (with the organisation taken from the account, not a value)
         -- so that every plan walks the organisation's own index (notice_feed) from the
         -- cursor, rather than every organisation's notices by id, skipping the others'
         AND (n.organisation_id, n.id) > (account.organisation_id, %(after)s::bigint)
       ORDER BY n.organisation_id, n.id LIMIT %(limit)s::bigint
     ) page)
"""  # noqa: S608 - table and column names from the models; the rest are parameters


def key_and_feed_page(key: str, *, after: int, limit: int, now: datetime) -> KeyAndFeedPage | None:
    """The account ``key`` acts as and up to ``limit`` of its organisation's notices after
    id ``after``, in one query; None if the key is not found working (mistyped, revoked,
    expired, or hashed in a way only ``keys.principal_for`` checks).

    The notices are the page of ``notices_for(account)``: the query reads the key's
    organisation's notices, and they are kept only if the access rules say the account
    reads that organisation's notices.
    """
    hashed_key = keys.key_hash(key)
    if hashed_key is None:
        return None
    prefix = key.partition(".")[0]
    params = {"prefix": prefix, "hashed_key": hashed_key, "now": now, "after": after}
    rows = fetch_all(KEY_AND_FEED_PAGE_SQL, {**params, "limit": limit})
    found = [row for row in rows if row[0] is not None]
    if not found:
        return None
    account, credentials = keys.principal_from_row(prefix, found[0])
    if access.partner_organisation_id(account) != account.organisation_id:
        return KeyAndFeedPage(account=account, credentials=credentials, rows=[])
    notices = sorted(
        (row[-_NOTICE_COLUMNS:] for row in rows if row[0] is None), key=lambda row: row[0]
    )
    return KeyAndFeedPage(account=account, credentials=credentials, rows=notices)
