"""/api/v1/webhook-endpoints/: an organisation's key lists, makes, reads, changes, removes
and rotates its own endpoints, sees each secret once, and nothing of any other's."""

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks import Webhook

from cases.choices import CaseStatus
from partners.keys import revoke_key
from tests.partners.helpers import client_for, issue, key_client, session_client
from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.dispatch import dispatch
from webhooks.models import DisabledReason, WebhookEndpoint
from webhooks.signing import headers

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhook-endpoints/"
RECEIVER = "http://127.0.0.1:8765/navigator/hooks"


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, body, content_type="application/json")


def test_register_and_the_secret_is_shown_once(world: World) -> None:
    haven = client_for(world.haven)
    made = post(haven, URL, {"url": RECEIVER, "description": "Case system"})
    assert made.status_code == 201, made.json()
    body = made.json()
    secret = body.pop("secret")
    assert secret.startswith("whsec_")
    assert body == {
        "id": body["id"],
        "url": RECEIVER,
        "description": "Case system",
        "enabled": True,
        "disabled_reason": "",
        "disabled_at": None,
        "created_at": body["created_at"],
        "secret_rotated_at": None,
        "previous_secret_expires_at": None,
        "last_delivered_at": None,
        "failing_deliveries": 0,
    }
    # The secret signs: a receiver verifies with what it was given.
    signed = headers(message_id="msg_1", at=timezone.now(), text="{}", secrets_in_use=[secret])
    Webhook(secret).verify("{}", signed)
    # And it is never shown again.
    for response in (haven.get(URL), haven.get(f"{URL}{body['id']}/")):
        assert response.status_code == 200
        assert secret not in response.content.decode()
        assert "secret" not in response.json().get("results", [response.json()])[0]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.organisation == world.haven
    assert endpoint.created_by.is_service_account
    assert endpoint.history.get().history_change_reason.startswith("API key ")
    # Stored encrypted, not as it is.
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_webhookendpoint")
        assert cursor.fetchone()[0] != secret


def test_change_turn_off_on_and_remove(world: World) -> None:
    haven = client_for(world.haven)
    endpoint_id = post(haven, URL, {"url": RECEIVER}).json()["id"]
    path = f"{URL}{endpoint_id}/"
    changed = patch(haven, path, {"description": "New system", "enabled": False})
    assert changed.status_code == 200
    assert changed.json()["enabled"] is False
    assert changed.json()["disabled_reason"] == DisabledReason.BY_PERSON
    assert changed.json()["disabled_at"] is not None
    assert patch(haven, path, {"enabled": True}).json()["disabled_reason"] == ""
    replaced = haven.put(
        path, {"url": "http://127.0.0.1:9999/x", "description": ""}, content_type="application/json"
    )
    assert replaced.status_code == 200 and replaced.json()["url"] == "http://127.0.0.1:9999/x"
    assert haven.delete(path).status_code == 204
    assert haven.get(path).status_code == 404
    assert not WebhookEndpoint.objects.exists()
    assert WebhookEndpoint.history.filter(history_type="-").count() == 1


def test_rotate_the_secret(world: World) -> None:
    haven = client_for(world.haven)
    made = post(haven, URL, {"url": RECEIVER}).json()
    rotated = post(haven, f"{URL}{made['id']}/rotate-secret/", {"overlap_hours": 2})
    assert rotated.status_code == 200
    body = rotated.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != made["secret"]
    assert body["secret_rotated_at"] is not None
    assert body["previous_secret_expires_at"] is not None
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.secret, endpoint.previous_secret) == (body["secret"], made["secret"])
    assert (
        post(haven, f"{URL}{made['id']}/rotate-secret/", {"overlap_hours": 999}).status_code == 400
    )
    default = post(haven, f"{URL}{made['id']}/rotate-secret/").json()
    assert default["previous_secret_expires_at"] is not None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://10.0.0.1/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[::1]:8443/hooks", None),  # loopback: allowed by the test setting
        ("ftp://127.0.0.1/x", "URL"),
        ("not a url", "URL"),
    ],
)
def test_addresses_that_may_not_be_called_are_refused(
    world: World, url: str, words: str | None
) -> None:
    response = post(client_for(world.haven), URL, {"url": url})
    if words is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert any(words in m for m in response.json()["fields"]["url"]), response.json()
    assert not WebhookEndpoint.objects.exists()


