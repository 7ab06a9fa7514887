"""Reads for the pages, always from ``cases.access``; each costs a fixed number of queries
whatever the caseload or the length of a case's history."""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert, EngagementSnapshot
from alerts.selectors import live_alerts
from audit.log import record_case_reads
from audit.models import AccessChannel
from cases import access
from cases.choices import CaseStatus, PocRole, VictimsCodeTier
from cases.models import Case, CaseEvent, CaseShare, ImportantDate, PointOfContact
from contacts import sla
from contacts.agreement_words import how_to_contact
from contacts.choices import Outcome, PromiseStatus, UpdateGiven
from contacts.models import CheckIn, CommunicationAgreement, Promise
from contacts.selectors import checkins_visible_to
from contacts.terms import (
    AGREEMENT_WORDING_FIELDS,
    agreement_facts,
    contact_from_checkin,
    terms_from_agreement,
)
from pages import charts, ontime, today, words
from pages import timeline as entries_for
from pages.advice import event_words
from pages.timeline import Entry


def victim_name(user: Any, case: Case) -> str:
    """How a page names the victim to ``user``: their name, or "the victim" for partners."""
    return case.victim.display_name if access.may_see_identity(user.role) else "the victim"


# A person's name as Staff.__str__ gives it, and no more of their record.
_NAME_FIELDS = ("first_name", "last_name", "username")


def _current_agreements() -> Prefetch:
    return Prefetch(
        "agreements",
        queryset=CommunicationAgreement.objects.filter(superseded_at__isnull=True)
        .select_related("preferred_contact")
        .only(*AGREEMENT_WORDING_FIELDS, *(f"preferred_contact__{f}" for f in _NAME_FIELDS)),
        to_attr="current_agreements",
    )


def _current_navigators() -> Prefetch:
    return Prefetch(
        "points_of_contact",
        queryset=PointOfContact.objects.filter(role=PocRole.NAVIGATOR, ended_at__isnull=True)
        .select_related("person")
        .only("case_id", *(f"person__{f}" for f in _NAME_FIELDS)),
        to_attr="current_navigators",
    )


def _live_alerts() -> Prefetch:
    return Prefetch(
        "alerts",
        queryset=Alert.objects.filter(status__in=LIVE_STATUSES).order_by("-severity", "opened_at"),
        to_attr="live_alerts",
    )


def alert_fact(alert: Alert) -> today.AlertFact:
    reasons = alert.reasons if isinstance(alert.reasons, dict) else {}
    signals = reasons.get("signals", []) if alert.kind == AlertKind.DISENGAGEMENT else []
    return today.AlertFact(
        kind=alert.kind,
        severity=alert.severity,
        summary=alert.summary,
        level=str(reasons.get("level", "")) if alert.kind == AlertKind.DISENGAGEMENT else "",
        reasons=tuple(str(signal.get("reason", "")) for signal in signals),
    )


@dataclass(frozen=True)
class TodayFacts:
    cases: list[today.CaseFacts]
    decisions: list[today.UntoldDecision]


def today_facts(user: Any, *, now: datetime) -> TodayFacts:
    """What Today needs about ``user``'s open cases; every victim named is logged as read.

    Seven queries and one insert, whatever the caseload.
    """
    cases = list(
        access.visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .select_related("victim")
        .only(
            "reference",
            "victims_code_tier",
            "clock_state",
            "update_due_at",
            "victim__reference",
            "victim__full_name",
            "victim__preferred_name",
        )
        .prefetch_related(_current_agreements(), _current_navigators(), _live_alerts())
        .order_by("reference")
    )
    ids = [case.pk for case in cases]
    horizon = now + timedelta(days=today.COMING_UP_DAYS)
    upcoming: dict[int, list[today.Upcoming]] = {case_id: [] for case_id in ids}
    decisions = []
    names = {case.pk: victim_name(user, case) for case in cases}
    tiers = {case.pk: case.victims_code_tier for case in cases}
    references = {case.pk: case.reference for case in cases}
    for event in CaseEvent.objects.filter(
        Q(at__gte=now, at__lte=horizon)
        | Q(is_key_decision=True, victim_told_at__isnull=True, at__lte=now),
        case_id__in=ids,
    ).only("id", "case_id", "kind", "at", "is_key_decision", "victim_told_at"):
        if event.at >= now:
            upcoming[event.case_id].append(today.Upcoming(event.at, event.get_kind_display()))
            continue
        working_days = (
            sla.ENHANCED_WORKING_DAYS
            if tiers[event.case_id] == VictimsCodeTier.ENHANCED
            else sla.STANDARD_WORKING_DAYS
        )
        decisions.append(
            today.UntoldDecision(
                reference=references[event.case_id],
                name=names[event.case_id],
                what=event_words(event.kind),
                happened_at=event.at,
                deadline=sla.working_day_deadline(event.at, working_days),
            )
        )
    for promise in Promise.objects.filter(
        case_id__in=ids, status=PromiseStatus.OPEN, due_by__gte=now, due_by__lte=horizon
    ).only("case_id", "description", "due_by"):
        upcoming[promise.case_id].append(
            today.Upcoming(promise.due_by, f"Promise “{promise.description}” due")
        )
    victims = {case.victim_id: case.pk for case in cases}
    local_today = timezone.localdate(now)
    for important in ImportantDate.objects.filter(victim_id__in=list(victims)):
        happens = today.next_occurrence(
            important.date, every_year=important.every_year, today=local_today
        )
        if happens is not None:
            upcoming[victims[important.victim_id]].append(
                today.Upcoming(words.start_of_day(happens), important.label, all_day=True)
            )
    record_case_reads(reader=user, cases=cases, channel=AccessChannel.PAGE)
    facts = []
    for case in cases:
        agreement = case.current_agreements[0] if case.current_agreements else None
        navigator = case.current_navigators[0].person if case.current_navigators else None
        facts.append(
            today.CaseFacts(
                reference=case.reference,
                name=names[case.pk],
                navigator=str(navigator) if navigator else "",
                clock_state=case.clock_state,
                update_due_at=case.update_due_at,
                how_to_contact=how_to_contact(agreement_facts(agreement), names[case.pk])
                if agreement
                else "",
                alerts=tuple(alert_fact(alert) for alert in case.live_alerts),
                upcoming=tuple(upcoming[case.pk]),
            )
        )
    return TodayFacts(cases=facts, decisions=decisions)


