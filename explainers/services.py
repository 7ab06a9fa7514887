"""Writes for explainers: approving a version, and recording that a victim was prepared."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Staff
from alerts.sweep import refresh_cases
from cases import access
from cases.choices import CaseStatus
from cases.dates import past_moment_problem
from cases.models import Case, CaseEvent
from contacts.models import CommunicationAgreement
from explainers import choosing
from explainers.choices import Topic
from explainers.library import Text
from explainers.models import Explainer, ExplainerVersion, Preparation
from navigator.errors import PermissionDenied, ValidationError, field_error
from navigator.history import save_as

# An explainer is read again a year after it was written, or sooner if the law changes.
REVIEW_AFTER_DAYS = 365


@transaction.atomic
def approve_version(
    *, version: ExplainerVersion, acting_user: Staff, now: datetime | None = None
) -> ExplainerVersion:
    """An administrator approves a version: from then on it can be shown to victims, and it
    is never rewritten (a change is a new revision)."""
    if not (acting_user.is_active and acting_user.role == Role.ADMIN):
        raise PermissionDenied("Only an administrator approves explainers.")
    version = ExplainerVersion.objects.select_for_update().get(pk=version.pk)
    if version.approved_at is not None:
        return version
    if not version.body.strip():
        raise field_error("body", "An explainer with nothing in it cannot be approved.")
    version.approved_by = acting_user
    version.approved_at = now or timezone.now()
    save_as(version, acting_user, update_fields=["approved_by", "approved_at"])
    return version


def _agreement_of(case: Case) -> CommunicationAgreement | None:
    return CommunicationAgreement.objects.filter(case=case, superseded_at__isnull=True).first()


@transaction.atomic
def record_preparation(
    *,
    event: CaseEvent,
    version: ExplainerVersion,
    channel: str,
    acting_user: Staff,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Preparation:
    """Record that ``acting_user`` went through ``version`` with the victim before ``event``.

    1. Refuse anyone who may not prepare victims on this case (``cases.access``).
    2. Check the version is approved and fits the event, the channel is one the agreement
       allows for sharing it (never its unsafe channel), and the moment has passed.
    3. Lock the event, write the preparation (once, if the same record is sent twice), mark
       the victim prepared.
    4. Re-evaluate the case in the same transaction, so the early-warning signal for an
       unprepared victim clears with this write.
    """
    now = now or timezone.now()
    at = at or now
    case = event.case
    if not access.may_prepare_victim(acting_user.role) or not (
        access.visible_cases(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("You may not record preparing this victim.")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed: reopen it to record preparing the victim.")
    errors: dict[str, list[str]] = {}
    if version.approved_at is None:
        errors["version"] = ["This explainer has not been approved yet."]
    elif version.explainer.topic != choosing.topic_for_event(event.kind, nrm_stage=case.nrm_stage):
        errors["version"] = ["This explainer is not the one for this event."]
    agreement = _agreement_of(case)
    ways = choosing.sharing_ways(
        channels=agreement.channels if agreement else (),
        unsafe_channel=agreement.unsafe_channel if agreement else "",
    )
    if channel not in ways:
        if agreement is not None and channel == agreement.unsafe_channel:
            errors["channel"] = ["The agreement says this way is not safe. Choose another."]
        else:
            errors["channel"] = ["Choose a way the agreement allows."]
    if problem := past_moment_problem(
        at, noun="Going through it", opened_at=case.opened_at, now=now
    ):
        errors["at"] = [problem]
    if errors:
        raise ValidationError(errors)
    event = CaseEvent.objects.select_for_update().get(pk=event.pk)
    # A form sent twice (a double tap on a slow phone) records it once.
    same = Preparation.objects.filter(event=event, version=version, by=acting_user, at=at)
    if (already := same.first()) is not None:
        return already
    preparation = Preparation(event=event, version=version, by=acting_user, at=at, channel=channel)
    save_as(preparation, acting_user)
    if not event.victim_prepared:
        event.victim_prepared = True
        save_as(event, acting_user, update_fields=["victim_prepared"])
    refresh_cases([case.pk], now=now)
    return preparation


@transaction.atomic
def load_library(
    *,
    library: Mapping[Topic, Mapping[tuple[str, str], Text]],
    acting_user: Staff,
    approve: bool,
    now: datetime | None = None,
) -> int:
    """Load explainers written in code (``explainers.library``): an explainer per topic, and
    a version for each language and level whose words differ from its newest revision
    (added as the next revision). Approved as ``acting_user`` when ``approve`` (the demo);
    otherwise an administrator approves them in the admin. Returns how many were added.
    """
    now = now or timezone.now()
    review_by = timezone.localdate(now) + timedelta(days=REVIEW_AFTER_DAYS)
    added = 0
    for topic, texts in library.items():
        explainer = Explainer.objects.filter(topic=topic).first()
        if explainer is None:
            explainer = Explainer(topic=topic, title=topic.label)
            save_as(explainer, acting_user)
        for (language, level), text in texts.items():
            newest = (
                explainer.versions.filter(language__iexact=language, level=level)
                .order_by("-revision")
                .first()
            )
            if newest is not None and (newest.title, newest.body) == (text.title, text.body):
                continue
            version = ExplainerVersion(
                explainer=explainer,
                language=language,
                level=level,
                revision=newest.revision + 1 if newest else 1,
                title=text.title,
                body=text.body,
                needs_professional_translation=text.needs_professional_translation,
                written_by=acting_user,
                review_by=review_by,
            )
            save_as(version, acting_user)
            if approve:
                approve_version(version=version, acting_user=acting_user, now=now)
            added += 1
    return added