def test_without_the_development_setting_http_and_loopback_are_refused(
    world: World, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    haven = client_for(world.haven)
    for url, words in ((RECEIVER, "https"), ("https://127.0.0.1/hooks", "loopback")):
        response = post(haven, URL, {"url": url})
        assert response.status_code == 400
        assert words in response.json()["fields"]["url"][0]


def test_an_organisation_has_at_most_ten(world: World) -> None:
    haven = client_for(world.haven)
    for n in range(10):
        assert post(haven, URL, {"url": f"{RECEIVER}/{n}"}).status_code == 201
    refused = post(haven, URL, {"url": RECEIVER})
    assert refused.status_code == 400
    assert "10 endpoints" in refused.json()["fields"]["url"][0]


def test_anothers_endpoints_and_ones_that_do_not_exist_answer_alike(world: World) -> None:
    theirs = endpoint_for(world.other_ngo, RECEIVER).endpoint
    mine = endpoint_for(world.haven, RECEIVER).endpoint
    haven = client_for(world.haven)
    assert [e["id"] for e in haven.get(URL).json()["results"]] == [mine.pk]
    for endpoint_id in (theirs.pk, 999_999_999):
        path = f"{URL}{endpoint_id}/"
        answers = [
            haven.get(path),
            patch(haven, path, {"enabled": False}),
            haven.put(path, {"url": RECEIVER}, content_type="application/json"),
            haven.delete(path),
            post(haven, f"{path}rotate-secret/"),
        ]
        assert {a.status_code for a in answers} == {404}
        assert len({a.content for a in answers}) == 1
    theirs.refresh_from_db()
    assert theirs.enabled and not theirs.previous_secret and theirs.description == ""


@pytest.mark.parametrize("who", ["pat", "pia", "nadia", "sam", "olive", "ada", "nemo"])
def test_people_signed_in_do_not_manage_endpoints_here(world: World, who: str) -> None:
    """Endpoints are the organisation's key's to manage (administrators use the admin);
    there is no partner administrator role yet, so no person does it over the API."""
    endpoint_for(world.haven, RECEIVER)
    client = session_client(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert post(client, URL, {"url": RECEIVER}).status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_no_key_and_a_revoked_key_are_refused(world: World) -> None:
    assert Client().get(URL).status_code == 401
    issued = issue(world.haven)
    client = key_client(issued.key)
    assert client.get(URL).status_code == 200
    revoke_key(api_key=issued.api_key, acting_user=None)
    assert client.get(URL).status_code == 401
    assert post(client, URL, {"url": RECEIVER}).status_code == 401


def test_the_list_does_not_grow_with_the_page(world: World) -> None:
    for n in range(10):
        endpoint_for(world.haven, f"{RECEIVER}/{n}")
    client = client_for(world.haven)

    def queries(size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}?page_size={size}")
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.json()["results"])

    (small, one), (large, ten) = queries(1), queries(10)
    assert (one, ten) == (1, 10)
    assert small == large <= 3, (small, large)


def test_unknown_parameters_are_refused(world: World) -> None:
    response = client_for(world.haven).get(f"{URL}?enabled=true")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"


def test_an_endpoint_says_how_its_deliveries_are_going(world: World, receiver: Receiver) -> None:
    haven = client_for(world.haven)
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        endpoint_id = post(haven, URL, {"url": receiver.url}).json()["id"]
        a_notice(world.case_a, world.nadia)
        dispatch()
    receiver.answer_with(500)
    with time_machine.travel("2026-03-03 09:00Z", tick=False):
        a_notice(world.case_a, world.nadia, status=CaseStatus.OPEN)
        a_notice(world.case_a, world.nadia, status=CaseStatus.CLOSED)
        dispatch()
    listed = haven.get(URL).json()["results"][0]
    one = haven.get(f"{URL}{endpoint_id}/").json()
    assert listed == one
    assert one["last_delivered_at"] == "2026-03-02T09:00:00Z"
    assert one["failing_deliveries"] == 2