# --- The case page ---------------------------------------------------------------------


def open_promises(case: Case) -> list[Promise]:
    return list(case.promises.filter(status=PromiseStatus.OPEN).order_by("due_by"))


def untold_decisions(case: Case, *, now: datetime) -> list[CaseEvent]:
    """Key decisions that have happened and that the victim has not been told of."""
    return list(case.events.filter(is_key_decision=True, victim_told_at__isnull=True, at__lte=now))


def upcoming_events(case: Case, *, now: datetime) -> list[CaseEvent]:
    return list(case.events.filter(at__gt=now).order_by("at"))


@dataclass(frozen=True)
class DateThatMatters:
    label: str
    on: Any  # date


def important_dates(case: Case, *, now: datetime, within_days: int = 60) -> list[DateThatMatters]:
    local_today = timezone.localdate(now)
    dates = []
    for important in case.victim.important_dates.all():
        happens = today.next_occurrence(
            important.date, every_year=important.every_year, today=local_today
        )
        if happens is not None and (happens - local_today).days <= within_days:
            dates.append(DateThatMatters(important.label, happens))
    return sorted(dates, key=lambda d: d.on)


def live_alerts_of(user: Any, case: Case) -> list[Alert]:
    return list(live_alerts(user).filter(case=case))


def chart(case: Case, *, now: datetime, live: Sequence[Alert]) -> charts.Chart:
    """Wellbeing and trust over the last 12 weeks, with the early-warning level."""
    start = now - timedelta(days=charts.SPAN_DAYS)
    scores = [
        charts.Score(at=at, wellbeing=wellbeing, trust=trust)
        for at, wellbeing, trust in CheckIn.objects.filter(case=case, at__gte=start, at__lte=now)
        .filter(Q(wellbeing__isnull=False) | Q(trust__isnull=False))
        .order_by("at")
        .values_list("at", "wellbeing", "trust")
    ]
    levels = [
        charts.LevelChange(on=on, level=level)
        for on, level in EngagementSnapshot.objects.filter(case=case)
        .order_by("on")
        .values_list("on", "level")
    ]
    alert = next((a for a in live if a.kind == AlertKind.DISENGAGEMENT), None)
    current = str(alert.reasons.get("level", "watch")) if alert else "none"
    if alert is not None:
        # The daily snapshots may have begun after the alert opened: the level held from
        # the alert's opening, as the first snapshot since then shows it.
        opened = timezone.localdate(alert.opened_at)
        since = [c.level for c in levels if c.on >= opened and c.level != "none"]
        levels.insert(0, charts.LevelChange(on=opened, level=since[0] if since else current))
    elif levels and levels[-1].level != "none":
        levels.append(charts.LevelChange(on=timezone.localdate(now), level="none"))
    return charts.build(scores, levels, current_level=current, now=now)


# --- The timeline --------------------------------------------------------------------------

TIMELINE_PAGE = 25


