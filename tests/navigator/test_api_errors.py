"""Every error the API gives has the one documented shape, whatever went wrong."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from navigator.api import throttling
from partners import selectors
from tests.partners.helpers import client_for, session_client
from tests.personas import World

pytestmark = pytest.mark.django_db

SHAPE = {"status", "code", "detail", "fields"}


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert set(body) == SHAPE
    assert (body["status"], body["code"]) == (status, code)
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.fixture
def partner(world: World) -> Client:
    return client_for(world.haven)


def report_url(world: World) -> str:
    return f"/api/v1/cases/{world.case_a.reference}/reports/"


def test_validation(world: World, partner: Client) -> None:
    body = assert_error(
        partner.post(report_url(world), {"kind": "contact"}, content_type="application/json"),
        400,
        "invalid",
    )
    assert set(body["fields"]) == {"happened_at"}


def test_malformed_json(world: World, partner: Client) -> None:
    response = partner.post(report_url(world), "{not json", content_type="application/json")
    body = assert_error(response, 400, "parse_error")
    assert "{not json" not in body["detail"]  # nothing sent comes back


def test_no_credentials_and_bad_credentials(world: World) -> None:
    body = assert_error(Client().get("/api/v1/cases/"), 401, "not_authenticated")
    assert 'Send it as "Authorization: Api-Key <your key>"' in body["detail"]
    bad = Client(HTTP_AUTHORIZATION="Api-Key abc.def").get("/api/v1/cases/")
    assert_error(bad, 401, "authentication_failed")
    assert bad["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize(
    "header", ["Bearer {key}", "{key}", "Token {key}", "ApiKey {key}", "api-key{key}"]
)
def test_a_key_sent_another_way_is_told_how_to_send_it(world: World, header: str) -> None:
    from tests.partners.helpers import issue

    key = issue(world.haven).key
    response = Client(HTTP_AUTHORIZATION=header.format(key=key)).get("/api/v1/notices/")
    body = assert_error(response, 401, "not_authenticated")
    assert "Api-Key <your key>" in body["detail"] and "not Bearer" in body["detail"]
    assert key not in body["detail"] and key.split(".")[0] not in body["detail"]


def test_forbidden(world: World) -> None:
    response = session_client(world.nadia).post(
        report_url(world), {"kind": "contact"}, content_type="application/json"
    )
    assert_error(response, 403, "permission_denied")


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/cases/", "/api/v1/cases", "/api/v1/notices/abc/"]
)
def test_not_found_anywhere_under_the_api(partner: Client, path: str) -> None:
    assert_error(partner.get(path), 404, "not_found")


def test_method_not_allowed(world: World, partner: Client) -> None:
    assert_error(
        partner.delete(f"/api/v1/cases/{world.case_a.reference}/"), 405, "method_not_allowed"
    )


def test_not_acceptable(partner: Client) -> None:
    body = assert_error(
        partner.get("/api/v1/notices/", HTTP_ACCEPT="text/html"), 406, "not_acceptable"
    )
    assert "Accept: application/json" in body["detail"]


def test_too_large(world: World, partner: Client, settings) -> None:  # type: ignore[no-untyped-def]
    body = '{"note": "' + "x" * (settings.API_MAX_REQUEST_BYTES + 1) + '"}'
    response = partner.post(report_url(world), body, content_type="application/json")
    assert_error(response, 413, "request_too_large")


def test_unsupported_media_type(world: World, partner: Client) -> None:
    response = partner.post(report_url(world), "kind=contact", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_a_form_posted_as_curl_sends_it_is_told_to_send_json(partner: Client) -> None:
    # curl -d '{"url": ...}' without -H 'Content-Type: application/json' sends a form.
    response = partner.post(
        "/api/v1/webhook-endpoints/",
        '{"url": "https://hooks.example.org/navigator"}',
        content_type="application/x-www-form-urlencoded",
    )
    body = assert_error(response, 415, "unsupported_media_type")
    assert body["detail"] == (
        'Send the body as JSON, with the header "Content-Type: application/json".'
    )
    assert "x-www-form-urlencoded" not in body["detail"]  # nothing sent comes back


def test_throttled_per_key_with_retry_after(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr(throttling.ApiKeyRateThrottle, "THROTTLE_RATES", {"api_key": "2/minute"})
    first, second = client_for(world.haven), client_for(world.haven)
    assert first.get("/api/v1/notices/").status_code == 200
    assert first.get("/api/v1/notices/").status_code == 200
    response = first.get("/api/v1/notices/")
    assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert second.get("/api/v1/notices/").status_code == 200  # another key counts alone


def test_throttled_per_person_for_sessions(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr(
        throttling.SignedInRateThrottle, "THROTTLE_RATES", {"signed_in": "1/minute"}
    )
    pat = session_client(world.pat)
    assert pat.get("/api/v1/notices/").status_code == 200
    assert_error(pat.get("/api/v1/notices/"), 429, "throttled")


def test_a_cache_that_is_down_does_not_fail_the_request(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class DownCache:
        def get(self, *args: object, **kwargs: object) -> object:
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(throttling.ApiKeyRateThrottle, "cache", DownCache())
    with caplog.at_level(logging.WARNING):
        assert client_for(world.haven).get("/api/v1/notices/").status_code == 200
    assert "Rate limit not applied" in caplog.text


def test_a_fault_is_a_500_in_the_same_shape_and_is_logged(
    world: World, partner: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom for {world.case_a.victim.full_name}")

    # The feed's read, both ways: with a key in one query, and with filters or a session.
    monkeypatch.setattr(selectors, "key_and_feed_page", broken)
    monkeypatch.setattr(selectors, "notices_for", broken)
    with caplog.at_level(logging.ERROR):
        response = partner.get("/api/v1/notices/")
    body = assert_error(response, 500, "server_error")
    assert world.case_a.victim.full_name not in str(body)
    assert "RuntimeError" in caplog.text
