"""Notices to partner organisations: the outbox.

Every notice is written here, inside the transaction of the change that causes it
(a point of contact changed, a case paused, a share ended, a hard moment coming),
so a notice exists exactly when its change does and nothing about it depends on
the broker. Partners read them from the feed (``GET /api/v1/notices/``); what
delivers them elsewhere (webhooks) reads the same rows, by id. ``notices_recorded``
lets it ask for a nudge without this module knowing it exists: the rows are the
record of the work, the signal only says "soon".

Notices name the case by its pseudonymous reference and say what kind of thing
happened, in plain words: never the victim's details. A notice about a part of the
case (its points of contact, its events) goes only to organisations whose share
covers that part (``cases.access.share_covers``).

The feed is read in id order, so ids must follow the order notices are committed:
each writer takes the feed's lock for the rest of its transaction, and a
transaction that commits later therefore writes later ids. (SQLite, for the demo,
has one writer at a time anyway.)
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from alerts.sweep import refresh_cases
from cases import access
from cases.choices import CaseStatus, PocRole, ShareScope
from cases.models import Case, CaseEvent, CaseShare
from contacts.disengagement import TIPPING_POINT_KINDS
from navigator.history import save_as
from partners.models import NoticeKind, PartnerNotice

# pg_advisory_xact_lock key: any number no other part of Navigator uses.
FEED_LOCK = 7_000_001
# A notice about these kinds goes only to shares covering the part named.
KIND_NEEDS = {
    NoticeKind.TIPPING_POINT: ShareScope.EVENTS,
    NoticeKind.POINT_OF_CONTACT_CHANGED: ShareScope.POINTS_OF_CONTACT,
    NoticeKind.HANDOVER: ShareScope.HANDOVERS,
}


# Sent inside the transaction that wrote notices (``notices``: the rows). A receiver may
# only ask for work after commit (``navigator.nudge``); it must not write or fail.
notices_recorded = Signal()


def _hold_feed_lock() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("Notices are written inside the transaction of their change.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def record(notices: Sequence[PartnerNotice]) -> list[PartnerNotice]:
    """Write ``notices`` in the caller's transaction, in feed order."""
    if not notices:
        return []
    _hold_feed_lock()
    created = PartnerNotice.objects.bulk_create(notices)
    notices_recorded.send(sender=PartnerNotice, notices=created)
    return created


def partners_to_tell(
    case_ids: Sequence[int], *, part: str | None, now: datetime
) -> dict[int, list[int]]:
    """For each case, the organisations whose share is in force and covers ``part``
    (any share in force when ``part`` is None)."""
    told: dict[int, list[int]] = defaultdict(list)
    shares = CaseShare.objects.in_force(now).filter(case_id__in=case_ids)
    for case_id, organisation_id, covers, purpose in shares.values_list(
        "case_id", "organisation_id", "covers", "purpose"
    ):
        if part is None or access.share_covers(part, covers=covers, purpose=purpose):
            told[case_id].append(organisation_id)
    return told


def notify_partners(
    *,
    case: Case,
    kind: NoticeKind,
    subject: str,
    now: datetime,
    happens_at: datetime | None = None,
) -> list[PartnerNotice]:
    """One notice of ``kind`` to each organisation the case is shared with (and whose
    share covers what the notice is about)."""
    organisations = partners_to_tell([case.pk], part=KIND_NEEDS.get(kind), now=now)[case.pk]
    return record(
        [
            PartnerNotice(
                case_id=case.pk,
                organisation_id=organisation_id,
                kind=kind,
                subject=subject,
                happens_at=happens_at,
                created_at=now,
            )
            for organisation_id in organisations
        ]
    )


def notify_share_ended(*, share: CaseShare, expired: bool, now: datetime) -> PartnerNotice:
    how = "ran out" if expired else "was revoked"
    (notice,) = record(
        [
            PartnerNotice(
                case_id=share.case_id,
                organisation_id=share.organisation_id,
                kind=NoticeKind.SHARE_REVOKED,
                subject=(
                    f"Case {share.case.reference} is no longer shared with you: the sharing "
                    f"{how} on {timezone.localtime(share.revoked_at):%d %B %Y at %H:%M}"
                ),
                happens_at=share.revoked_at,
                created_at=now,
            )
        ]
    )
    return notice


ROLE_WORDS = {
    PocRole.POLICE: "police",
    PocRole.NAVIGATOR: "navigator",
    PocRole.NGO_CASEWORKER: "NGO caseworker",
}


