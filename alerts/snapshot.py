"""Load what the rules need about many cases at once, in a fixed number of queries.

The sweep evaluates cases in batches; each batch costs the same handful of
queries whether it holds one case or a thousand, and nothing here reads a case
that is not in the batch.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from cases import access
from cases.choices import CaseStatus, NrmDecision, PocRole, ShareScope, VictimsCodeTier
from cases.models import Case, CaseEvent, CaseShare, PointOfContact
from contacts import disengagement as dis
from contacts import sla
from contacts.choices import PromiseStatus
from contacts.models import CheckIn, CommunicationAgreement, ConcernResponse, Promise
from contacts.terms import contact_from_checkin, terms_from_agreement
from handovers.rules import PendingHandover
from handovers.selectors import awaiting_acknowledgement

# The newest contacts read per case. The clock needs the last update and the
# signals need the last few weeks; a case with more unanswered attempts than
# this in a row is treated as having no update since, which errs towards alerting.
RECENT_CONTACTS = 50
# How far back the signals look at tipping points.
TIPPING_POINT_LOOKBACK = timedelta(days=1)

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
# What the rules read of the case itself.
CASE_FIELDS = [
    "id",
    "reference",
    "status",
    "victims_code_tier",
    "opened_at",
    "rg_decision",
    "rg_decided_on",
    "cg_decision",
    "cg_decided_on",
    "support_ended_on",
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
    history: dis.CaseHistory  # what the early-warning signals read: no personal characteristics
    pending_handovers: tuple[PendingHandover, ...] = ()  # sent, not yet acknowledged

    @property
    def contacts(self) -> tuple[sla.Contact, ...]:
        return tuple(contact_from_checkin(c) for c in self.checkins)


def load_snapshots(
    case_ids: Sequence[int],
    *,
    now: datetime,
    recent_days: int = 31,
    already_read: Sequence[Case] = (),
) -> list[CaseSnapshot]:
    """Snapshots of ``case_ids`` (callers have already scoped or locked them).

    ``recent_days`` bounds how far back the dated facts of the signals are read
    (promises resolved, points of contact changed); it must cover the longest
    window of the early-warning thresholds. Cases in ``already_read`` (with at least
    ``CASE_FIELDS``, read in this transaction under its lock) are not read again.
    """
    if not case_ids:
        return []
    read = {case.pk: case for case in already_read}
    cases = [
        {field: getattr(read[pk], field) for field in CASE_FIELDS} for pk in case_ids if pk in read
    ]
    if unread := [pk for pk in case_ids if pk not in read]:
        cases += Case.objects.filter(pk__in=unread).values(*CASE_FIELDS)
    # The current agreement, and when the first one was made (the clock starts there): a
    # case's agreements are superseded only by a newer one, so a case with any has a current one.
    first_version = CommunicationAgreement.objects.filter(case_id=OuterRef("case_id")).order_by(
        "created_at"
    )
    agreements = {
        row["case_id"]: SimpleNamespace(**row)
        for row in CommunicationAgreement.objects.filter(
            case_id__in=case_ids, superseded_at__isnull=True
        )
        .annotate(first_agreed_at=Subquery(first_version.values("created_at")[:1]))
        .values(*AGREEMENT_FIELDS, "first_agreed_at")
    }
    since = now - timedelta(days=recent_days)
    points_of_contact = _load_points_of_contact(case_ids, since=since)
    navigators = {
        poc.case_id: poc.person_id
        for poc in points_of_contact
        if poc.role == PocRole.NAVIGATOR and poc.ended_at is None
    }
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
    # One read of the events serves both rules: key decisions the victim has not been
    # told of (the clock) and tipping points from yesterday on (the signals).
    events = list(
        CaseEvent.objects.filter(
            Q(is_key_decision=True) & (Q(victim_told_at__isnull=True) | Q(victim_told_at__gt=now))
            | Q(at__gte=now - TIPPING_POINT_LOOKBACK, kind__in=dis.TIPPING_POINT_KINDS),
            case_id__in=case_ids,
        ).only(
            "id",
            "case_id",
            "kind",
            "at",
            "is_key_decision",
            "victim_told_at",
            "victim_prepared",
            "partners_told_at",
        )
    )
    decisions: dict[int, list[sla.KeyDecision]] = defaultdict(list)
    for event in events:
        if event.is_key_decision and (event.victim_told_at is None or event.victim_told_at > now):
            decisions[event.case_id].append(
                sla.KeyDecision(
                    event_id=event.pk,
                    label=event.get_kind_display(),
                    at=event.at,
                    told_at=event.victim_told_at,
                )
            )

    pending_handovers = awaiting_acknowledgement(case_ids)
    signals = _load_signal_facts(
        case_ids, checkins, points_of_contact, events, now=now, since=since
    )

    snapshots = []
    for case in cases:
        case_id = case["id"]
        agreement: Any = agreements.get(case_id)
        decisions_made = tuple(
            (NrmDecision(case[f"{stage}_decision"]), case[f"{stage}_decided_on"])
            for stage in ("rg", "cg")
            if case[f"{stage}_decision"]
        )
        snapshots.append(
            CaseSnapshot(
                case_id=case_id,
                reference=case["reference"],
                status=CaseStatus(case["status"]),
                enhanced_rights=case["victims_code_tier"] == VictimsCodeTier.ENHANCED,
                navigator_id=navigators.get(case_id),
                terms=terms_from_agreement(agreement) if agreement else None,
                clock_started_at=agreement.first_agreed_at if agreement else case["opened_at"],
                checkins=tuple(checkins.get(case_id, ())),
                key_decisions=tuple(decisions.get(case_id, ())),
                history=dis.CaseHistory(
                    contacts=tuple(_contact_fact(c) for c in checkins.get(case_id, ())),
                    interval_days=agreement.update_interval_days if agreement else None,
                    concern_responses=signals.responses.get(case_id, ()),
                    promises=signals.promises.get(case_id, ()),
                    poc_changes=signals.poc_changes.get(case_id, ()),
                    events=signals.events.get(case_id, ()),
                    nrm_decisions=decisions_made,
                    support_ended_on=case["support_ended_on"],
                ),
                pending_handovers=pending_handovers.get(case_id, ()),
            )
        )
    return snapshots


def _contact_fact(checkin: SimpleNamespace) -> dis.ContactFact:
    return dis.ContactFact(
        id=checkin.id,
        at=checkin.at,
        by_person_id=checkin.by_id,
        direction=checkin.direction,
        outcome=checkin.outcome,
        update_given=checkin.update_given,
        wellbeing=checkin.wellbeing,
        trust=checkin.trust,
        concerns=frozenset(checkin.concerns),
        interpreter=checkin.interpreter_name,
    )


@dataclass
class _SignalFacts:
    responses: dict[int, tuple[dis.ConcernResponse, ...]]
    promises: dict[int, tuple[dis.PromiseFact, ...]]
    poc_changes: dict[int, tuple[dis.PocChange, ...]]
    events: dict[int, tuple[dis.EventFact, ...]]


def _group(rows: list[tuple[int, Any]]) -> dict[int, tuple[Any, ...]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for case_id, fact in rows:
        grouped[case_id].append(fact)
    return {case_id: tuple(facts) for case_id, facts in grouped.items()}


def _load_points_of_contact(case_ids: Sequence[int], *, since: datetime) -> list[SimpleNamespace]:
    """The current navigators (whom alerts go to) and every point of contact that started
    within the signals' window (changes of contact), in one read."""
    earlier = PointOfContact.objects.filter(
        case_id=OuterRef("case_id"), role=OuterRef("role"), started_at__lt=OuterRef("started_at")
    )
    return [
        SimpleNamespace(**row)
        for row in PointOfContact.objects.filter(
            Q(role=PocRole.NAVIGATOR, ended_at__isnull=True) | Q(started_at__gte=since),
            case_id__in=case_ids,
        )
        .annotate(had_predecessor=Exists(earlier))
        .values(
            "case_id",
            "role",
            "person_id",
            "started_at",
            "ended_at",
            "introduced_by_predecessor",
            "had_predecessor",
        )
    ]


