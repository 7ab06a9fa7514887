"""The admin: endpoints made through the same service (the secret shown once), every
delivery with its attempts, and the redeliver and rotate actions; administrators only."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks import services
from webhooks.dispatch import dispatch
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.schedule import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_administrator_adds_an_endpoint_and_sees_its_secret_once(
    world: World, receiver: Receiver
) -> None:
    admin = signed_in(world.ada)
    response = admin.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"organisation": world.haven.pk, "url": receiver.url, "description": "Case system"},
        follow=True,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    # Shown in this answer only: never in a message, which travels in a cookie.
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not any(endpoint.secret in str(m) for m in get_messages(response.wsgi_request))
    assert endpoint.created_by == world.ada
    page = admin.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret not in page.content.decode()


def test_an_address_that_may_not_be_called_is_refused_in_the_admin_too(world: World) -> None:
    admin = signed_in(world.ada)
    response = admin.post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"organisation": world.haven.pk, "url": "https://169.254.169.254/", "description": ""},
    )
    assert response.status_code == 200  # the form again, with the reason beside the URL
    assert "link-local address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_dead_delivery_shows_its_attempts_and_is_redelivered(
    world: World, receiver: Receiver
) -> None:
    receiver.answer_with(500)
    endpoint_for(world.haven, receiver.url)
    a_notice(world.case_a, world.nadia)
    with time_machine.travel("2026-03-02 09:00Z", tick=False) as clock:
        for _ in range(MAX_ATTEMPTS):
            dispatch()
            clock.shift(timedelta(hours=27))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD
    admin = signed_in(world.ada)
    page = admin.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("HTTP 500") == MAX_ATTEMPTS

    receiver.answer_with(200)
    admin.post(
        reverse("admin:webhooks_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.redelivered_by == world.ada
    dispatch()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_the_rotate_action_shows_the_new_secret(world: World, receiver: Receiver) -> None:
    made = endpoint_for(world.haven, receiver.url)
    response = signed_in(world.ada).post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "rotate_secrets", "_selected_action": [made.endpoint.pk]},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.previous_secret == made.secret
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not any(endpoint.secret in str(m) for m in get_messages(response.wsgi_request))


def test_an_endpoint_the_service_refuses_in_the_admin_says_why(
    world: World, receiver: Receiver
) -> None:
    for n in range(services.MOST_ENDPOINTS):
        endpoint_for(world.haven, f"{receiver.url}{n}")
    response = signed_in(world.ada).post(
        reverse("admin:webhooks_webhookendpoint_add"),
        {"organisation": world.haven.pk, "url": receiver.url, "description": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "remove one first" in response.content.decode()
    assert WebhookEndpoint.objects.count() == services.MOST_ENDPOINTS


def test_the_delivery_list_does_not_grow_with_the_page(world: World, receiver: Receiver) -> None:
    endpoint_for(world.haven, receiver.url)
    admin = signed_in(world.ada)
    url = reverse("admin:webhooks_webhookdelivery_changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        return len(captured.captured_queries)

    a_notice(world.case_a, world.nadia)
    dispatch()
    one = queries()
    for status in ("open", "paused", "open", "paused"):
        a_notice(world.case_a, world.nadia, status=status)
    dispatch()
    assert WebhookDelivery.objects.count() == 5
    assert queries() == one


@pytest.mark.parametrize("who", ["nadia", "sam", "pat", "olive"])
def test_only_administrators_reach_the_webhook_admin(world: World, who: str) -> None:
    client = signed_in(getattr(world, who))
    for name in ("webhookendpoint", "webhookdelivery", "webhookattempt"):
        response = client.get(reverse(f"admin:webhooks_{name}_changelist"))
        assert response.status_code == 302  # to the admin's sign-in
