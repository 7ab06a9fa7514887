"""The guide a partner starts from (the docs page's text, ``navigator/api/description.md``)
says what the API does: its request examples say how a body is sent, and what it points
to is in the schema."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.partners.helpers import session_client
from tests.personas import World

pytestmark = pytest.mark.django_db

GUIDE = Path(settings.BASE_DIR, "navigator", "api", "description.md").read_text()


def test_every_request_shown_with_a_body_says_it_is_json() -> None:
    requests = re.findall(r"```\n((?:POST|PATCH|PUT) /api/v1/.*?)```", GUIDE, flags=re.DOTALL)
    assert len(requests) >= 2
    for request in requests:
        head, _, body = request.partition("\n\n")
        assert "Authorization: Api-Key " in head
        assert "Content-Type: application/json" in head, head
        assert body.strip()


def test_the_schema_is_given_as_json_when_asked_as_the_guide_says() -> None:
    assert "`Accept: application/json`" in GUIDE
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    listing = schema["paths"]["/api/v1/handovers/"]["get"]
    (case,) = [p for p in listing["parameters"] if p["name"] == "case"]
    assert case["in"] == "query" and "notice names" in case["description"]
    assert "?case=" in GUIDE or "&case=" in GUIDE


def test_the_pages_the_guide_sends_a_partner_administrator_to(world: World) -> None:
    pages = re.findall(r"\(`(/partner/[a-z/-]+)`\)", GUIDE)
    assert set(pages) == {"/partner/keys/", "/partner/webhook-endpoints/"}
    world.pat.is_partner_administrator = True
    world.pat.save(update_fields=["is_partner_administrator"])
    administrator, caseworker = session_client(world.pat), session_client(world.pia)
    for page in pages:
        assert administrator.get(page).status_code == 200, page
        assert caseworker.get(page).status_code == 403, page