def _load_signal_facts(
    case_ids: Sequence[int],
    checkins: dict[int, list[SimpleNamespace]],
    points_of_contact: list[SimpleNamespace],
    events: list[CaseEvent],
    *,
    now: datetime,
    since: datetime,
) -> _SignalFacts:
    """The dated facts the signals read, each bounded by its window."""
    # Responses answer a concern a contact raised: with no such contact, there are none to read.
    raised_concerns = [c.id for rows in checkins.values() for c in rows if c.concerns]
    responses = (
        [
            (case_id, dis.ConcernResponse(contact_id=checkin_id, at=at))
            for case_id, checkin_id, at in ConcernResponse.objects.filter(
                checkin_id__in=raised_concerns
            ).values_list("checkin__case_id", "checkin_id", "at")
        ]
        if raised_concerns
        else []
    )
    promises = [
        (
            p.case_id,
            dis.PromiseFact(
                id=p.pk,
                description=p.description,
                due_by=p.due_by,
                status=p.status,
                resolved_at=p.resolved_at,
            ),
        )
        for p in Promise.objects.filter(
            Q(status=PromiseStatus.OPEN) | Q(resolved_at__gte=since), case_id__in=case_ids
        ).only("id", "case_id", "description", "due_by", "status", "resolved_at")
    ]
    poc_changes = [
        (
            poc.case_id,
            dis.PocChange(
                role=poc.role,
                person_id=poc.person_id,
                started_at=poc.started_at,
                had_predecessor=poc.had_predecessor,
                introduced_by_predecessor=poc.introduced_by_predecessor,
            ),
        )
        for poc in points_of_contact
        if poc.started_at >= since
    ]
    coming = [
        e
        for e in events
        if e.at >= now - TIPPING_POINT_LOOKBACK and e.kind in dis.TIPPING_POINT_KINDS
    ]
    # With no partner whose share covers events there is nobody to tell; with no tipping
    # point coming, nothing to tell them of, and no need to ask.
    shared = (
        {
            case_id
            for case_id, covers, purpose in CaseShare.objects.in_force(now)
            .filter(case_id__in={e.case_id for e in coming})
            .values_list("case_id", "covers", "purpose")
            if access.share_covers(ShareScope.EVENTS, covers=covers, purpose=purpose)
        }
        if coming
        else set()
    )
    tipping_points = [
        (
            e.case_id,
            dis.EventFact(
                id=e.pk,
                kind=e.kind,
                at=e.at,
                victim_prepared=e.victim_prepared,
                partners_told=e.partners_told_at is not None or e.case_id not in shared,
            ),
        )
        for e in coming
    ]
    return _SignalFacts(
        responses=_group(responses),
        promises=_group(promises),
        poc_changes=_group(poc_changes),
        events=_group(tipping_points),
    )


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
