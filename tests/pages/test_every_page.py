"""Every page, in one table: who it is for, what it costs in queries, and that nobody
signed out (or without the role) gets past it."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import Alert
from tests.factories import CheckInFactory, PromiseFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db

Url = Callable[[World], str]


def case_url(name: str) -> Url:
    return lambda w: reverse(name, args=[w.case_a.reference])


def plain(name: str) -> Url:
    return lambda w: reverse(name)


def promise_url(w: World) -> str:
    promise = PromiseFactory(case=w.case_a, made_by=w.nadia)
    return reverse("promise-resolve", args=[w.case_a.reference, promise.pk])


def concern_url(w: World) -> str:
    checkin = CheckInFactory(case=w.case_a, by=w.nadia, concerns=["safety_fear"])
    return reverse("concern-respond", args=[w.case_a.reference, checkin.pk])


# (page, its address, someone it is for, the most queries it may take for them)
PAGES: list[tuple[str, Url, str, int]] = [
    ("today", plain("today"), "nadia", 10),
    ("case list", plain("case-list"), "olive", 5),
    ("find a case", plain("case-lookup"), "olive", 4),
    ("case page", case_url("case-detail"), "nadia", 34),
    ("case page, officer", case_url("case-detail"), "olive", 34),
    ("partner inbox", plain("partner-inbox"), "pat", 7),
    ("shared cases", plain("partner-cases"), "pat", 7),
    ("case page, partner", case_url("partner-case"), "pat", 11),
    ("report a move", case_url("partner-report-relocation"), "pat", 4),
    ("report a contact", case_url("partner-report-contact"), "pat", 4),
    ("timeline", case_url("case-timeline"), "nadia", 13),
    ("log a contact", case_url("checkin-create"), "nadia", 8),
    ("change the agreement", case_url("agreement-change"), "nadia", 7),
    ("agreement versions", case_url("agreement-versions"), "olive", 8),
    ("alerts", plain("alert-list"), "sam", 5),
    ("dashboard", plain("dashboard"), "sam", 10),
    ("dashboard, administrator", plain("dashboard"), "ada", 10),
    (
        "change a point of contact",
        lambda w: reverse("point-of-contact-change", args=[w.case_a.reference, "navigator"]),
        "sam",
        8,
    ),
    ("record a promise", case_url("promise-new"), "nadia", 7),
    ("was the promise kept", promise_url, "nadia", 8),
    ("record an event", case_url("event-new"), "nadia", 8),
    ("dates that matter", case_url("important-dates"), "nadia", 8),
    ("answer a concern", concern_url, "sam", 9),
    ("sharing with partners", case_url("case-share"), "nadia", 9),
    ("hand on all cases", lambda w: reverse("hand-on-cases", args=[w.nadia.pk]), "sam", 7),
    ("your account", plain("account"), "nadia", 4),
    ("two-factor set-up", plain("two-factor-set-up"), "nadia", 8),
    ("change password", plain("password-change"), "nadia", 3),
    ("who to call", plain("directory"), "olive", 6),
    ("add a directory entry", plain("directory-entry-new"), "olive", 5),
]


@pytest.mark.parametrize(("page", "url", "who", "most"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_answers_its_reader_in_a_fixed_number_of_queries(
    world: World,
    overdue: Alert,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
    page: str,
    url: Url,
    who: str,
    most: int,
) -> None:
    client = client_for(getattr(world, who))
    address = url(world)
    with django_assert_max_num_queries(most):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize(("page", "url", "who", "most"), PAGES, ids=[p[0] for p in PAGES])
def test_nobody_signed_out_reaches_a_page(
    world: World, page: str, url: Url, who: str, most: int
) -> None:
    address = url(world)
    response = Client().get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url", "who", "status"),
    [
        (plain("today"), "pat", 403),
        (plain("today"), "olive", 403),
        (plain("alert-list"), "pat", 403),
        (plain("dashboard"), "nadia", 403),
        (plain("dashboard"), "olive", 403),
        (plain("dashboard"), "pat", 403),
        (case_url("checkin-create"), "pat", 403),
        (case_url("case-timeline"), "pat", 403),
        (plain("case-lookup"), "pat", 403),
        (plain("partner-inbox"), "nadia", 403),
        (case_url("partner-case"), "olive", 403),
        (case_url("partner-case"), "pia", 404),
        (case_url("case-detail"), "nemo", 404),
        (case_url("case-timeline"), "noah", 404),
        (case_url("checkin-create"), "oscar", 404),
        (case_url("agreement-change"), "pat", 403),
        (case_url("agreement-change"), "olive", 403),
        (case_url("agreement-change"), "noah", 404),
        (case_url("agreement-versions"), "pat", 403),
        (case_url("agreement-versions"), "oscar", 404),
        (
            lambda w: reverse("point-of-contact-change", args=[w.case_a.reference, "police"]),
            "pat",
            403,
        ),
        (
            lambda w: reverse("point-of-contact-change", args=[w.case_a.reference, "police"]),
            "noah",
            404,
        ),
        (case_url("promise-new"), "olive", 403),
        (case_url("promise-new"), "pat", 403),
        (case_url("promise-new"), "nemo", 404),
        (promise_url, "olive", 403),
        (promise_url, "noah", 404),
        (case_url("event-new"), "olive", 403),
        (case_url("event-new"), "pat", 403),
        (case_url("event-new"), "noah", 404),
        (case_url("important-dates"), "olive", 403),
        (case_url("important-dates"), "pat", 403),
        (case_url("important-dates"), "nemo", 404),
        (concern_url, "olive", 403),
        (concern_url, "pia", 403),
        (concern_url, "noah", 404),
        (case_url("case-share"), "olive", 403),
        (case_url("case-share"), "pat", 403),
        (case_url("case-share"), "noah", 404),
        (lambda w: reverse("hand-on-cases", args=[w.nadia.pk]), "sue", 403),
        (lambda w: reverse("hand-on-cases", args=[w.nadia.pk]), "nadia", 403),
    ],
)
def test_pages_refuse_those_they_are_not_for(world: World, url: Url, who: str, status: int) -> None:
    assert client_for(getattr(world, who)).get(url(world)).status_code == status


def test_signed_out_pages_answer_in_a_query_or_two(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for name in ("login", "password-reset", "password-reset-sent"):
        with django_assert_max_num_queries(2):
            assert Client().get(reverse(name)).status_code == 200


def test_the_code_page_answers_in_a_few_queries(
    world: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.sam, name="Authenticator app", confirmed=True)
    client = client_for(world.sam)  # signed in with the password, no code given yet
    with django_assert_max_num_queries(6):
        assert client.get(reverse("two-factor-code")).status_code == 200
    assert Client().get(reverse("two-factor-code")).status_code == 302  # nobody signed out
