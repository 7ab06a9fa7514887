"""Reads for explainers: which one fits each coming event of a case, and which the victim
was given. Callers pass events already scoped by the access rules."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from cases import access
from cases.models import Case, CaseEvent
from contacts.choices import Channel
from contacts.models import CommunicationAgreement
from explainers import choosing
from explainers.choices import Topic
from explainers.models import Explainer, ExplainerVersion, Preparation


def approved_versions() -> dict[int, ExplainerVersion]:
    """Every approved version, by id: a small table, read once per page."""
    return {v.pk: v for v in ExplainerVersion.objects.approved().select_related("explainer")}


def _facts(versions: Iterable[ExplainerVersion]) -> list[choosing.VersionFact]:
    return [
        choosing.VersionFact(
            id=v.pk,
            topic=v.explainer.topic,
            language=v.language,
            level=v.level,
            revision=v.revision,
            review_by=v.review_by,
        )
        for v in versions
    ]


@dataclass(frozen=True)
class Fitting:
    """The explainer for one topic as this victim should get it."""

    topic: Topic
    choice: choosing.Choice | None
    version: ExplainerVersion | None


@dataclass(frozen=True)
class EventExplainer:
    """A coming event with the explainer that fits it and the last preparation for it."""

    event: CaseEvent
    fitting: Fitting | None
    ways: tuple[Channel, ...]
    sharing: str
    given: Preparation | None


def victim_language(case: Case, agreement: CommunicationAgreement | None) -> str:
    """The language the victim reads: the agreement's, else the one recorded for them."""
    if agreement is not None and agreement.language.strip():
        return agreement.language
    return case.victim.preferred_language


def fitting(
    topic: Topic,
    *,
    language: str,
    level: str,
    versions: dict[int, ExplainerVersion],
    now: datetime,
) -> Fitting:
    choice = choosing.choose(
        topic,
        language=language,
        level=level,
        versions=_facts(versions.values()),
        today=timezone.localdate(now),
    )
    return Fitting(
        topic=topic, choice=choice, version=versions.get(choice.version_id) if choice else None
    )


def last_preparations(events: Sequence[CaseEvent]) -> dict[int, Preparation]:
    """The newest preparation of each event, with its version and who did it: one query."""
    newest: dict[int, Preparation] = {}
    for preparation in (
        Preparation.objects.filter(event__in=[e.pk for e in events])
        .select_related("version__explainer", "by")
        .order_by("event_id", "-at")
    ):
        newest.setdefault(preparation.event_id, preparation)
    return newest


def for_events(
    user: Any,
    case: Case,
    events: Sequence[CaseEvent],
    *,
    agreement: CommunicationAgreement | None,
    fields: Iterable[str],
    now: datetime,
    versions: dict[int, ExplainerVersion] | None = None,
) -> list[EventExplainer]:
    """For each event ``user`` may see: the fitting explainer (for those who prepare the
    victim), how to share it, and the last one given (for all who see explainers given).
    ``versions``: ``approved_versions()`` if the caller read it already."""
    if not events:
        return []
    fields = set(fields)
    prepares = access.may_prepare_victim(user.role)
    if versions is None:
        versions = approved_versions() if prepares else {}
    given = last_preparations(events) if access.sees_explainers_given(fields) else {}
    language = victim_language(case, agreement)
    level = agreement.level_of_detail if agreement else choosing.DEFAULT_LEVEL
    unsafe = agreement.unsafe_channel if agreement else ""
    ways = choosing.sharing_ways(
        channels=agreement.channels if agreement else (), unsafe_channel=unsafe
    )
    sharing = choosing.sharing_sentence(ways, unsafe_channel=unsafe)
    items = []
    for event in events:
        topic = choosing.topic_for_event(event.kind, nrm_stage=case.nrm_stage)
        items.append(
            EventExplainer(
                event=event,
                fitting=fitting(topic, language=language, level=level, versions=versions, now=now)
                if prepares and topic is not None
                else None,
                ways=ways,
                sharing=sharing,
                given=given.get(event.pk),
            )
        )
    return items


def for_stage(
    user: Any,
    case: Case,
    *,
    agreement: CommunicationAgreement | None,
    now: datetime,
    versions: dict[int, ExplainerVersion] | None = None,
) -> list[tuple[Explainer, Fitting]]:
    """Explainers that fit where the case is (after a negative decision, the end of support,
    the Victims' Code), for those who prepare victims: each explainer with its fitting
    version in the victim's language and at their level. ``versions``: ``approved_versions()``
    if the caller read it already (the case page reads it once for both lists)."""
    if not access.may_prepare_victim(user.role):
        return []
    topics = choosing.stage_topics(
        nrm_stage=case.nrm_stage,
        support_ended_on=case.support_ended_on,
        today=timezone.localdate(now),
    )
    if versions is None:
        versions = approved_versions()
    explainers = {v.explainer.topic: v.explainer for v in versions.values()}
    language = victim_language(case, agreement)
    level = agreement.level_of_detail if agreement else choosing.DEFAULT_LEVEL
    return [
        (
            explainers[topic],
            fitting(topic, language=language, level=level, versions=versions, now=now),
        )
        for topic in topics
        if topic in explainers
    ]


def fitting_for_case(
    explainer: Explainer, case: Case, *, agreement: CommunicationAgreement | None, now: datetime
) -> Fitting:
    """``explainer`` in the case's victim's language and at their level of detail."""
    return fitting(
        Topic(explainer.topic),
        language=victim_language(case, agreement),
        level=agreement.level_of_detail if agreement else choosing.DEFAULT_LEVEL,
        versions=approved_versions(),
        now=now,
    )
