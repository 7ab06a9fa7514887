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
from explainers.models import ExplainerVersion, Preparation


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
) -> list[EventExplainer]:
    """For each event ``user`` may see: the fitting explainer (for those who prepare the
    victim), how to share it, and the last one given (for all who see explainers given)."""
    if not events:
        return []
    fields = set(fields)
    prepares = access.may_prepare_victim(user.role)
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
