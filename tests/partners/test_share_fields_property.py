"""Across every partner endpoint and any share the victim might have agreed to, an answer
never holds a field, or a value, that the share does not give."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import access
from cases.access import CaseField
from cases.api.serializers import DETAIL_FIELDS, SUMMARY_FIELDS
from cases.choices import CaseStatus, EventKind, PocRole, SharePurpose, ShareScope
from cases.services import record_case_event, set_case_status
from partners.models import PartnerNotice
from partners.outbox import issue_tipping_point_notices
from tests.factories import (
    AgreementFactory,
    CheckInFactory,
    PointOfContactFactory,
    VictimLocationFactory,
)
from tests.partners.helpers import issue, key_client
from tests.personas import World

pytestmark = pytest.mark.django_db

AGREEMENT_STRUCTURED = {
    "version",
    "channels",
    "update_interval_days",
    "level_of_detail",
    "contact_windows",
    "avoid_flags",
    "unsafe_channel",
    "language",
    "interpreter_needed",
    "agreed_on",
    "review_by",
}
NOTICE_KEYS = {"id", "kind", "case", "subject", "happens_at", "created_at", "acknowledged_at"}
PAGE_KEYS = {"next", "previous", "has_more", "results"}


@pytest.fixture
def full_case(world: World) -> World:
    """Case A with everything a record can hold, each value easy to spot in an answer."""
    victim = world.case_a.victim
    victim.full_name = "Zora Fullname-Secret"
    victim.preferred_name = "Zee-Preferred"
    victim.preferred_language = "Tigrinya-Lang"
    victim.safe_phone = "07700 900123"
    victim.nationality = "Nationality-Secret"
    victim.save()
    VictimLocationFactory(victim=victim, address="77 Hidden-Address Road", postcode="ZZ7 7ZZ")
    AgreementFactory(
        case=world.case_a,
        created_by=world.nadia,
        avoid_notes="Avoid-Notes-Secret about her brother",
        unsafe_channel="email",
        unsafe_channel_note="Unsafe-Note-Secret",
    )
    CheckInFactory(case=world.case_a, by=world.nadia, notes="Checkin-Notes-Secret")
    PointOfContactFactory(case=world.case_a, role=PocRole.NGO_CASEWORKER, person=world.pat)
    record_case_event(
        case=world.case_a,
        kind=EventKind.COURT_HEARING,
        at=timezone.now() + timedelta(days=2),
        acting_user=world.nadia,
        notes="Event-Notes-Secret",
    )
    set_case_status(
        case=world.case_a, status=CaseStatus.PAUSED, reason="Reason-Secret", acting_user=world.nadia
    )
    return world


SECRETS_ALWAYS = [
    "Zora Fullname-Secret",
    "07700 900123",
    "Nationality-Secret",
    "Avoid-Notes-Secret",
    "Unsafe-Note-Secret",
    "Checkin-Notes-Secret",
    "Event-Notes-Secret",
    "Reason-Secret",
]


def visible_by_consent(covers: list[str], purpose: str) -> dict[str, bool]:
    """What the victim agreed to, worked out here without cases.access: the oracle."""
    return {
        "Zee-Preferred": "preferred_name" in covers,
        "Tigrinya-Lang": "language" in covers,
        "Hidden-Address": "location" in covers and purpose == "accommodation",
    }


def keys_of(value: Any, into: set[str], *, under: str = "") -> set[str]:
    """Every key in a JSON answer, as dotted paths without list positions."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{under}.{key}" if under else key
            into.add(path)
            keys_of(item, into, under=path)
    elif isinstance(value, list):
        for item in value:
            keys_of(item, into, under=under)
    return into


def allowed_case_keys(fields: frozenset[CaseField], shape: dict[str, CaseField]) -> set[str]:
    top = {name for name, field in shape.items() if field in fields}
    nested = set()
    if "points_of_contact" in top:
        nested |= {
            f"points_of_contact.{k}"
            for k in ("role", "person", "started_at", "introduced_by_predecessor")
        }
    if "agreement" in top:
        nested |= {f"agreement.{k}" for k in AGREEMENT_STRUCTURED}
    if "events" in top:
        nested |= {"events.kind", "events.at"}
    if "location" in top:
        nested |= {f"location.{k}" for k in ("address", "postcode", "since", "accommodation_kind")}
    return top | nested


shares = st.builds(
    lambda covers, purpose: (sorted(covers), purpose),
    st.sets(st.sampled_from(ShareScope.values)),
    st.sampled_from(SharePurpose.values),
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(share=shares)
def test_no_answer_holds_what_the_share_does_not_give(
    full_case: World, share: tuple[list[str], str]
) -> None:
    covers, purpose = share
    world = full_case
    with transaction.atomic():
        world.case_a.shares.update(covers=covers, purpose=purpose)
        issue_tipping_point_notices(now=timezone.now())
        given_fields = access.share_fields(covers=covers, purpose=purpose)
        key = issue(world.haven).key
        api = key_client(key)
        caseworker = Client()
        caseworker.force_login(world.pat)
        reference = world.case_a.reference
        notice = PartnerNotice.objects.filter(organisation=world.haven).first()
        answers: list[tuple[str, Any, set[str]]] = []
        for client in (api, caseworker):
            listed = client.get("/api/v1/cases/").json()
            answers.append(
                (
                    "case list",
                    listed,
                    PAGE_KEYS
                    | {f"results.{k}" for k in allowed_case_keys(given_fields, SUMMARY_FIELDS)},
                )
            )
            detail = client.get(f"/api/v1/cases/{reference}/").json()
            answers.append(("case", detail, allowed_case_keys(given_fields, DETAIL_FIELDS)))
            feed = client.get("/api/v1/notices/").json()
            answers.append(("notices", feed, PAGE_KEYS | {f"results.{k}" for k in NOTICE_KEYS}))
            answers.append(
                ("notice", client.get(f"/api/v1/notices/{notice.pk}/").json(), NOTICE_KEYS)
            )
            acknowledged = client.post(f"/api/v1/notices/{notice.pk}/acknowledge/").json()
            answers.append(("acknowledged", acknowledged, NOTICE_KEYS))
        consented = visible_by_consent(covers, purpose)
        for name, body, allowed in answers:
            assert keys_of(body, set()) <= allowed, (name, keys_of(body, set()) - allowed)
            text = str(body)
            for secret in SECRETS_ALWAYS:
                assert secret not in text, (name, secret)
            for secret, agreed in consented.items():
                if name == "case":  # the record itself: there exactly when agreed
                    assert (secret in text) is agreed, (name, secret, covers, purpose)
                else:  # lists and notices never carry the victim's details
                    assert secret not in text, (name, secret)
        # What the share gives is there, too: the rule is not just "show nothing".
        assert set(detail) == allowed_case_keys(given_fields, DETAIL_FIELDS) & set(DETAIL_FIELDS)
        page = caseworker.get(reverse("partner-case", args=[reference])).content.decode()
        for secret in SECRETS_ALWAYS:
            assert secret not in page, ("page", secret)
        for secret, agreed in consented.items():
            assert (secret in page) is agreed, ("page", secret, covers, purpose)
        transaction.set_rollback(True)
