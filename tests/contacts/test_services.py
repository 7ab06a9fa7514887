"""Bad input is refused with a message naming the field, and nothing half-written stays."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from cases.choices import CaseStatus
from cases.services import set_case_status
from contacts.choices import Channel, Direction, Outcome
from contacts.models import CheckIn, CommunicationAgreement
from contacts.services import AgreementChanged, log_checkin, record_agreement
from navigator.errors import PermissionDenied, ValidationError
from tests.personas import World

pytestmark = pytest.mark.django_db


def checkin(world: World, **overrides: object) -> CheckIn:
    fields = {
        "case": world.case_a,
        "acting_user": world.nadia,
        "at": timezone.now() - timedelta(minutes=10),
        "direction": Direction.OUTBOUND,
        "channel": Channel.PHONE_CALL,
        "outcome": Outcome.REACHED,
        "update_given": "news",
    }
    return log_checkin(**{**fields, **overrides})  # type: ignore[arg-type]


def agreement(world: World, **overrides: object) -> CommunicationAgreement:
    fields = {
        "case": world.case_a,
        "acting_user": world.nadia,
        "channels": [Channel.TEXT],
        "update_interval_days": 2,
        "agreed_on": timezone.localdate(),
    }
    return record_agreement(**{**fields, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"at": timezone.now() + timedelta(hours=1)}, "at", "cannot be in the future"),
        ({"wellbeing": 0}, "wellbeing", "scored from 1 to 5"),
        ({"trust": 6}, "trust", "scored from 1 to 5"),
        ({"channel": "carrier pigeon"}, "channel", "is not one of"),
        ({"outcome": "maybe"}, "outcome", "is not one of"),
        ({"concerns": ["ghosts"]}, "concerns", "is not one of"),
        ({"events_told": [999999]}, "events_told", "key decisions"),
    ],
    ids=["future", "wellbeing-0", "trust-6", "channel", "outcome", "concern", "foreign-event"],
)
def test_bad_checkins_are_refused_naming_the_field(
    world: World, overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        checkin(world, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not CheckIn.objects.exists()


def test_a_checkin_a_few_minutes_ahead_is_accepted(world: World) -> None:
    # A phone clock a little fast must not stop a navigator logging a call.
    assert checkin(world, at=timezone.now() + timedelta(minutes=3)).pk


def test_a_checkin_on_a_closed_case_is_refused(world: World) -> None:
    set_case_status(
        case=world.case_a, status=CaseStatus.CLOSED, reason="Concluded", acting_user=world.nadia
    )
    with pytest.raises(ValidationError) as refused:
        checkin(world)
    assert "is closed" in refused.value.message_dict["case"][0]
    assert not CheckIn.objects.exists()


def test_every_bad_field_is_reported_at_once(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        checkin(world, wellbeing=9, trust=0, channel="fax")
    assert {"wellbeing", "trust", "channel"} <= set(refused.value.message_dict)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"update_interval_days": 0}, "update_interval_days", "at least one day"),
        ({"channels": []}, "channels", "at least one channel"),
        (
            {"contact_windows": [{"days": [0], "start": "17:00", "end": "09:00"}]},
            "contact_windows",
            "ends at 09:00, before it starts at 17:00",
        ),
        (
            {"contact_windows": [{"days": [7], "start": "09:00", "end": "17:00"}]},
            "contact_windows",
            "0 (Monday) to 6",
        ),
        ({"unsafe_channel": Channel.TEXT}, "unsafe_channel", "cannot also be an agreed one"),
        ({"review_by": date(2000, 1, 1)}, "review_by", "before the agreement was made"),
        ({"avoid_flags": ["no_owls"]}, "avoid_flags", "is not one of"),
        ({"agreed_through": "x" * 301}, "agreed_through", "300 characters or fewer"),
    ],
    ids=[
        "interval-0",
        "no-channels",
        "window-backwards",
        "bad-day",
        "unsafe",
        "review",
        "flag",
        "through-too-long",
    ],
)
def test_bad_agreements_are_refused_naming_the_field(
    world: World, overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        agreement(world, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not CommunicationAgreement.objects.exists()


def test_a_new_agreement_supersedes_the_current_one_as_a_new_version(world: World) -> None:
    first = agreement(world)
    second = agreement(world, update_interval_days=7)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None and second.superseded_at is None


def test_a_form_based_on_an_older_version_is_refused_not_saved_over_the_newer(
    world: World,
) -> None:
    agreement(world, based_on_version=0)  # the first, from a form that saw none
    agreement(world, update_interval_days=7, based_on_version=1)  # someone else's change
    with pytest.raises(AgreementChanged) as refused:
        agreement(world, update_interval_days=3, based_on_version=1)  # the stale form
    assert (refused.value.based_on, refused.value.current) == (1, 2)
    assert "version 2 has been recorded since" in refused.value.messages[0]
    current = CommunicationAgreement.objects.get(case=world.case_a, superseded_at__isnull=True)
    assert (current.version, current.update_interval_days) == (2, 7)
    # A form that saw no agreement, when one exists, is refused too.
    with pytest.raises(AgreementChanged):
        agreement(world, based_on_version=0)
    assert agreement(world, update_interval_days=3, based_on_version=2).version == 3


def test_who_the_victim_agreed_through_is_kept_with_the_version(world: World) -> None:
    saved = agreement(world, agreed_through="  In person with Nadia and an interpreter ")
    saved.refresh_from_db()
    assert saved.agreed_through == "In person with Nadia and an interpreter"


@pytest.mark.parametrize("who", ["noah", "oscar", "pat", "nemo"])
def test_people_who_may_not_log_on_the_case_are_refused(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        checkin(world, acting_user=getattr(world, who))
    assert not CheckIn.objects.exists()
    assert not Alert.objects.exists()


def test_an_officer_of_the_force_may_log_a_contact(world: World) -> None:
    assert checkin(world, acting_user=world.omar).by == world.omar
