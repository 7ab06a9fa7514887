"""The small forms from the case page: a promise and whether it was kept, a case event,
the dates that matter to the victim, what was done about a concern, sharing with consent.

Each is reached from the case page, saves through its service, keeps what was typed with
the error beside the field, saves once when sent twice, and refuses a stale form plainly.
"""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.choices import EventKind, SharePurpose, ShareScope
from cases.models import CaseEvent, CaseShare, ImportantDate
from contacts.choices import Concern, PromiseStatus
from contacts.models import ConcernResponse, Promise
from tests.factories import (
    CaseShareFactory,
    CheckInFactory,
    OrganisationFactory,
    PromiseFactory,
)
from tests.pages.conftest import client_for
from tests.pages.test_sign_in import sign_in
from tests.personas import World

pytestmark = pytest.mark.django_db


def local(delta: timedelta = timedelta(0), fmt: str = "%Y-%m-%dT%H:%M") -> str:
    return (timezone.localtime() + delta).strftime(fmt)


def case_page(world: World) -> str:
    return reverse("case-detail", args=[world.case_a.reference])


def url(name: str, world: World, *args: Any) -> str:
    return reverse(name, args=[world.case_a.reference, *args])


def page_text(response: Any) -> str:
    return response.content.decode()


# Promises


def test_a_navigator_records_a_promise_from_the_case_page(world: World) -> None:
    nadia = client_for(world.nadia)
    assert url("promise-new", world) in page_text(nadia.get(case_page(world)))
    form = nadia.get(url("promise-new", world))
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    key = str(uuid4())
    sent = {
        "submission_key": key,
        "description": "I will call you once the hearing date is set.",
        "due_by": local(timedelta(days=3)),
    }
    answer = nadia.post(url("promise-new", world), sent, follow=True)
    assert answer.redirect_chain[-1][0] == case_page(world)
    assert "Promise recorded, due" in page_text(answer)
    assert "I will call you once the hearing date is set." in page_text(answer)
    # A double tap: the same form again saves nothing more.
    again = nadia.post(url("promise-new", world), sent, follow=True)
    assert "sent twice and saved once" in page_text(again)
    assert Promise.objects.filter(case=world.case_a).count() == 1


def test_a_promise_dated_before_the_case_is_refused_beside_the_field_keeping_the_typing(
    world: World,
) -> None:
    nadia = client_for(world.nadia)
    answer = nadia.post(
        url("promise-new", world),
        {
            "submission_key": str(uuid4()),
            "description": "Ring the landlord",
            "due_by": "0001-01-01T00:00",
        },
    )
    assert answer.status_code == 200
    text = page_text(answer)
    assert "There is a problem" in text
    assert "cannot be before the case was opened" in text
    assert "Ring the landlord" in text
    assert not Promise.objects.exists()


def test_a_navigator_marks_a_promise_kept_and_a_stale_form_changes_nothing(
    world: World,
) -> None:
    promise = PromiseFactory(case=world.case_a, made_by=world.nadia)
    nadia = client_for(world.nadia)
    assert url("promise-resolve", world, promise.pk) in page_text(nadia.get(case_page(world)))
    assert nadia.get(url("promise-resolve", world, promise.pk)).status_code == 200
    answer = nadia.post(url("promise-resolve", world, promise.pk), {"status": "kept"}, follow=True)
    assert "The promise is marked kept." in page_text(answer)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT
    # Another form, opened before it was marked, now says broken: refused, plainly.
    stale = nadia.post(url("promise-resolve", world, promise.pk), {"status": "broken"}, follow=True)
    assert "already marked kept: nothing was changed" in page_text(stale)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT


def test_a_promise_of_another_case_is_not_found(world: World) -> None:
    other = PromiseFactory(case=world.case_b, made_by=world.noah)
    nadia = client_for(world.nadia)
    assert (
        nadia.post(url("promise-resolve", world, other.pk), {"status": "kept"}).status_code == 404
    )
    other.refresh_from_db()
    assert other.status == PromiseStatus.OPEN


def test_resolving_without_choosing_says_what_to_choose(world: World) -> None:
    promise = PromiseFactory(case=world.case_a, made_by=world.nadia)
    answer = client_for(world.nadia).post(url("promise-resolve", world, promise.pk), {})
    assert "Choose what happened to the promise." in page_text(answer)


# Case events


