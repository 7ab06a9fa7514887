"""A partner administrator's webhook endpoints: adding one (its secret shown once), the
address rules said in words, rotating, turning off and on, removing, the delivery log and
redelivering a dead delivery, all through ``webhooks.services``; and who may not."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from accounts.models import Staff
from cases import access
from pages.templatetags.navigator import uk_moment
from tests.pages.conftest import client_for
from tests.partners.helpers import issue
from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from webhooks.dispatch import fan_out
from webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = reverse("partner-webhooks")
ADD = reverse("partner-webhook-add")
# A public address written as one, so nothing is looked up in DNS and nothing is sent.
PUBLIC = "https://93.184.216.34/navigator/webhooks"


@pytest.fixture
def admin_pat(world: World) -> Staff:
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    return world.pat


def dead_deliveries(endpoint: WebhookEndpoint, count: int, world: World) -> list[WebhookDelivery]:
    """``count`` notices to the endpoint, each delivery failed ten times and dead."""
    for n in range(count):
        a_notice(world.case_a, world.nadia, status="paused" if n % 2 == 0 else "open")
    fan_out(now=timezone.now())
    deliveries = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id"))
    now = timezone.now()
    for delivery in deliveries:
        WebhookAttempt.objects.bulk_create(
            WebhookAttempt(
                delivery=delivery,
                started_at=now - timedelta(hours=10 - i),
                finished_at=now - timedelta(hours=10 - i),
                outcome="failed",
                status_code=500,
                duration_ms=120 + i,
                error="HTTP 500",
            )
            for i in range(10)
        )
    WebhookDelivery.objects.filter(endpoint=endpoint).update(
        status=DeliveryStatus.DEAD, attempts=10, dead_at=now, next_attempt_at=None
    )
    return deliveries


# Who may


@pytest.mark.parametrize(
    ("who", "organisation", "may"),
    [
        ("ada", "haven", True),  # Navigator's administrators, any organisation's
        ("ada", "other_ngo", True),
        ("admin_pat", "haven", True),  # a partner administrator, their own
        ("admin_pat", "other_ngo", False),
        ("haven_key", "haven", True),  # the organisation's API key, its own
        ("haven_key", "other_ngo", False),
        ("pat", "haven", False),  # a caseworker who is not an administrator
        ("nadia", "haven", False),
        ("olive", "haven", False),
        ("sam", "haven", False),
    ],
)
def test_who_manages_an_organisations_webhook_endpoints(
    world: World, admin_pat: Staff, who: str, organisation: str, may: bool
) -> None:
    if who == "pat":
        admin_pat.is_partner_administrator = False
    if who == "haven_key":
        user = issue(world.haven).api_key.organisation.staff.get(is_service_account=True)
    else:
        user = admin_pat if who == "admin_pat" else getattr(world, who)
    assert access.may_manage_webhooks(user, getattr(world, organisation).pk) is may


def test_the_api_stays_for_the_key_alone(world: World, admin_pat: Staff) -> None:
    response = client_for(admin_pat).get("/api/v1/webhook-endpoints/")
    assert response.status_code in (401, 403)
    assert access.webhook_organisation_id(admin_pat) is None
    assert access.webhook_page_organisation_id(admin_pat) == world.haven.pk


# Adding one


def test_adding_an_endpoint_shows_its_secret_once_and_lists_it(
    world: World, admin_pat: Staff
) -> None:
    client = client_for(admin_pat)
    response = client.post(ADD, {"url": PUBLIC, "description": "Case system"})
    assert response.status_code == 200
    page = response.content.decode()
    endpoint = WebhookEndpoint.objects.get(organisation=world.haven)
    assert (endpoint.url, endpoint.description, endpoint.created_by) == (
        PUBLIC,
        "Case system",
        admin_pat,
    )
    shown = page.split('aria-label="The signing secret">')[1].split("<")[0]
    assert shown == endpoint.secret and shown.startswith("whsec_")
    Webhook(shown)  # a Standard Webhooks library takes it as it is
    assert "This is the only time the secret is shown." in page
    assert "Webhook(secret).verify(body, headers)" in page
    assert "no-store" in response["Cache-Control"]
    again = client.get(ENDPOINTS)
    listing = again.content.decode()
    assert shown not in listing and PUBLIC in listing and "Case system" in listing
    assert "Nothing delivered yet" in listing and ">On<" in listing
    assert "could not be delivered" not in listing
    assert "no-store" in again["Cache-Control"]


@pytest.mark.parametrize(
    ("url", "allow_http_loopback", "words"),
    [
        ("https://10.1.2.3/hook", False, "10.1.2.3 resolves to a private address"),
        ("https://169.254.169.254/latest", False, "169.254.169.254 resolves to a link-local"),
        ("https://127.0.0.1/hook", False, "127.0.0.1 resolves to a loopback address"),
        ("http://93.184.216.34/hook", False, "Use https: webhooks are sent over https only."),
        ("example.org/hook", False, "Give a full URL, such as https://example.org/webhooks."),
        ("", False, "Enter the URL where your system receives notices."),
    ],
)
def test_an_address_that_may_not_be_called_is_refused_in_plain_words_beside_the_field(
    world: World, admin_pat: Staff, url: str, allow_http_loopback: bool, words: str
) -> None:
    with override_settings(WEBHOOK_ALLOW_HTTP_LOOPBACK=allow_http_loopback):
        response = client_for(admin_pat).post(ADD, {"url": url, "description": "Kept"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_url">{words}' in page
    assert 'class="field-error" id="id_url_error"' in page
    assert 'value="Kept"' in page and (not url or f'value="{url}"' in page)
    assert not WebhookEndpoint.objects.exists()


# Changing one


def test_rotating_shows_the_new_secret_once_and_says_both_sign_meanwhile(
    world: World, admin_pat: Staff
) -> None:
    made = endpoint_for(world.haven, PUBLIC)
    response = client_for(admin_pat).post(
        reverse("partner-webhook-rotate", args=[made.endpoint.pk])
    )
    page = response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret != made.secret and endpoint.previous_secret == made.secret
    assert endpoint.secret in page and made.secret not in page
    assert endpoint.previous_secret_until is not None
    until = uk_moment(endpoint.previous_secret_until)
    assert f"For the next 24 hours, until {until}, each delivery carries two signatures" in page


def test_turning_an_endpoint_off_and_on(world: World, admin_pat: Staff) -> None:
    made = endpoint_for(world.haven, PUBLIC)
    client = client_for(admin_pat)
    response = client.post(reverse("partner-webhook-off", args=[made.endpoint.pk]))
    assert response["Location"] == ENDPOINTS
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.enabled and endpoint.disabled_by == admin_pat
    assert endpoint.disabled_reason == DisabledReason.BY_PERSON
    page = client.get(ENDPOINTS).content.decode()
    assert ">Off<" in page and "turned off" in page and "nothing is sent to it" in page
    client.post(reverse("partner-webhook-on", args=[made.endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_by is None


def test_an_endpoint_its_receiver_turned_off_says_so(world: World, admin_pat: Staff) -> None:
    made = endpoint_for(world.haven, PUBLIC)
    WebhookEndpoint.objects.filter(pk=made.endpoint.pk).update(
        enabled=False, disabled_reason=DisabledReason.GONE, disabled_at=timezone.now()
    )
    page = client_for(admin_pat).get(ENDPOINTS).content.decode()
    assert "it answered 410 Gone" in page and "Turn on" in page


def test_removing_an_endpoint(world: World, admin_pat: Staff) -> None:
    made = endpoint_for(world.haven, PUBLIC)
    client = client_for(admin_pat)
    response = client.post(reverse("partner-webhook-remove", args=[made.endpoint.pk]))
    assert response["Location"] == ENDPOINTS
    assert not WebhookEndpoint.objects.exists()
    assert "is removed" in client.get(ENDPOINTS).content.decode()


def test_the_messages_name_an_endpoint_by_its_host_never_its_whole_url(
    world: World, admin_pat: Staff
) -> None:
    """An endpoint's URL may carry the partner's token, and messages travel in a cookie."""
    made = endpoint_for(world.haven, f"{PUBLIC}?token=s3cret-t0ken")
    client = client_for(admin_pat)
    for name in ("partner-webhook-off", "partner-webhook-on", "partner-webhook-remove"):
        response = client.post(reverse(name, args=[made.endpoint.pk]))
        told = [str(m) for m in get_messages(response.wsgi_request)]
        assert told and all("93.184.216.34" in m for m in told), told
        assert not any("s3cret-t0ken" in m or "/navigator/webhooks" in m for m in told), told


# How its deliveries go


def test_the_list_shows_how_deliveries_go(world: World, admin_pat: Staff) -> None:
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    dead_deliveries(endpoint, 2, world)
    a_notice(world.case_a, world.nadia)
    fan_out(now=timezone.now())
    delivered_at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # GMT, as in London
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.DELIVERED, delivered_at=delivered_at, next_attempt_at=None
    )
    a_notice(world.case_a, world.nadia, status="open")
    fan_out(now=timezone.now())
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(attempts=3)
    page = client_for(admin_pat).get(ENDPOINTS).content.decode()
    assert "Last delivered Monday 2 March 2026, 09:30" in page
    assert "1 failed, being tried again" in page
    assert "<strong>2 dead</strong>" in page
    assert "<strong>2 notices could not be delivered</strong>" in page


def test_the_delivery_log_shows_each_attempt_and_nothing_that_was_sent(
    world: World, admin_pat: Staff
) -> None:
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    dead = dead_deliveries(endpoint, 1, world)[0]
    response = client_for(admin_pat).get(reverse("partner-webhook-deliveries", args=[endpoint.pk]))
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert f"Notice {dead.notice_id}" in page and dead.message_id in page
    assert page.count(": answered 500 in 12") == 10 and page.count(" ms · HTTP 500") == 10
    assert ">Dead<" in page and "Redeliver" in page
    # The case is named only by the notice: no reference, no victim.
    assert world.case_a.reference not in page
    assert world.case_a.victim.preferred_name not in page


def test_redelivering_a_dead_delivery_goes_through_the_same_service_as_the_admin(
    world: World, admin_pat: Staff
) -> None:
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    dead = dead_deliveries(endpoint, 1, world)[0]
    WebhookDelivery.objects.filter(pk=dead.pk).update(administrators_told_at=timezone.now())
    client = client_for(admin_pat)
    url = reverse("partner-webhook-redeliver", args=[dead.pk])
    response = client.post(url)
    assert response["Location"] == reverse("partner-webhook-deliveries", args=[endpoint.pk])
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.PENDING and dead.attempts == 0
    assert dead.redelivered_by == admin_pat
    assert dead.administrators_told_at is None  # if it dies again, they are told again
    page = client.get(response["Location"]).content.decode()
    assert f"Notice {dead.notice_id} will be sent again shortly" in page
    # Only a dead one is redelivered from the page.
    assert client.post(url).status_code == 404


# Nobody else


def _endpoint_pages(pk: int, delivery_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("partner-webhook-deliveries", args=[pk])),
        ("post", reverse("partner-webhook-rotate", args=[pk])),
        ("post", reverse("partner-webhook-off", args=[pk])),
        ("post", reverse("partner-webhook-on", args=[pk])),
        ("post", reverse("partner-webhook-remove", args=[pk])),
        ("post", reverse("partner-webhook-redeliver", args=[delivery_pk])),
    ]


def test_another_organisations_endpoints_answer_as_if_they_did_not_exist(
    world: World, admin_pat: Staff
) -> None:
    theirs = endpoint_for(world.other_ngo, "https://93.184.216.35/theirs").endpoint
    secret = theirs.secret
    delivery = WebhookDelivery.objects.create(
        endpoint=theirs,
        notice=a_notice(world.case_a, world.nadia),
        message_id="msg_theirs",
        status=DeliveryStatus.DEAD,
        dead_at=timezone.now(),
    )
    client = client_for(admin_pat)
    assert "93.184.216.35" not in client.get(ENDPOINTS).content.decode()
    for pk, delivery_pk in ((theirs.pk, delivery.pk), (theirs.pk + 1000, delivery.pk + 1000)):
        for method, url in _endpoint_pages(pk, delivery_pk):
            assert getattr(client, method)(url).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.enabled and theirs.secret == secret
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD


@pytest.mark.parametrize("who", ["pat", "pia", "nadia", "olive", "sam", "ada"])
def test_the_webhook_pages_are_only_for_partner_administrators(world: World, who: str) -> None:
    """Caseworkers who are not administrators, other roles, and Navigator's administrators
    (who use the admin) are refused; nothing changes."""
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    client = client_for(getattr(world, who))
    pages = [("get", ENDPOINTS), ("post", ADD), *_endpoint_pages(endpoint.pk, 1)]
    for method, url in pages:
        response = getattr(client, method)(url, {"url": "https://93.184.216.36/x"})
        assert response.status_code == 403, url
    assert list(WebhookEndpoint.objects.values_list("url", "enabled")) == [(PUBLIC, True)]


def test_nobody_signed_out_reaches_the_webhook_pages(world: World) -> None:
    for method, url in [("get", ENDPOINTS), ("post", ADD), *_endpoint_pages(1, 1)]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# What it costs


def test_the_endpoints_page_does_not_grow_with_the_endpoints(
    world: World,
    admin_pat: Staff,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(admin_pat)
    first = endpoint_for(world.haven, PUBLIC).endpoint
    dead_deliveries(first, 2, world)
    with django_assert_max_num_queries(4):
        assert client.get(ENDPOINTS).status_code == 200
    for n in range(9):
        endpoint_for(world.haven, f"https://93.184.216.{n + 40}/hook")
    a_notice(world.case_a, world.nadia)
    fan_out(now=timezone.now())
    with django_assert_max_num_queries(4):
        page = client.get(ENDPOINTS)
    assert page.content.decode().count('<li class="card') == 10


def test_the_delivery_log_does_not_grow_with_the_deliveries(
    world: World,
    admin_pat: Staff,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(admin_pat)
    endpoint = endpoint_for(world.haven, PUBLIC).endpoint
    url = reverse("partner-webhook-deliveries", args=[endpoint.pk])
    dead_deliveries(endpoint, 1, world)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    WebhookDelivery.objects.all().delete()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(notice_cursor=0)
    dead_deliveries(endpoint, 25, world)
    with django_assert_max_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count("Redeliver<span") == 20 and "Page 1 of 2" in page
