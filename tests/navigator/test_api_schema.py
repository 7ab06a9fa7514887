"""The OpenAPI schema describes the whole API (every operation with its errors, auth and
examples), and the API keeps to it: a schemathesis run over every operation, as a
partner's key and as staff, finds no server error and no answer that breaks the schema."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.choices import CaseStatus, EventKind
from cases.services import record_case_event, set_case_status
from handovers.choices import HandoverKind
from handovers.services import send_handover
from navigator.api import throttling
from partners.models import PartnerNotice
from partners.outbox import issue_tipping_point_notices
from tests.factories import AgreementFactory, VictimLocationFactory
from tests.partners.helpers import issue
from tests.personas import World

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def load_schema() -> dict[str, Any]:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_the_schema_and_docs_page_are_served_without_signing_in(world: World) -> None:
    schema = load_schema()
    assert schema["openapi"].startswith("3.")
    assert {path for path, _, _ in operations(schema)} == {
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        "/api/v1/cases/{reference}/reports/",
        "/api/v1/notices/",
        "/api/v1/notices/{id}/",
        "/api/v1/notices/{id}/acknowledge/",
        "/api/v1/keys/",
        "/api/v1/keys/{prefix}/",
        "/api/v1/handovers/",
        "/api/v1/handovers/{id}/",
        "/api/v1/handovers/{id}/acknowledge/",
        "/api/v1/handovers/{id}/accept/",
        "/api/v1/handovers/{id}/decline/",
        "/api/v1/webhook-endpoints/",
        "/api/v1/webhook-endpoints/{id}/",
        "/api/v1/webhook-endpoints/{id}/rotate-secret/",
    }
    docs = Client().get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html and "<style" not in html  # nothing inline, for the CSP
    assert "cdn" not in html.lower()  # served from here, closed networks included
    script = Client().get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in script.content


def test_every_operation_documents_its_auth_errors_and_examples(world: World) -> None:
    schema = load_schema()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["ApiKey"]["description"],
    }
    assert "Api-Key" in schemes["ApiKey"]["description"]
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"status", "code", "detail", "fields"}
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary") or operation.get("description"), where
        assert {"ApiKey": []} in operation["security"], where
        responses = operation["responses"]
        expected = {"400", "401", "403", "404", "405", "406", "429", "500"}
        if method == "post":
            expected |= {"413", "415"}
        assert expected <= set(responses), (where, expected - set(responses))
        for status in expected:
            content = responses[status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, where
            assert content["examples"], (where, status)
            assert responses[status]["description"], (where, status)
        assert "Retry-After" in responses["429"]["headers"]
        success = next(code for code in responses if code.startswith("2"))
        if success != "204":  # 204 No Content: nothing to give an example of
            assert responses[success]["content"]["application/json"].get("examples"), where
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (where, parameter["name"])


def test_every_field_is_described(world: World) -> None:
    schema = load_schema()
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Enum") or name.startswith("Paginated"):
            continue
        for field, spec in component.get("properties", {}).items():
            described = spec.get("description") or "$ref" in spec or "allOf" in spec
            assert described, f"{name}.{field}"


@pytest.fixture
def busy_world(world: World) -> World:
    """Case A shared with Haven, with an agreement, a location, events, notices and
    handovers."""
    AgreementFactory(case=world.case_a, created_by=world.nadia, avoid_notes="Not at work")
    VictimLocationFactory(victim=world.case_a.victim)
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=3),
        acting_user=world.nadia,
    )
    issue_tipping_point_notices(now=timezone.now())
    send_handover(
        case=world.case_a,
        kind=HandoverKind.SUPPORT_REFERRAL,
        to_organisation=world.haven,
        reason="Counselling",
        needs_and_risks="Prefers women staff.",
        acting_user=world.nadia,
    )
    send_handover(
        case=world.case_a,
        kind=HandoverKind.POINT_OF_CONTACT,
        to_organisation=world.noah.organisation,
        to_person=world.noah,
        reason="Moving team",
        needs_and_risks="Introduce in person.",
        acting_user=world.nadia,
    )
    set_case_status(
        case=world.case_a, status=CaseStatus.PAUSED, reason="x", acting_user=world.nadia
    )
    return world


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rates out of the way, and the test's database connection kept open across requests
    (as Django's own test client does) while schemathesis calls the WSGI application."""
    cache.clear()
    monkeypatch.setattr(
        throttling.ApiKeyRateThrottle, "THROTTLE_RATES", {"api_key": "100000/minute"}
    )
    monkeypatch.setattr(
        throttling.SignedInRateThrottle, "THROTTLE_RATES", {"signed_in": "100000/minute"}
    )
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Host names in generated webhook URLs are not looked up in the real DNS."""

    def nowhere(host: str, port: int) -> list[str]:
        raise OSError("not looked up in tests")

    monkeypatch.setattr("webhooks.addresses.resolve", nowhere)


def run_schemathesis(headers: dict[str, str], known: dict[str, Any]) -> int:
    """Every operation, as many times as EXAMPLES_PER_OPERATION allows per way of calling it."""
    api = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    calls = 0
    for result in api.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        fixed = {name: value for name, value in known.items() if name in names}
        # Data that fits the schema, data that does not, and the ids of things that exist.
        strategies = [
            (operation.as_strategy(), False),
            (operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), True),
        ]
        if fixed:
            strategies.append((operation.as_strategy(path_parameters=fixed), False))
        for strategy, negative in strategies:

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case: Any) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing in this operation can be sent wrong (its inputs take any string).
                assert negative, operation.label
    return calls


def test_schemathesis_as_a_partners_key(
    busy_world: World, unthrottled: None, offline: None
) -> None:
    key = issue(busy_world.haven).key
    notice = PartnerNotice.objects.filter(organisation=busy_world.haven).first()
    calls = run_schemathesis(
        {"Authorization": f"Api-Key {key}"},
        {"reference": busy_world.case_a.reference, "id": notice.pk, "prefix": key[:8]},
    )
    assert calls >= 2 * 15 * EXAMPLES_PER_OPERATION


def test_schemathesis_as_staff_signed_in(
    busy_world: World, unthrottled: None, offline: None
) -> None:
    client = Client()
    client.force_login(busy_world.nadia)
    session = client.cookies["sessionid"].value
    calls = run_schemathesis(
        {"Cookie": f"sessionid={session}"}, {"reference": busy_world.case_a.reference}
    )
    assert calls >= 2 * 15 * EXAMPLES_PER_OPERATION
