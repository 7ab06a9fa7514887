"""The case page: the agreement first, then people, alerts, promises, what is coming, the
chart, the engagement measures and the timeline, each part shown as the access rules allow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, EngagementSnapshot
from cases.choices import CaseStatus, EventKind
from cases.models import ImportantDate
from cases.services import record_case_event
from contacts.choices import AvoidFlag, Channel
from contacts.services import make_promise
from partners.outbox import issue_tipping_point_notices
from tests.alerts.helpers import agree, update
from tests.factories import VictimLocationFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_case(world: World, overdue: Alert) -> World:
    """case_a with an agreement, notes, a promise, an event, a date, scores and a location."""
    now = timezone.now()
    agree(
        world.case_a,
        world.nadia,
        at=now - timedelta(days=9),
        interval=7,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
        unsafe_channel=Channel.EMAIL,
        unsafe_channel_note="her old account, which he reads",
        avoid_notes="Never mention her brother.",
        language="Tigrinya",
        interpreter_needed=True,
    )
    update(
        world.case_a,
        world.nadia,
        at=now - timedelta(days=9),
        wellbeing=2,
        trust=3,
        notes="Worried about her sister",
    )
    make_promise(
        case=world.case_a,
        acting_user=world.nadia,
        description="Call back with the hearing date",
        due_by=now + timedelta(days=2),
    )
    record_case_event(
        case=world.case_a,
        kind=EventKind.COURT_HEARING,
        at=now + timedelta(days=5),
        acting_user=world.nadia,
        notes="Judge asked for the interpreter",
    )
    ImportantDate.objects.create(
        victim=world.case_a.victim, label="Anniversary of arrival", date=timezone.localdate()
    )
    VictimLocationFactory(victim=world.case_a.victim, address="7 Hidden Lane")
    EngagementSnapshot.objects.create(
        case=world.case_a, on=timezone.localdate() - timedelta(days=20), score=3, level="watch"
    )
    return world


def page_for(world: World, who: str) -> str:
    url = reverse("case-detail", args=[world.case_a.reference])
    response = client_for(getattr(world, who)).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_navigator_reads_the_agreement_first_then_everything_else(full_case: World) -> None:
    w = full_case
    page = page_for(w, "nadia")
    name = w.case_a.victim.display_name
    order = [
        f"Before you contact {name}",
        f"Text {name}, headlines only; never from a withheld number or by email.",
        "What to avoid",
        "Never use email: it is not safe for",
        "Her old account, which he reads.",
        "Never mention her brother.",
        f"{name} speaks Tigrinya; book an interpreter.",
        'id="people">Points of contact',
        'id="alerts">Open alerts',
        "What to do:",
        'id="promises">Open promises',
        "Call back with the hearing date",
        'id="coming">Coming up',
        "Court hearing",
        "Anniversary of arrival",
        'id="wellbeing">Wellbeing and trust',
        'id="engagement-title">Engagement',
        'id="timeline">Timeline',
        "Worried about her sister",
        'id="about">About the case',
    ]
    positions = [page.index(text.replace("'", "&#x27;")) for text in order]
    assert positions == sorted(positions), list(zip(positions, order, strict=True))
    assert "7 Hidden Lane" in page
    assert '<svg class="chart"' in page and "chart__band--watch" in page
    assert "Record the engagement measures" in page
    assert "Pause, close or reopen the case" in page


def test_an_officer_sees_the_rules_and_the_record_without_notes(full_case: World) -> None:
    page = page_for(full_case, "omar")  # same force, not the police point of contact
    assert "never from a withheld number" in page
    assert "Her old account, which he reads." in page  # free text: officers see identity
    assert "Worried about her sister" not in page  # the navigator's notes
    assert "Judge asked for the interpreter" not in page
    assert "7 Hidden Lane" not in page  # not the officer in the case
    assert "Open alerts" in page and "Timeline" in page
    assert "Record the engagement measures" not in page
    assert "Pause, close or reopen" not in page
    assert "7 Hidden Lane" in page_for(full_case, "olive")  # the police point of contact


def test_a_partner_sees_the_rules_by_reference_and_nothing_more(full_case: World) -> None:
    w = full_case
    record_case_event(
        case=w.case_a,
        kind=EventKind.RELOCATION,
        at=timezone.now() + timedelta(days=3),
        acting_user=w.nadia,
    )
    issue_tipping_point_notices(now=timezone.now())  # the partner is told of the hard moment
    # A partner reads a shared case on a page of their own (the staff page sends them there).
    response = client_for(w.pat).get(reverse("partner-case", args=[w.case_a.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    assert w.case_a.reference in page and w.case_a.victim.reference in page
    assert w.case_a.victim.preferred_name in page  # the default share gives it
    assert f"Before you contact {w.case_a.victim.preferred_name}" in page
    assert "never from a withheld number or by email" in page  # the rules keep her safe
    assert "Court hearing" in page  # a hard moment the partner supports her through
    for hidden in (
        w.case_a.victim.full_name,
        "Her old account",
        "Never mention her brother",
        "Worried about her sister",
        "7 Hidden Lane",
        "07700",
        "Open alerts",
        "Open promises",
        "Timeline",
        "Wellbeing and trust",
        "Anniversary of arrival",
        "Judge asked",
        "Relocation",  # not one of the hard moments partners are told of
    ):
        assert hidden not in page, hidden


@pytest.mark.parametrize("who", ["noah", "oscar", "pia", "nemo", "sue"])
def test_a_case_out_of_reach_is_not_found(full_case: World, who: str) -> None:
    client = client_for(getattr(full_case, who))
    reference = full_case.case_a.reference
    for name in ("case-detail", "case-timeline", "checkin-create"):
        # A partner is sent to their own case page, which does not find it either.
        response = client.get(reverse(name, args=[reference]), follow=True)
        assert response.status_code in (403, 404), name
    assert client.post(reverse("case-engagement", args=[reference])).status_code in (403, 404)
    assert client.post(reverse("case-status", args=[reference])).status_code in (403, 404)


def test_the_case_page_needs_signing_in(world: World) -> None:
    response = Client().get(reverse("case-detail", args=[world.case_a.reference]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_case_pages_queries_do_not_grow_with_its_history(full_case: World) -> None:
    w = full_case
    client = client_for(w.nadia)
    url = reverse("case-detail", args=[w.case_a.reference])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    before = count()
    now = timezone.now()
    for days in range(1, 9):
        update(w.case_a, w.nadia, at=now - timedelta(days=days, hours=1), wellbeing=3, trust=4)
        record_case_event(
            case=w.case_a,
            kind=EventKind.INTERVIEW,
            at=now + timedelta(days=days),
            acting_user=w.nadia,
        )
        make_promise(
            case=w.case_a,
            acting_user=w.nadia,
            description=f"Promise {days}",
            due_by=now + timedelta(days=days),
        )
    after = count()
    assert before == after <= 34, (before, after)


def test_the_timeline_comes_a_page_at_a_time(world: World) -> None:
    now = timezone.now()
    agree(world.case_a, world.nadia, at=now - timedelta(days=40), interval=7)
    for day in range(1, 31):
        update(world.case_a, world.nadia, at=now - timedelta(days=day), notes=f"Call number {day}")
    client = client_for(world.nadia)
    page = client.get(reverse("case-detail", args=[world.case_a.reference])).content.decode()
    assert "Call number 1<" in page and "Call number 20<" in page
    assert "Call number 30<" not in page
    assert "Show earlier entries" in page
    more = page.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    fragment = client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "Call number 30<" in fragment and "Call number 1<" not in fragment
    full = client.get(more).content.decode()  # without script: a page of its own
    assert "<html" in full and "Call number 30<" in full


def test_engagement_measures_are_saved_through_the_service_in_place(world: World) -> None:
    client = client_for(world.nadia)
    url = reverse("case-engagement", args=[world.case_a.reference])
    form = {
        "support_offered_on": timezone.localdate().isoformat(),
        "support_accepted": "yes",
        "investigation_engagement": "positive",
    }
    fragment = client.post(url, form, headers={"HX-Request": "true"}).content.decode()
    assert "Engagement measures saved." in fragment and "<html" not in fragment
    world.case_a.refresh_from_db()
    assert (world.case_a.support_accepted, world.case_a.investigation_engagement) == (
        "yes",
        "positive",
    )
    assert world.case_a.history.first().history_user == world.nadia

    plain = client.post(url, {**form, "support_accepted": "no"})
    assert plain.status_code == 302  # without script, back to the page


def test_engagement_measures_refuse_a_date_the_case_cannot_have(world: World) -> None:
    client = client_for(world.nadia)
    url = reverse("case-engagement", args=[world.case_a.reference])
    for day, message in (
        ("1900-01-01", "Support cannot be before the case was opened"),
        ((timezone.localdate() + timedelta(days=1)).isoformat(), "Support cannot be in the future"),
        ("", "Say when support was offered."),
    ):
        fragment = client.post(
            url,
            {
                "support_offered_on": day,
                "support_accepted": "yes",
                "investigation_engagement": "unknown",
            },
            headers={"HX-Request": "true"},
        ).content.decode()
        assert message in fragment
        assert "There is a problem" in fragment
        world.case_a.refresh_from_db()
        assert world.case_a.support_accepted == "unknown"  # nothing saved


def test_only_the_navigation_team_records_engagement_or_status(world: World) -> None:
    client = client_for(world.olive)
    reference = world.case_a.reference
    engagement = {"support_accepted": "yes", "investigation_engagement": "positive"}
    assert client.post(reverse("case-engagement", args=[reference]), engagement).status_code == 403
    status = {"status": "paused", "status_reason": "asked"}
    assert client.post(reverse("case-status", args=[reference]), status).status_code == 403
    world.case_a.refresh_from_db()
    assert world.case_a.status == CaseStatus.OPEN


def test_pausing_without_a_reason_shows_the_error_beside_the_field(world: World) -> None:
    url = reverse("case-status", args=[world.case_a.reference])
    response = client_for(world.nadia).post(url, {"status": "paused", "status_reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_status_reason"' in page
    assert 'id="id_status_reason_error"' in page and "Say why the case is paused or closed." in page
    world.case_a.refresh_from_db()
    assert world.case_a.status == CaseStatus.OPEN
