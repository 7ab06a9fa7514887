"""A partner administrator adds a webhook endpoint on a phone, sees its secret once, and
finds it listed; turns it off, and reads the delivery log of one that died."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, Tab
from tests.personas import World
from tests.webhooks.helpers import a_notice
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

OpenTab = Callable[..., Tab]
# A public address written as one: nothing is looked up, and nothing is sent to it here.
URL = "https://93.184.216.34/navigator/webhooks"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_partner_administrator_adds_a_webhook_endpoint(
    world: World, open_tab: OpenTab, viewport: dict[str, int]
) -> None:
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    tab = open_tab(viewport)
    page = tab.sign_in("pat")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Webhook endpoints").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoints")
    tab.check_accessibility("partner-webhooks-none")

    # An address inside a private network is refused, in words, beside the field.
    page.get_by_label("Endpoint URL").fill("https://10.0.0.7/hook")
    page.get_by_label("Description").fill("Case system")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_url_error")).to_contain_text("resolves to a private address")
    expect(page.get_by_label("Description")).to_have_value("Case system")
    tab.check_accessibility("partner-webhooks-refused")

    page.get_by_label("Endpoint URL").fill(URL)
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_text("This is the only time the secret is shown.")).to_be_visible()
    endpoint = WebhookEndpoint.objects.get(organisation=world.haven)
    secret = page.get_by_label("The signing secret")
    expect(secret).to_have_text(endpoint.secret)
    tab.check_accessibility("partner-webhook-added")

    menu.get_by_role("link", name="Webhook endpoints").click()
    card = page.locator(".card", has_text=URL)
    expect(card).to_contain_text("Case system")
    expect(card).to_contain_text("Nothing delivered yet")
    expect(page.get_by_text(endpoint.secret)).to_have_count(0)  # never again
    tab.check_accessibility("partner-webhooks")

    card.get_by_role("button", name="Turn off").click()
    expect(page.get_by_role("status")).to_contain_text("is off")
    expect(page.locator(".card", has_text=URL)).to_contain_text("Off")

    # A notice that died at this endpoint (written here, not sent: the endpoint is off).
    notice = a_notice(world.case_a, world.nadia)
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        notice=notice,
        message_id="msg_2p9XJmQ4cTz7VbN1kR8sWfYa",
        status=DeliveryStatus.DEAD,
        attempts=10,
        dead_at=now,
    )
    WebhookAttempt.objects.bulk_create(
        WebhookAttempt(
            delivery=delivery,
            started_at=now - timedelta(hours=3 - i),
            finished_at=now - timedelta(hours=3 - i),
            outcome="failed",
            status_code=503 if i else None,
            duration_ms=240 if i else 15000,
            error="HTTP 503" if i else "ReadTimeout",
        )
        for i in range(3)
    )
    tab.go("/partner/webhook-endpoints/")
    expect(page.locator(".card", has_text=URL)).to_contain_text("1 dead")
    tab.check_accessibility("partner-webhooks-dead")
    page.get_by_role("link", name=f"Delivery log for {URL}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery log")
    expect(page.locator(".card")).to_contain_text(f"Notice {notice.pk}")
    expect(page.get_by_role("button", name=f"Redeliver notice {notice.pk}")).to_be_visible()
    tab.check_accessibility("partner-webhook-deliveries")