def point_of_contact_subject(case: Case, role: str) -> str:
    return f"Case {case.reference} has a new {ROLE_WORDS[PocRole(role)]} point of contact"


def status_subject(case: Case, status: str) -> str:
    words = {
        CaseStatus.PAUSED: "was paused at the victim's request",
        CaseStatus.CLOSED: "was closed",
        CaseStatus.OPEN: "was reopened",
    }
    return f"Case {case.reference} {words[CaseStatus(status)]}"


def relocation_subject(case: Case) -> str:
    return f"The victim in case {case.reference} has moved"


@transaction.atomic
def issue_tipping_point_notices(
    *, now: datetime, case_ids: Sequence[int] | None = None
) -> list[PartnerNotice]:
    """Advance notice of a hard moment to every partner supporting the victim.

    1. Take the tipping-point events within the notice period (locked; events a
       concurrent run holds are left to it).
    2. Issue a notice to each organisation whose share covers events and which
       has none for the event yet (a partner who joined since is told too).
    3. An event that counted as "partners told" is not told any more once a new
       partner has a notice to acknowledge; re-run those cases' clocks.
    """
    horizon = now + timedelta(days=settings.REMINDER_DAYS_BEFORE_EVENT)
    events = CaseEvent.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        case__status=CaseStatus.OPEN,
        kind__in=TIPPING_POINT_KINDS,
        at__gte=now,
        at__lte=horizon,
    )
    if case_ids is not None:
        events = events.filter(case_id__in=case_ids)
    events_list = list(events.select_related("case"))
    if not events_list:
        return []
    partners = partners_to_tell(
        sorted({e.case_id for e in events_list}), part=ShareScope.EVENTS, now=now
    )
    already = set(
        PartnerNotice.objects.filter(
            event__in=events_list, kind=NoticeKind.TIPPING_POINT
        ).values_list("event_id", "organisation_id")
    )
    notices = [
        PartnerNotice(
            case_id=event.case_id,
            organisation_id=organisation_id,
            kind=NoticeKind.TIPPING_POINT,
            event=event,
            subject=(
                f"{event.get_kind_display()} for case {event.case.reference} on "
                f"{timezone.localtime(event.at):%A %d %B at %H:%M}"
            ),
            happens_at=event.at,
            created_at=now,
        )
        for event in events_list
        for organisation_id in partners[event.case_id]
        if (event.pk, organisation_id) not in already
    ]
    # The events are locked and those already noticed skipped, so nothing here can
    # clash; the unique constraint stays as the last guard.
    created = record(notices)
    untold = {n.event_id for n in created}
    reopened = [e for e in events_list if e.pk in untold and e.partners_told_at is not None]
    for event in reopened:
        event.partners_told_at = None
        save_as(event, None, update_fields=["partners_told_at"])
    if reopened:
        refresh_cases(sorted({e.case_id for e in reopened}), now=now)
    return created


def everyone_told(expected: set[int], acknowledged: set[int]) -> bool | None:
    """Whether every partner to tell has acknowledged; None when there is nobody to tell."""
    if not expected:
        return None
    return expected <= acknowledged


def settle_partners_told(*, case_ids: Sequence[int], now: datetime, acting_user: Any) -> list[int]:
    """Bring each coming tipping-point event's "partners told" in line with who must be
    told now and who has acknowledged; returns the cases whose events changed.

    Called after an acknowledgement and when a share starts or ends, in their
    transactions. The caller re-runs the clocks of the cases returned.
    """
    events = list(
        CaseEvent.objects.select_for_update()
        .filter(case_id__in=case_ids, kind__in=TIPPING_POINT_KINDS, at__gte=now)
        .order_by("pk")
    )
    if not events:
        return []
    partners = partners_to_tell(case_ids, part=ShareScope.EVENTS, now=now)
    acknowledged: dict[int, set[int]] = defaultdict(set)
    for event_id, organisation_id in PartnerNotice.objects.filter(
        event__in=events, kind=NoticeKind.TIPPING_POINT, acknowledged_at__isnull=False
    ).values_list("event_id", "organisation_id"):
        acknowledged[event_id].add(organisation_id)
    changed = set()
    for event in events:
        told = everyone_told(set(partners[event.case_id]), acknowledged[event.pk])
        if told is True and event.partners_told_at is None:
            event.partners_told_at = now
        elif told is False and event.partners_told_at is not None:
            event.partners_told_at = None
        else:
            continue
        save_as(event, acting_user, update_fields=["partners_told_at"])
        changed.add(event.case_id)
    return sorted(changed)
