"""Reads of handovers, scoped by the access rules (``cases.access``)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from audit.log import record_case_read, record_case_reads
from audit.models import AccessChannel
from cases import access
from cases.access import CaseField
from cases.models import Case
from handovers.choices import HandoverState
from handovers.models import Handover
from handovers.rules import PendingHandover

RELATED = ("case", "from_organisation", "from_person", "to_organisation", "to_person")
CASE_PAGE_LIMIT = 20


def awaiting_acknowledgement(case_ids: Sequence[int]) -> dict[int, tuple[PendingHandover, ...]]:
    """For the clock: each case's handovers sent and not yet acknowledged (callers have
    locked or scoped the cases). One query, through the index of unacknowledged handovers."""
    pending: dict[int, list[PendingHandover]] = defaultdict(list)
    rows = Handover.objects.filter(case_id__in=case_ids, state=HandoverState.SENT).values_list(
        "id", "case_id", "sent_at", "kind", "to_organisation__name"
    )
    for handover_id, case_id, sent_at, kind, organisation in rows:
        pending[case_id].append(
            PendingHandover(
                id=handover_id, sent_at=sent_at, kind=kind, to_organisation=organisation
            )
        )
    return {case_id: tuple(handovers) for case_id, handovers in pending.items()}


def visible_to(user: Any, *, now: datetime | None = None) -> QuerySet[Handover]:
    """Every handover ``user`` may see, with what a list shows of each."""
    return Handover.objects.filter(access.visible_handovers(user, now=now)).select_related(
        *RELATED, "to_person__supervisor"
    )


def addressed_to(user: Any) -> QuerySet[Handover]:
    """The handovers ``user`` receives: theirs to acknowledge, accept or decline."""
    return Handover.objects.filter(access.handovers_addressed_to(user)).select_related(
        *RELATED, "to_person__supervisor"
    )


def of_case(user: Any, case: Case, *, now: datetime | None = None) -> list[Handover]:
    """The handovers of a case ``user`` sees, newest first, if its fields include them."""
    if CaseField.HANDOVERS not in access.case_fields(user, case, now=now):
        return []
    # The one rule for who sees which handover (``access.visible_handovers``): whoever sees
    # a case with its handovers sees them all, but a partner a move to other accommodation
    # only when its share gives the location.
    handovers = Handover.objects.filter(access.visible_handovers(user, now=now), case=case)
    return list(handovers.select_related(*RELATED).order_by("-sent_at", "-id")[:CASE_PAGE_LIMIT])


def handover_detail(
    user: Any, pk: int, *, channel: AccessChannel, now: datetime | None = None
) -> Handover:
    """One handover ``user`` may see; not found otherwise, so ids cannot be probed.

    Reading what the sender wrote for the receiver is a read of the victim's record, and
    is logged as one.
    """
    now = now or timezone.now()
    handover = (
        visible_to(user, now=now)
        .select_related("case__victim", "acknowledged_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise Http404("No such handover")
    if may_read_details(user, handover):
        record_case_read(
            reader=user,
            case=handover.case,
            channel=channel,
            api_key_prefix=getattr(user, "api_key_prefix", ""),
        )
    return handover


def record_details_read(user: Any, handovers: Iterable[Handover], *, channel: AccessChannel) -> int:
    """A list that gives ``user`` what the sender wrote (``may_read_details``) reads each
    of those cases' records: one entry per case, in one insert. Each handover has its case
    and victim loaded. Returns the number of entries written."""
    cases = {h.case_id: h.case for h in handovers if may_read_details(user, h)}
    if not cases:
        return 0
    return record_case_reads(
        reader=user,
        cases=cases.values(),
        channel=channel,
        api_key_prefix=getattr(user, "api_key_prefix", ""),
    )


def may_read_details(user: Any, handover: Handover) -> bool:
    """Of a handover ``user`` may see (``visible_to``): may they read what was written?"""
    return access.may_read_handover_details(
        user.role, is_receiver=access.receives_handover(user, handover)
    )