def test_a_navigator_records_a_key_decision_once_however_often_it_is_sent(world: World) -> None:
    nadia = client_for(world.nadia)
    assert url("event-new", world) in page_text(nadia.get(case_page(world)))
    form = page_text(nadia.get(url("event-new", world)))
    assert "key decision" in form and "told in advance" in form
    assert "Haven" in form  # the partner told of hard moments on this case
    sent = {
        "submission_key": str(uuid4()),
        "kind": EventKind.CHARGING_DECISION,
        "at": local(-timedelta(hours=2)),
        "is_key_decision": "on",
        "notes": "CPS charged both.",
    }
    answer = nadia.post(url("event-new", world), sent, follow=True)
    assert "Charging decision recorded" in page_text(answer)
    assert "tell the victim in time" in page_text(answer)
    nadia.post(url("event-new", world), sent)
    event = CaseEvent.objects.get(case=world.case_a)
    assert event.is_key_decision and event.notes == "CPS charged both."
    assert event.created_by == world.nadia


def test_an_event_ten_thousand_years_on_is_refused_beside_the_field(world: World) -> None:
    answer = client_for(world.nadia).post(
        url("event-new", world),
        {"submission_key": str(uuid4()), "kind": EventKind.INTERVIEW, "at": "9999-12-31T23:59"},
    )
    assert answer.status_code == 200
    assert "more than ten years ahead" in page_text(answer)
    assert not CaseEvent.objects.exists()


def test_an_event_without_a_kind_or_a_real_date_is_refused_in_plain_words(world: World) -> None:
    answer = client_for(world.nadia).post(
        url("event-new", world), {"submission_key": str(uuid4()), "at": "31/02/2026 10:00"}
    )
    text = page_text(answer)
    assert "Choose what kind of event it is." in text
    assert "Enter a real date and time" in text


# Dates that matter


def test_a_navigator_adds_and_removes_a_date_that_matters(world: World) -> None:
    nadia = client_for(world.nadia)
    assert url("important-dates", world) in page_text(nadia.get(case_page(world)))
    sent = {
        "submission_key": str(uuid4()),
        "label": "Her daughter's birthday",
        "day": "2019-06-03",
        "every_year": "on",
    }
    answer = nadia.post(url("important-dates", world), sent, follow=True)
    assert "reminded before it comes round" in page_text(answer)
    assert "Her daughter&#x27;s birthday" in page_text(answer)
    nadia.post(url("important-dates", world), sent)  # sent twice
    important = ImportantDate.objects.get(victim=world.case_a.victim)
    assert important.every_year
    removed = nadia.post(url("important-date-remove", world, important.pk), follow=True)
    assert "The date is removed." in page_text(removed)
    assert not ImportantDate.objects.exists()
    # The same removal again (another tab): said plainly, nothing breaks.
    again = nadia.post(url("important-date-remove", world, important.pk), follow=True)
    assert "had already been removed" in page_text(again)
    assert ImportantDate.history.filter(history_type="-").get().history_user == world.nadia


def test_a_one_off_date_in_the_past_is_refused_beside_the_field(world: World) -> None:
    answer = client_for(world.nadia).post(
        url("important-dates", world),
        {"submission_key": str(uuid4()), "label": "Moving day", "day": "2020-01-01"},
    )
    assert "must still be to come" in page_text(answer)
    assert "Moving day" in page_text(answer)
    assert not ImportantDate.objects.exists()


def test_removing_a_date_is_a_post_only(world: World) -> None:
    important = ImportantDate.objects.create(
        victim=world.case_a.victim, label="Birthday", date=timezone.localdate()
    )
    assert (
        client_for(world.nadia).get(url("important-date-remove", world, important.pk)).status_code
        == 405
    )


# Concerns


def test_a_navigator_says_what_was_done_about_a_concern_raised(world: World) -> None:
    checkin = CheckInFactory(
        case=world.case_a,
        by=world.nadia,
        at=timezone.now() - timedelta(hours=3),
        concerns=[Concern.SAFETY_FEAR, Concern.HOUSING],
    )
    nadia = client_for(world.nadia)
    case_text = page_text(nadia.get(case_page(world)))
    assert "Concerns waiting for an answer" in case_text
    assert url("concern-respond", world, checkin.pk) in case_text
    sent = {
        "submission_key": str(uuid4()),
        "concern": Concern.SAFETY_FEAR,
        "action": "Safety plan updated; police told.",
        "at": local(),
    }
    answer = nadia.post(url("concern-respond", world, checkin.pk), sent, follow=True)
    assert "What was done is recorded." in page_text(answer)
    nadia.post(url("concern-respond", world, checkin.pk), sent)  # sent twice
    response = ConcernResponse.objects.get()
    assert response.by == world.nadia and response.concern == Concern.SAFETY_FEAR
    # Only housing is left to answer.
    form = page_text(nadia.get(url("concern-respond", world, checkin.pk)))
    assert "Housing" in form and "Safety fear" not in form