def timeline(
    user: Any,
    case: Case,
    *,
    now: datetime,
    before: datetime | None,
    show_notes: bool,
    show_reasons: bool,
) -> tuple[list[Entry], datetime | None]:
    """The case's history, newest first, a page at a time: contacts, events, promises, points
    of contact, sharing and status. Returns the entries and where the next page starts.

    Each source is read newest first up to a page and one more, so the cost does not grow
    with the length of the history.
    """
    take = TIMELINE_PAGE + 1
    until = min(before, now) if before is not None else now + timedelta(seconds=1)
    entries: list[Entry] = []
    checkins = checkins_visible_to(user).filter(case=case, at__lt=until).order_by("-at")[:take]
    entries += [entries_for.contact_entry(c, show_notes=show_notes) for c in checkins]
    events = case.events.filter(at__lt=until).order_by("-at")[:take]
    entries += [entries_for.event_entry(e, show_notes=show_notes) for e in events]
    promise_rows = (
        Promise.history.filter(case_id=case.pk, history_date__lt=until)
        .select_related("history_user")
        .order_by("-history_date")[:take]
    )
    entries += [e for row in promise_rows if (e := entries_for.promise_entry(row))]
    pocs = (
        PointOfContact.objects.filter(case=case)
        .filter(Q(started_at__lt=until) | Q(ended_at__lt=until))
        .select_related("person")
        .order_by("-started_at")[:take]
    )
    entries += [e for poc in pocs for e in entries_for.poc_entries(poc) if e.at < until]
    shares = (
        CaseShare.objects.filter(case=case)
        .filter(Q(shared_at__lt=until) | Q(revoked_at__lt=until))
        .select_related("organisation")
        .order_by("-shared_at")[:take]
    )
    entries += [e for share in shares for e in entries_for.share_entries(share) if e.at < until]
    # Every saved version of the case, oldest first, to find where its status changed.
    versions = (
        Case.history.filter(id=case.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries += [
        e for e in entries_for.status_entries(versions, show_reasons=show_reasons) if e.at < until
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    page = entries[:TIMELINE_PAGE]
    more = len(entries) > TIMELINE_PAGE
    return page, (page[-1].at if more and page else None)


def agreement_versions(case: Case) -> list[CommunicationAgreement]:
    """Every version of ``case``'s agreement, oldest first, with who recorded it and whom
    the victim would rather hear from: one query, however many versions. ``case`` is one
    the reader may see (``cases.selectors.case_detail``)."""
    return list(
        CommunicationAgreement.objects.filter(case=case)
        .select_related("created_by", "preferred_contact")
        .order_by("version")
    )


# --- The supervisor's dashboard --------------------------------------------------------------

# The alerts shown as waiting longest.
LONGEST_WAITING = 5
# Outcomes a contact needs to be an update at all (contacts.sla.counts_as_update decides the
# rest): reading only these keeps the unanswered attempts out of the chart's read.
_MAY_BE_UPDATES = Q(
    outcome__in=[Outcome.REACHED, Outcome.VICTIM_GOT_IN_TOUCH, Outcome.MESSAGE_LEFT]
) & ~Q(update_given=UpdateGiven.NONE)


@dataclass(frozen=True)
class NavigatorLoad:
    navigator: Any  # Staff
    open_cases: int
    paused_cases: int
    overdue: int

    @property
    def caseload(self) -> int:
        return self.open_cases + self.paused_cases

    @property
    def capacity(self) -> int:
        return int(self.navigator.caseload_capacity or 0)

    @property
    def over_capacity(self) -> bool:
        return bool(self.capacity) and self.caseload > self.capacity

    @property
    def percent_of_capacity(self) -> int | None:
        return self.caseload * 100 // self.capacity if self.capacity else None


@dataclass(frozen=True)
class DashboardFacts:
    team: list[Any]  # the navigators overseen (Staff)
    loads: list[NavigatorLoad]
    open_cases: int
    overdue: int
    levels: dict[str, int]  # early-warning level -> open cases at it ("none" for the rest)
    waiting: list[Alert]  # the live alerts waiting longest
    live_alerts: int
    weeks: tuple[ontime.Week, ...]
    weeks_at: datetime  # when the weeks were worked out (they are kept a few minutes)


def dashboard_facts(user: Any, *, now: datetime) -> DashboardFacts:
    """What the dashboard shows of the cases ``user`` oversees: counts, the alerts waiting
    longest (by case reference, naming no victim) and the updates on time week by week.

    Nine queries, whatever the size of the team or its caseload.
    """
    team = list(
        access.team_of(user).only("first_name", "last_name", "username", "caseload_capacity")
    )
    visible = access.visible_cases(user)
    counts = {
        row["person_id"]: row
        for row in PointOfContact.objects.filter(
            role=PocRole.NAVIGATOR, ended_at__isnull=True, case__in=visible
        )
        .values("person_id")
        .annotate(
            open=Count("id", filter=Q(case__status=CaseStatus.OPEN)),
            paused=Count("id", filter=Q(case__status=CaseStatus.PAUSED)),
            overdue=Count(
                "id",
                filter=Q(case__status=CaseStatus.OPEN, case__clock_state=sla.ClockState.OVERDUE),
            ),
        )
    }
    loads = [
        NavigatorLoad(
            navigator=person,
            open_cases=counts.get(person.pk, {}).get("open", 0),
            paused_cases=counts.get(person.pk, {}).get("paused", 0),
            overdue=counts.get(person.pk, {}).get("overdue", 0),
        )
        for person in team
    ]
    # Whoever most needs a hand first: the most overdue, then the most over capacity.
    loads.sort(key=lambda load: (-load.overdue, -(load.percent_of_capacity or 0)))
    open_cases = list(
        visible.filter(status=CaseStatus.OPEN).values_list("id", "opened_at", named=True)
    )
    ids = [case.id for case in open_cases]
    live = Alert.objects.filter(case__in=visible, status__in=LIVE_STATUSES)
    levels = dict(
        live.filter(kind=AlertKind.DISENGAGEMENT, case__status=CaseStatus.OPEN)
        .annotate(level=KT("reasons__level"))
        .values("level")
        .annotate(cases=Count("case_id", distinct=True))
        .values_list("level", "cases")
    )
    levels["none"] = len(ids) - sum(levels.values())
    waiting = list(
        live.select_related("case", "assigned_to")
        .only(
            "kind",
            "severity",
            "status",
            "opened_at",
            "case__reference",
            *(f"assigned_to__{f}" for f in _NAME_FIELDS),
        )
        .order_by("opened_at", "pk")[:LONGEST_WAITING]
    )
    weeks_at, weeks = on_time_weeks(user, [(c.id, c.opened_at) for c in open_cases], now=now)
    return DashboardFacts(
        team=team,
        loads=loads,
        open_cases=len(ids),
        overdue=sum(load.overdue for load in loads),
        levels=levels,
        waiting=waiting,
        live_alerts=live.count(),
        weeks=weeks,
        weeks_at=weeks_at,
    )


# How long the weekly figures are kept: replaying twelve weeks of a large team's updates is
# the dashboard's one heavy part, and figures a few minutes old serve a supervisor as well.
ON_TIME_KEEP_SECONDS = 300


def on_time_weeks(
    user: Any, cases: Sequence[tuple[int, datetime]], *, now: datetime
) -> tuple[datetime, tuple[ontime.Week, ...]]:
    """The weekly on-time figures for ``cases`` (the open cases ``user`` sees: id, opened),
    and when they were worked out: kept for each person a few minutes, in the cache if it
    answers (a cache that is down only means they are worked out every time)."""
    key = f"pages:on-time:{user.pk}:{ontime.first_week(now).isoformat()}"
    try:
        kept = cache.get(key)
    except Exception:  # the cache is an optimisation: one that is down is passed by
        kept = None
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    worked_out = (now, ontime.weekly(_on_time_records(cases, now=now), now=now))
    with contextlib.suppress(Exception):
        cache.set(key, worked_out, ON_TIME_KEEP_SECONDS)
    return worked_out


def _on_time_records(
    cases: Sequence[tuple[int, datetime]], *, now: datetime
) -> list[ontime.CaseRecord]:
    """Each case's agreements and the contacts that may be updates, since shortly before
    the first week shown: two queries, read as plain values."""
    ids = [case_id for case_id, _ in cases]
    since = words.start_of_day(ontime.first_week(now)) - timedelta(days=ontime.LOOKBACK_DAYS)
    spells: dict[int, list[ontime.AgreementSpell]] = {case_id: [] for case_id in ids}
    for agreement in CommunicationAgreement.objects.filter(case_id__in=ids).values_list(
        "case_id",
        "created_at",
        "update_interval_days",
        "channels",
        "contact_windows",
        "avoid_flags",
        "unsafe_channel",
        "review_by",
        named=True,
    ):
        spells[agreement.case_id].append(
            ontime.AgreementSpell(since=agreement.created_at, terms=terms_from_agreement(agreement))
        )
    contacts: dict[int, list[sla.Contact]] = {case_id: [] for case_id in ids}
    for row in CheckIn.objects.filter(
        _MAY_BE_UPDATES, case_id__in=ids, at__gte=since, at__lte=now
    ).values_list(
        "case_id",
        "at",
        "channel",
        "direction",
        "outcome",
        "update_given",
        "place",
        "number_withheld",
        named=True,
    ):
        contacts[row.case_id].append(contact_from_checkin(row))
    return [
        ontime.CaseRecord(
            # The clock starts when the first agreement was made (alerts.snapshot does the same).
            clock_started_at=min((s.since for s in spells[case_id]), default=opened_at),
            agreements=tuple(spells[case_id]),
            contacts=tuple(contacts[case_id]),
        )
        for case_id, opened_at in cases
    ]
