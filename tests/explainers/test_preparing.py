"""Preparing a victim for an interview: the explainer on the case page in their language and at
their level, recorded as gone through, and the early warning clearing; who may do it, what
partners see, and what the pages cost."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from alerts.snapshot import load_snapshots
from alerts.sweep import Rules, refresh_cases
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import record_case_event
from contacts import disengagement as dis
from contacts.choices import Channel, LevelOfDetail
from explainers.choices import Topic
from explainers.library import LIBRARY
from explainers.models import Explainer, ExplainerVersion, Preparation
from explainers.services import load_library, record_preparation
from navigator.errors import PermissionDenied, ValidationError
from partners import outbox
from partners.models import PartnerNotice
from tests.alerts.helpers import agree, update
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2026, 11, 25, 10, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def library(world: World) -> None:
    load_library(library=LIBRARY, acting_user=world.ada, approve=True, now=NOW)


def unprepared_signal(case: Case) -> bool:
    """Whether the early-warning rules fire for an unprepared victim now, as the sweep reads
    the case."""
    now = timezone.now()
    rules = Rules.from_settings()
    (snapshot,) = load_snapshots([case.pk], now=now, recent_days=rules.longest_window)
    assessment = dis.assess(
        snapshot.history, now=timezone.localtime(now), thresholds=rules.thresholds
    )
    return "tipping_point_unprepared" in {s.code for s in assessment.signals}


def warning(case: Case) -> Alert | None:
    return Alert.objects.filter(
        case=case, kind=AlertKind.DISENGAGEMENT, status__in=LIVE_STATUSES
    ).first()


def interview(case: Case, user: object, *, days: int = 3) -> CaseEvent:
    return record_case_event(
        case=case,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=days),
        acting_user=user,  # type: ignore[arg-type]
    )


@pytest.fixture
def romanian_interview(world: World, library: None) -> CaseEvent:
    """case_b (noah's, shared with nobody): Romanian, headlines only, texts but never email;
    an interview in three days the victim is not prepared for."""
    long_ago = timezone.now() - timedelta(days=20)
    agree(
        world.case_b,
        world.noah,
        at=long_ago,
        interval=7,
        language="Romanian",
        level_of_detail=LevelOfDetail.HEADLINE,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        unsafe_channel=Channel.EMAIL,
    )
    update(world.case_b, world.noah, at=timezone.now() - timedelta(days=1))
    return interview(world.case_b, world.noah)


def test_a_navigator_prepares_a_victim_and_the_early_warning_clears(
    world: World, romanian_interview: CaseEvent
) -> None:
    case = world.case_b
    assert unprepared_signal(case)
    client = client_for(world.noah)

    page = client.get(reverse("case-detail", args=[case.reference])).content.decode()
    assert "Interviul tău înregistrat video" in page  # the Romanian version, headlines
    assert "Never by email" in page
    prepare_url = reverse("explainer-prepare", args=[case.reference, romanian_interview.pk])
    assert prepare_url in page

    form = client.get(prepare_url).content.decode()
    assert "needs a professional translation" in form
    assert 'lang="ro"' in form
    # The ways offered are the agreement's, in person first; never the unsafe channel.
    assert 'value="in_person"' in form and 'value="text"' in form
    assert 'value="email"' not in form

    response = client.post(
        prepare_url,
        {"channel": "in_person", "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    preparation = Preparation.objects.get(event=romanian_interview)
    assert (preparation.by, preparation.channel, preparation.version.language) == (
        world.noah,
        "in_person",
        "Romanian",
    )
    # Messages travel in a cookie: the victim is not named in one.
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told and all(case.victim.display_name not in m for m in told), told
    romanian_interview.refresh_from_db()
    assert romanian_interview.victim_prepared
    assert not unprepared_signal(case)
    assert "quiet_since" in warning(case).reasons  # settling: it clears if it stays quiet
    assert romanian_interview.history.first().history_user == world.noah
    after = client.get(reverse("case-detail", args=[case.reference])).content.decode()
    assert "Victim prepared" in after


def test_the_signal_clears_at_the_next_sweep_in_a_replay(world: World, library: None) -> None:
    """Replayed day by day: the interview enters the week ahead, the warning fires; it is
    gone through the day after; the next sweep finds nothing to warn of."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        agree(world.case_b, world.noah, at=start - timedelta(days=3), interval=7)
        event = interview(world.case_b, world.noah, days=10)
        assert not unprepared_signal(world.case_b)
    with time_machine.travel(start + timedelta(days=4), tick=False):
        update(world.case_b, world.noah, at=timezone.now())
        refresh_cases([world.case_b.pk], now=timezone.now())
        assert unprepared_signal(world.case_b)
        version = ExplainerVersion.objects.get(
            explainer__topic=Topic.ABE_INTERVIEW, language="English", level="headline"
        )
        record_preparation(
            event=event, version=version, channel=Channel.IN_PERSON, acting_user=world.noah
        )
    with time_machine.travel(start + timedelta(days=5), tick=False):
        update(world.case_b, world.noah, at=timezone.now())
        assert not unprepared_signal(world.case_b)
        assert warning(world.case_b) is not None  # quiet, settling
    with time_machine.travel(
        start + timedelta(days=5 + settings.DISENGAGEMENT_SETTLE_DAYS), tick=False
    ):
        refresh_cases([world.case_b.pk], now=timezone.now())
        assert warning(world.case_b) is None


def test_english_with_a_visible_note_when_the_translation_is_missing(
    world: World, library: None
) -> None:
    agree(world.case_b, world.noah, at=timezone.now() - timedelta(days=5), language="Tigrinya")
    event = interview(world.case_b, world.noah)
    page = client_for(world.noah).get(
        reverse("explainer-prepare", args=[world.case_b.reference, event.pk])
    )
    text = page.content.decode()
    assert "Translation missing: there is no approved Tigrinya version" in text
    assert "Your video-recorded interview" in text


def test_the_unsafe_channel_is_refused_by_the_service(
    world: World, romanian_interview: CaseEvent
) -> None:
    version = ExplainerVersion.objects.get(
        explainer__topic=Topic.ABE_INTERVIEW, language="Romanian", level="headline"
    )
    with pytest.raises(ValidationError) as refused:
        record_preparation(
            event=romanian_interview, version=version, channel="email", acting_user=world.noah
        )
    assert "not safe" in str(refused.value.message_dict["channel"])
    wrong = ExplainerVersion.objects.filter(explainer__topic=Topic.COURT_HEARING).first()
    with pytest.raises(ValidationError) as refused:
        record_preparation(
            event=romanian_interview, version=wrong, channel="text", acting_user=world.noah
        )
    assert "version" in refused.value.message_dict
    assert not Preparation.objects.exists()


@pytest.mark.parametrize("who", ["olive", "pat", "nadia", "nemo"])
def test_nobody_else_records_a_preparation(
    world: World, romanian_interview: CaseEvent, who: str
) -> None:
    version = ExplainerVersion.objects.approved().first()
    with pytest.raises(PermissionDenied):
        record_preparation(
            event=romanian_interview,
            version=version,
            channel="in_person",
            acting_user=getattr(world, who),
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("oscar", 403),  # an officer of the case's force: not theirs to record
        ("pia", 403),  # a partner: never
        ("nadia", 404),  # a navigator of another case: as if it did not exist
        ("nemo", 404),
        ("sam", 200),  # noah's supervisor
        ("ada", 200),
    ],
)
@pytest.mark.parametrize("page", ["explainer-prepare", "explainer-print"])
def test_who_may_open_the_explainer_pages(
    world: World, romanian_interview: CaseEvent, who: str, status: int, page: str
) -> None:
    url = reverse(page, args=[world.case_b.reference, romanian_interview.pk])
    response = client_for(getattr(world, who)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "no-store" in response["Cache-Control"]


def test_signed_out_is_sent_to_sign_in(world: World, romanian_interview: CaseEvent) -> None:
    from django.test import Client

    url = reverse("explainer-prepare", args=[world.case_b.reference, romanian_interview.pk])
    assert Client().get(url).status_code == 302
    assert Client().post(url, {"channel": "in_person"}).status_code != 200
    assert not Preparation.objects.exists()


def test_an_event_of_another_case_is_not_found(world: World, romanian_interview: CaseEvent) -> None:
    url = reverse("explainer-prepare", args=[world.case_a.reference, romanian_interview.pk])
    assert client_for(world.nadia).get(url).status_code == 404


def test_the_printable_version_carries_nothing_about_the_victim(
    world: World, romanian_interview: CaseEvent
) -> None:
    url = reverse("explainer-print", args=[world.case_b.reference, romanian_interview.pk])
    text = client_for(world.noah).get(url).content.decode()
    assert "Interviul tău înregistrat video" in text
    assert world.case_b.victim.full_name not in text
    outside_links = re.sub(r'href="[^"]*"', "", text)
    assert world.case_b.reference not in outside_links
    assert "<style" not in text and "style=" not in text


def test_a_partner_whose_share_covers_events_sees_which_explainer_was_given(
    world: World, library: None
) -> None:
    agree(world.case_a, world.nadia, at=timezone.now() - timedelta(days=5))
    event = interview(world.case_a, world.nadia)
    outbox.issue_tipping_point_notices(now=timezone.now(), case_ids=[world.case_a.pk])
    assert PartnerNotice.objects.filter(event=event, organisation=world.haven).exists()
    version = ExplainerVersion.objects.get(
        explainer__topic=Topic.ABE_INTERVIEW, language="English", level="headline"
    )
    record_preparation(
        event=event, version=version, channel=Channel.IN_PERSON, acting_user=world.nadia
    )
    url = reverse("partner-case", args=[world.case_a.reference])
    text = client_for(world.pat).get(url).content.decode()
    assert "was given “Your video-recorded interview” (English, headlines only)" in text
    # A share without events shows none of it.
    share = world.case_a.shares.get()
    share.covers = [c for c in share.covers if c != "events"]
    share.save()
    assert "was given" not in client_for(world.pat).get(url).content.decode()
    # Another partner does not see the case at all.
    assert client_for(world.pia).get(url).status_code == 404


def test_a_share_without_the_language_does_not_give_it_away_through_the_explainer_given(
    world: World, library: None
) -> None:
    agree(
        world.case_a,
        world.nadia,
        at=timezone.now() - timedelta(days=5),
        language="Romanian",
        level_of_detail=LevelOfDetail.HEADLINE,
    )
    event = interview(world.case_a, world.nadia)
    outbox.issue_tipping_point_notices(now=timezone.now(), case_ids=[world.case_a.pk])
    version = ExplainerVersion.objects.get(
        explainer__topic=Topic.ABE_INTERVIEW, language="Romanian", level="headline"
    )
    record_preparation(
        event=event, version=version, channel=Channel.IN_PERSON, acting_user=world.nadia
    )
    share = world.case_a.shares.get()
    share.covers = ["events"]  # neither the language nor the agreement's terms
    share.save()
    url = reverse("partner-case", args=[world.case_a.reference])
    text = client_for(world.pat).get(url).content.decode()
    assert f"was given “{version.explainer.title}”" in text
    assert "Romanian" not in text and version.title not in text  # its title is in Romanian
    assert "headlines only" not in text  # how much detail is the agreement's
    # With the language and the agreement in the share, the version given is named.
    share.covers = ["events", "language", "agreement"]
    share.save()
    text = client_for(world.pat).get(url).content.decode()
    assert f"was given “{version.title}” (Romanian, headlines only)" in text


def test_the_case_page_costs_the_same_with_more_events(
    world: World,
    library: None,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    agree(world.case_b, world.noah, at=timezone.now() - timedelta(days=5))
    interview(world.case_b, world.noah)
    client = client_for(world.noah)
    url = reverse("case-detail", args=[world.case_b.reference])
    client.get(url)
    with django_assert_max_num_queries(36) as one:
        client.get(url)
    for days in (4, 5, 6):
        record_case_event(
            case=world.case_b,
            kind=EventKind.COURT_HEARING,
            at=timezone.now() + timedelta(days=days),
            acting_user=world.noah,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_prepare_page_in_a_fixed_number_of_queries(
    world: World,
    romanian_interview: CaseEvent,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(world.noah)
    url = reverse("explainer-prepare", args=[world.case_b.reference, romanian_interview.pk])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_load_explainers_adds_new_words_as_new_revisions_only(world: World) -> None:
    call_command("load_explainers", username=world.ada.username)
    count = ExplainerVersion.objects.count()
    assert count == sum(len(texts) for texts in LIBRARY.values())
    assert not ExplainerVersion.objects.approved().exists()  # waiting for an administrator
    call_command("load_explainers", username=world.ada.username)
    assert ExplainerVersion.objects.count() == count
    assert ExplainerVersion.objects.filter(needs_professional_translation=True).exists()


def test_the_contact_form_points_to_the_explainer_for_an_unprepared_event(
    world: World, romanian_interview: CaseEvent
) -> None:
    url = reverse("checkin-create", args=[world.case_b.reference])
    prepare_url = reverse("explainer-prepare", args=[world.case_b.reference, romanian_interview.pk])
    assert prepare_url in client_for(world.noah).get(url).content.decode()
    # Officers log contacts but do not prepare the victim: no link for them.
    assert prepare_url not in client_for(world.oscar).get(url).content.decode()


def test_explainers_for_where_the_case_is(world: World, library: None) -> None:
    agree(world.case_b, world.noah, at=timezone.now() - timedelta(days=5), language="Romanian")
    page = client_for(world.noah).get(reverse("case-detail", args=[world.case_b.reference]))
    text = page.content.decode()
    code = Explainer.objects.get(topic=Topic.VICTIMS_CODE)
    url = reverse("explainer-read", args=[world.case_b.reference, code.pk])
    assert url in text
    assert "(English, headlines only; translation missing)" in text
    read = client_for(world.noah).get(url)
    assert "Translation missing: there is no approved Romanian version" in read.content.decode()
    assert "no-store" in read["Cache-Control"]
    printed = reverse("explainer-read-print", args=[world.case_b.reference, code.pk])
    assert client_for(world.noah).get(printed).status_code == 200
    # The same access as the case: another navigator finds nothing, an officer is refused.
    assert client_for(world.nadia).get(url).status_code == 404
    assert client_for(world.oscar).get(url).status_code == 403
    assert client_for(world.pia).get(url).status_code == 403
    assert (
        "explainers/"
        not in client_for(world.oscar)
        .get(reverse("case-detail", args=[world.case_b.reference]))
        .content.decode()
    )


def test_a_closed_case_is_not_prepared_for(world: World, romanian_interview: CaseEvent) -> None:
    from cases.services import set_case_status

    set_case_status(case=world.case_b, status="closed", reason="Moved away", acting_user=world.noah)
    romanian_interview.case.refresh_from_db()
    version = ExplainerVersion.objects.get(
        explainer__topic=Topic.ABE_INTERVIEW, language="Romanian", level="headline"
    )
    with pytest.raises(ValidationError):
        record_preparation(
            event=romanian_interview, version=version, channel="text", acting_user=world.noah
        )


def test_a_form_sent_twice_records_it_once(world: World, romanian_interview: CaseEvent) -> None:
    client = client_for(world.noah)
    url = reverse("explainer-prepare", args=[world.case_b.reference, romanian_interview.pk])
    form = {"channel": "text", "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert Preparation.objects.count() == 1


def test_the_partner_page_costs_the_same_with_more_explainers_given(
    world: World,
    library: None,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    agree(world.case_a, world.nadia, at=timezone.now() - timedelta(days=5))
    version = ExplainerVersion.objects.get(
        explainer__topic=Topic.ABE_INTERVIEW, language="English", level="headline"
    )

    def prepared_interview(days: int) -> None:
        event = interview(world.case_a, world.nadia, days=days)
        outbox.issue_tipping_point_notices(now=timezone.now(), case_ids=[world.case_a.pk])
        record_preparation(
            event=event, version=version, channel=Channel.IN_PERSON, acting_user=world.nadia
        )

    prepared_interview(2)
    client = client_for(world.pat)
    url = reverse("partner-case", args=[world.case_a.reference])
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    prepared_interview(3)
    prepared_interview(4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("was given") == 3