def test_a_response_before_the_concern_was_raised_is_refused(world: World) -> None:
    checkin = CheckInFactory(case=world.case_a, by=world.nadia, concerns=[Concern.MONEY])
    answer = client_for(world.nadia).post(
        url("concern-respond", world, checkin.pk),
        {
            "submission_key": str(uuid4()),
            "concern": Concern.MONEY,
            "action": "Referred to the food bank",
            "at": local(-timedelta(days=2)),
        },
    )
    assert "A response comes after the concern was raised." in page_text(answer)
    assert "Referred to the food bank" in page_text(answer)
    assert not ConcernResponse.objects.exists()


# Sharing with consent


def share_form(world: World, **overrides: Any) -> dict[str, Any]:
    form = {
        "submission_key": str(uuid4()),
        "organisation": world.other_ngo.pk,
        "purpose": SharePurpose.SUPPORT,
        "covers": [ShareScope.PREFERRED_NAME, ShareScope.EVENTS],
        "consent_recorded_on": local(fmt="%Y-%m-%d"),
        "consent_recorded_by": world.nadia.pk,
        "expires_on": "",
    }
    form.update(overrides)
    return form


def test_the_share_page_says_what_the_partner_will_and_will_not_see(world: World) -> None:
    nadia = client_for(world.nadia)
    assert url("case-share", world) in page_text(nadia.get(case_page(world)))
    text = page_text(nadia.get(url("case-share", world)))
    seen, unseen = text.split("They will not see:")
    assert "the navigators&#x27; notes" in unseen
    assert "where the victim lives" in unseen  # never for a support partner
    assert "the name the victim prefers to be called" in seen
    # What the victim consents to is what the partner gets: every handover of the case,
    # by organisation (cases.access.visible_handovers), not only those to the partner.
    assert "the case&#x27;s handovers: what is handed to which organisation" in seen
    assert "Haven" in text  # shared now, with a way to end it
    # Asked for an accommodation provider covering where they live, the page says so.
    answer = nadia.post(
        url("case-share", world),
        share_form(world, purpose="accommodation", covers=["location"], consent_recorded_on=""),
    )
    seen, unseen = page_text(answer).split("They will not see:")
    assert "where the victim lives" in seen


def test_a_navigator_shares_a_case_with_consent_once_and_ends_it(world: World) -> None:
    nadia = client_for(world.nadia)
    sent = share_form(world, expires_on=local(timedelta(days=90), "%Y-%m-%d"))
    answer = nadia.post(url("case-share", world), sent, follow=True)
    assert "The case is shared with Elsewhere Trust." in page_text(answer)
    nadia.post(url("case-share", world), sent)  # sent twice
    share = CaseShare.objects.get(case=world.case_a, organisation=world.other_ngo)
    assert share.covers == [ShareScope.PREFERRED_NAME, ShareScope.EVENTS]
    assert share.consent_recorded_by == world.nadia and share.expires_at is not None
    ended = nadia.post(url("share-end", world, share.pk), follow=True)
    assert "they no longer see the case" in page_text(ended)
    share.refresh_from_db()
    assert share.revoked_at is not None and share.revoked_by == world.nadia
    # The same button pressed in another tab: said plainly, nothing more happens.
    again = nadia.post(url("share-end", world, share.pk), follow=True)
    assert "had already ended" in page_text(again)


def test_sharing_the_location_with_a_support_partner_is_refused_beside_the_field(
    world: World,
) -> None:
    answer = client_for(world.nadia).post(
        url("case-share", world),
        share_form(world, covers=["location"], consent_recorded_on="2001-01-01"),
    )
    text = page_text(answer)
    assert "shared only with their accommodation provider" in text
    assert "cannot be before the case was opened" in text
    assert not CaseShare.objects.filter(organisation=world.other_ngo).exists()


