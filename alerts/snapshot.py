"""Load what the rules need about many cases at once, in a fixed number of queries.

The sweep evaluates cases in batches; each batch costs the same handful of
queries whether it holds one case or a thousand, and nothing here reads a case
that is not in the batch.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import F, Min, Q, Window
from django.db.models.functions import RowNumber

from cases.choices import CaseStatus, PocRole, VictimsCodeTier
from cases.models import Case, CaseEvent, PointOfContact
from contacts import sla
from contacts.models import CheckIn, CommunicationAgreement
from contacts.terms import contact_from_checkin, terms_from_agreement

# The newest contacts read per case. The clock needs the last update and the
# signals need the last few weeks; a case with more unanswered attempts than
# this in a row is treated as having no update since, which errs towards alerting.
RECENT_CONTACTS = 50

CHECKIN_FIELDS = [
    "id",
    "case_id",
    "by_id",
    "at",
    "direction",
    "channel",
    "outcome",
    "update_given",
    "place",
    "number_withheld",
    "interpreter_name",
    "wellbeing",
    "trust",
    "concerns",
]
AGREEMENT_FIELDS = [
    "case_id",
    "update_interval_days",
    "channels",
    "contact_windows",
    "avoid_flags",
    "unsafe_channel",
    "review_by",
]


@dataclass(frozen=True)
class CaseSnapshot:
    case_id: int
    reference: str
    status: CaseStatus
    enhanced_rights: bool
    navigator_id: int | None
    terms: sla.Terms | None
    clock_started_at: datetime
    checkins: tuple[SimpleNamespace, ...]  # newest first, fields as CHECKIN_FIELDS
    key_decisions: tuple[sla.KeyDecision, ...]

    @property
    def contacts(self) -> tuple[sla.Contact, ...]:
        return tuple(contact_from_checkin(c) for c in self.checkins)


def load_snapshots(case_ids: Sequence[int], *, now: datetime) -> list[CaseSnapshot]:
    """Snapshots of ``case_ids`` (callers have already scoped or locked them)."""
    if not case_ids:
        return []
    cases = Case.objects.filter(pk__in=case_ids).values(
        "id", "reference", "status", "victims_code_tier", "opened_at"
    )
    agreements = {
        row["case_id"]: SimpleNamespace(**row)
        for row in CommunicationAgreement.objects.filter(
            case_id__in=case_ids, superseded_at__isnull=True
        ).values(*AGREEMENT_FIELDS)
    }
    first_agreed = dict(
        CommunicationAgreement.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    navigators = dict(
        PointOfContact.objects.filter(
            case_id__in=case_ids, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).values_list("case_id", "person_id")
    )
    checkins: dict[int, list[SimpleNamespace]] = defaultdict(list)
    recent = (
        CheckIn.objects.filter(case_id__in=case_ids)
        .annotate(
            newest_first=Window(RowNumber(), partition_by=[F("case_id")], order_by=F("at").desc())
        )
        .filter(newest_first__lte=RECENT_CONTACTS)
        .order_by("case_id", "-at")
        .values(*CHECKIN_FIELDS)
    )
    for row in recent:
        checkins[row["case_id"]].append(SimpleNamespace(**row))
    decisions: dict[int, list[sla.KeyDecision]] = defaultdict(list)
    for event in CaseEvent.objects.filter(
        Q(victim_told_at__isnull=True) | Q(victim_told_at__gt=now),
        case_id__in=case_ids,
        is_key_decision=True,
    ).only("id", "case_id", "kind", "at", "victim_told_at"):
        decisions[event.case_id].append(
            sla.KeyDecision(
                event_id=event.pk,
                label=event.get_kind_display(),
                at=event.at,
                told_at=event.victim_told_at,
            )
        )

    snapshots = []
    for case in cases:
        case_id = case["id"]
        agreement: Any = agreements.get(case_id)
        snapshots.append(
            CaseSnapshot(
                case_id=case_id,
                reference=case["reference"],
                status=CaseStatus(case["status"]),
                enhanced_rights=case["victims_code_tier"] == VictimsCodeTier.ENHANCED,
                navigator_id=navigators.get(case_id),
                terms=terms_from_agreement(agreement) if agreement else None,
                clock_started_at=first_agreed.get(case_id) or case["opened_at"],
                checkins=tuple(checkins.get(case_id, ())),
                key_decisions=tuple(decisions.get(case_id, ())),
            )
        )
    return snapshots


def compute_clock(snapshot: CaseSnapshot, *, now: datetime) -> sla.Clock:
    return sla.compute_clock(
        terms=snapshot.terms,
        status=snapshot.status,
        contacts=snapshot.contacts,
        key_decisions=snapshot.key_decisions,
        started_at=snapshot.clock_started_at,
        enhanced_rights=snapshot.enhanced_rights,
        now=now,
    )
