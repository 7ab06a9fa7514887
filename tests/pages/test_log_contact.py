"""Log a contact: a short form, one contact however often it is sent, errors beside the field
in plain words with what was typed kept, and a sentence saying what changed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.choices import LIVE_STATUSES, AlertKind, AlertStatus
from alerts.models import Alert
from cases.choices import EventKind
from cases.services import record_case_event
from contacts.choices import AvoidFlag, Channel
from contacts.models import CheckIn, Promise
from tests.alerts.helpers import agree
from tests.pages.conftest import client_for, contact_form
from tests.personas import World

pytestmark = pytest.mark.django_db


def url_for(world: World) -> str:
    return reverse("checkin-create", args=[world.case_a.reference])


def test_the_form_starts_with_how_to_make_contact_and_the_agreed_channels_first(
    world: World,
) -> None:
    agree(
        world.case_a,
        world.nadia,
        at=timezone.now() - timedelta(days=3),
        channels=[Channel.MESSAGING_APP, Channel.PHONE_CALL],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
        unsafe_channel=Channel.EMAIL,
    )
    page = client_for(world.nadia).get(url_for(world)).content.decode()
    name = world.case_a.victim.display_name
    assert f"Message {name} on a messaging app, headlines only; never from a withheld" in page
    labels = re.findall(r'name="channel" value="(\w+)"', page)
    assert labels[:2] == ["messaging_app", "phone_call"]
    assert "Email (not safe: the victim ruled it out)" in page
    assert re.search(r'name="channel" value="messaging_app"[^>]* checked', page)  # preferred
    assert 'name="submission_key"' in page


def test_saving_says_what_changed(world: World, overdue: Alert) -> None:
    client = client_for(world.nadia)
    response = client.post(url_for(world), contact_form(), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("case-detail", args=[world.case_a.reference])
    due = timezone.localtime() + timedelta(days=7)
    assert f"Contact logged. Next update due {due:%A} {due.day} {due:%B} at" in page
    assert "the overdue alert is cleared." in page
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.CLEARED
    assert "On track: next update due" in page  # the clock on the case page moved too


def test_an_unanswered_call_says_the_clock_did_not_move(world: World, overdue: Alert) -> None:
    form = contact_form(outcome="no_answer", update_given="none", wellbeing=None, trust=None)
    page = client_for(world.nadia).post(url_for(world), form, follow=True).content.decode()
    assert "This contact did not count as an update, so the next update is still overdue" in page


def test_a_form_sent_twice_logs_one_contact(world: World, overdue: Alert) -> None:
    client = client_for(world.nadia)
    form = contact_form(notes="Only once, please.")
    first = client.post(url_for(world), form)
    second = client.post(url_for(world), form, follow=True)
    assert first.status_code == 302
    assert CheckIn.objects.filter(case=world.case_a).count() == 2  # the fixture's, and this
    assert CheckIn.objects.filter(submission_key=form["submission_key"]).get().notes == (
        "Only once, please."
    )
    assert "This contact was sent twice and saved once." in second.content.decode()


def test_missing_answers_are_listed_at_the_top_and_beside_each_field(world: World) -> None:
    note = "She asked about the interpreter for Tuesday."
    response = client_for(world.nadia).post(
        url_for(world), contact_form(channel=None, outcome=None, notes=note)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith("<!doctype html>") and "<title>Error: Log a contact" in page
    assert '<a href="#id_channel_0">Choose how you made contact.</a>' in page
    assert '<a href="#id_outcome_0">Choose what happened.</a>' in page
    assert 'id="id_channel_error"' in page and 'aria-describedby="id_channel_error"' in page
    assert note in page  # what was typed is kept
    assert re.search(r'name="update_given" value="no_news_active"[^>]* checked', page)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01T00:00", "A contact cannot be before the case was opened"),
        ("1900-01-01T10:00", "A contact cannot be before the case was opened"),
        ("future", "A contact cannot be in the future."),
        ("not a date", "Enter a real date and time"),
        ("10000-01-01T00:00", "Enter a real date and time"),
        ("2026-02-30T10:00", "Enter a real date and time"),
    ],
    ids=["year-1", "1900", "future", "words", "year-10000", "30-february"],
)
def test_impossible_dates_are_refused_beside_the_field_never_with_an_error_page(
    world: World, overdue: Alert, typed: str, message: str
) -> None:
    if typed == "future":
        typed = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    before = CheckIn.objects.count()
    response = client_for(world.nadia).post(url_for(world), contact_form(at=typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="id_at_error"' in page
    assert CheckIn.objects.count() == before


def test_a_contact_the_day_before_the_case_was_opened_is_refused(world: World) -> None:
    opened = timezone.localtime(world.case_a.opened_at)
    day_before = (opened - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client_for(world.nadia).post(url_for(world), contact_form(at=day_before)).content
    assert f"before the case was opened on {opened.day} {opened:%B %Y}".encode() in page
    assert not CheckIn.objects.exists()


def test_a_promise_made_in_the_contact_is_kept_with_it(world: World, overdue: Alert) -> None:
    due = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = contact_form(promise_description="Send the bus route", promise_due_by=due)
    page = client_for(world.nadia).post(url_for(world), form, follow=True).content.decode()
    promise = Promise.objects.get(case=world.case_a)
    assert promise.made_in == CheckIn.objects.get(submission_key=form["submission_key"])
    assert "the promise is due" in page
    assert "Send the bus route" in page  # in the open promises


def test_a_bad_promise_saves_nothing_at_all(world: World, overdue: Alert) -> None:
    form = contact_form(promise_description="Send the bus route", promise_due_by="1990-01-01T10:00")
    page = client_for(world.nadia).post(url_for(world), form).content.decode()
    assert "A promise cannot be before the case was opened" in page
    assert 'id="id_promise_due_by_error"' in page
    assert not Promise.objects.exists()
    assert CheckIn.objects.filter(case=world.case_a).count() == 1  # only the fixture's update
    no_date = contact_form(promise_description="Call back")
    assert (
        "Say when the promise is due."
        in client_for(world.nadia).post(url_for(world), no_date).content.decode()
    )


def test_key_decisions_told_in_the_contact_are_marked(world: World, overdue: Alert) -> None:
    event = record_case_event(
        case=world.case_a,
        kind=EventKind.ARREST,
        at=timezone.now() - timedelta(hours=3),
        acting_user=world.nadia,
        is_key_decision=True,
    )
    client = client_for(world.nadia)
    page = client.get(url_for(world)).content.decode()
    assert "Did you tell them of these key decisions?" in page and "The arrest" in page
    response = client.post(url_for(world), contact_form(events_told=[event.pk]), follow=True)
    event.refresh_from_db()
    assert event.victim_told_at is not None
    assert "1 key decision marked as told" in response.content.decode()


def test_an_officer_logs_a_contact_without_notes_or_promises(world: World) -> None:
    client = client_for(world.olive)
    page = client.get(url_for(world)).content.decode()
    assert 'name="notes"' not in page and 'name="promise_description"' not in page
    form = contact_form(notes="slipped in", promise_description="a promise")
    assert client.post(url_for(world), form).status_code == 302
    checkin = CheckIn.objects.get(case=world.case_a)
    assert checkin.by == world.olive and checkin.notes == ""
    assert not Promise.objects.exists()


def test_a_contact_that_breaks_the_agreement_says_so(world: World) -> None:
    agree(
        world.case_a,
        world.nadia,
        at=timezone.now() - timedelta(days=3),
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
    )
    form = contact_form(number_withheld="on")
    page = client_for(world.nadia).post(url_for(world), form, follow=True).content.decode()
    assert "it went against the agreement (called from a withheld number" in page
    assert Alert.objects.filter(
        case=world.case_a, kind=AlertKind.AGREEMENT_BROKEN, status__in=LIVE_STATUSES
    ).exists()


@pytest.mark.parametrize(("who", "status"), [("pat", 403), ("noah", 404), ("nemo", 404)])
def test_the_form_is_out_of_reach_across_the_rules(world: World, who: str, status: int) -> None:
    client = client_for(getattr(world, who))
    assert client.get(url_for(world)).status_code == status
    assert client.post(url_for(world), contact_form()).status_code == status
    assert not CheckIn.objects.exists()


def test_the_form_and_saving_cost_a_fixed_number_of_queries(world: World, overdue: Alert) -> None:
    client = client_for(world.nadia)

    def count(method: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            if method == "get":
                assert client.get(url_for(world)).status_code == 200
            else:
                assert client.post(url_for(world), contact_form()).status_code == 302
        return len(queries.captured_queries)

    count("post")  # the first clears the overdue alert: more to write than the rest
    gets, posts = count("get"), count("post")
    for _ in range(5):  # more contacts on the case do not make either cost more
        count("post")
    assert (count("get"), count("post")) == (gets, posts)
    assert gets <= 10 and posts <= 40, (gets, posts)