def test_sharing_with_a_partner_already_shared_with_says_so(world: World) -> None:
    answer = client_for(world.nadia).post(
        url("case-share", world), share_form(world, organisation=world.haven.pk)
    )
    assert "already shared with Haven" in page_text(answer)


# Who may use them


FORMS = [
    ("promise-new", ()),
    ("event-new", ()),
    ("important-dates", ()),
    ("case-share", ()),
]


@pytest.mark.parametrize(("name", "args"), FORMS)
@pytest.mark.parametrize(("who", "status"), [("olive", 403), ("pat", 403), ("nemo", 404)])
def test_officers_partners_and_other_navigators_cannot_post_the_forms(
    world: World, name: str, args: tuple[Any, ...], who: str, status: int
) -> None:
    answer = client_for(getattr(world, who)).post(url(name, world, *args), {"x": "y"})
    assert answer.status_code == status
    assert not Promise.objects.exists() and not CaseEvent.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("olive", 403), ("pat", 403), ("noah", 404)])
def test_nobody_else_resolves_a_promise_answers_a_concern_or_ends_a_share(
    world: World, who: str, status: int
) -> None:
    promise = PromiseFactory(case=world.case_a, made_by=world.nadia)
    checkin = CheckInFactory(case=world.case_a, by=world.nadia, concerns=[Concern.MONEY])
    share = world.case_a.shares.get()
    important = ImportantDate.objects.create(
        victim=world.case_a.victim, label="Birthday", date=timezone.localdate()
    )
    client = client_for(getattr(world, who))
    assert (
        client.post(url("promise-resolve", world, promise.pk), {"status": "kept"}).status_code
        == status
    )
    assert (
        client.post(
            url("concern-respond", world, checkin.pk), {"concern": "money", "action": "x"}
        ).status_code
        == status
    )
    assert client.post(url("share-end", world, share.pk)).status_code == status
    assert client.post(url("important-date-remove", world, important.pk)).status_code == status
    promise.refresh_from_db()
    share.refresh_from_db()
    assert promise.status == PromiseStatus.OPEN and share.revoked_at is None
    assert ImportantDate.objects.exists() and not ConcernResponse.objects.exists()


def test_a_supervisor_records_an_event_on_a_team_case(world: World) -> None:
    answer = client_for(world.sam).post(
        url("event-new", world),
        {
            "submission_key": str(uuid4()),
            "kind": EventKind.INTERVIEW,
            "at": local(timedelta(days=4)),
        },
    )
    assert answer.status_code == 302
    assert CaseEvent.objects.get().created_by == world.sam


def test_opening_a_form_is_recorded_as_reading_the_case(world: World) -> None:
    client_for(world.nadia).get(url("important-dates", world))
    assert AccessLogEntry.objects.filter(reader=world.nadia, case_id=world.case_a.pk).exists()


def test_the_lists_on_the_forms_take_no_more_queries_as_they_grow(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for n in range(12):
        ImportantDate.objects.create(
            victim=world.case_a.victim, label=f"Date {n}", date=timezone.localdate()
        )
        CaseShareFactory(
            case=world.case_a, organisation=OrganisationFactory(), shared_by=world.nadia
        )
        CheckInFactory(case=world.case_a, by=world.nadia, concerns=[Concern.HOUSING])
    nadia = client_for(world.nadia)
    with django_assert_max_num_queries(8):
        assert nadia.get(url("important-dates", world)).status_code == 200
    with django_assert_max_num_queries(9):
        assert nadia.get(url("case-share", world)).status_code == 200
    with django_assert_max_num_queries(34):
        assert nadia.get(case_page(world)).status_code == 200


def test_a_promise_typed_as_the_sign_in_ended_is_given_back_to_save(world: World) -> None:
    client = Client()
    address = url("promise-new", world)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "nadia")
        client.get(address)
        clock.shift(timedelta(minutes=45))
        sent = client.post(
            address,
            {
                "submission_key": str(uuid4()),
                "description": "I will find out about the visa letter.",
                "due_by": local(timedelta(days=2)),
            },
        )
        assert sent.status_code == 302 and reverse("login") in sent["Location"]
        assert not Promise.objects.exists()
        sign_in(client, "nadia", next=address)
        page = page_text(client.get(address))
        assert "I will find out about the visa letter." in page
        assert "You were signed out before this was saved" in page
