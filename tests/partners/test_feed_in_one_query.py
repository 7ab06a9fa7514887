"""Following the feed with a key checks the key and reads the page in one query, and
loses nothing a partner or the service relies on: the same pages, a key that stops
working stops at once, the access rules decide, and a kept connection that died with a
database restart is replaced rather than failing the request."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import access
from navigator.db import fetch_all
from partners import keys, selectors
from partners.models import PartnerAPIKey
from tests.partners.helpers import client_for, issue, key_client, session_client
from tests.partners.test_feed import follow, make_notices
from tests.personas import World


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3, 100])
def test_each_page_followed_with_a_key_is_one_query(world: World, size: int) -> None:
    ids = make_notices(world, 7)
    client = client_for(world.haven)
    url, seen = f"/api/v1/notices/?page_size={size}", []
    while True:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        assert len(captured.captured_queries) == 1, [q["sql"] for q in captured]
        seen += [n["id"] for n in body["results"]]
        if not body["has_more"]:
            break
        url = body["next"]
    assert seen == ids


@pytest.mark.django_db
def test_the_one_query_pages_are_the_pages_the_usual_way_gives(world: World) -> None:
    make_notices(world, 5)
    with_key, resume = follow(client_for(world.haven), "/api/v1/notices/?page_size=2")
    # A partner caseworker signed in reads the same feed the usual way.
    signed_in, _ = follow(session_client(world.pat), "/api/v1/notices/?page_size=2")
    assert with_key == signed_in
    assert key_client(issue(world.haven).key).get(resume).json()["results"] == []


@pytest.mark.django_db
def test_a_key_stored_under_an_older_hash_still_reads_the_feed(world: World) -> None:
    (notice_id,) = make_notices(world, 1)
    issued = issue(world.haven)
    PartnerAPIKey.objects.filter(pk=issued.api_key.pk).update(
        hashed_key=make_password(issued.key, hasher="md5")
    )
    response = key_client(issued.key).get("/api/v1/notices/")
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == [notice_id]
    mistyped = key_client(issued.key[:-1] + "x").get("/api/v1/notices/")
    assert mistyped.status_code == 401


@pytest.mark.django_db
def test_the_access_rules_decide_whose_notices_the_one_query_page_holds(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notices(world, 2)
    client = client_for(world.haven)
    assert len(client.get("/api/v1/notices/").json()["results"]) == 2
    # Were the rules to stop an organisation's API account reading notices, the page the
    # query read is not given.
    monkeypatch.setattr(access, "partner_organisation_id", lambda user: None)
    response = client.get("/api/v1/notices/")
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.django_db
def test_a_wrong_key_for_a_known_prefix_reads_nothing_and_is_refused(world: World) -> None:
    make_notices(world, 2)
    issued = issue(world.haven)
    prefix = issued.key.partition(".")[0]
    wrong = f"{prefix}.not-the-secret"
    response = key_client(wrong).get("/api/v1/notices/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "authentication_failed"
    assert "no-store" in response["Cache-Control"]
    # The query reads no notice unless the key is right: not a row comes back.
    params = {"prefix": prefix, "hashed_key": keys.key_hash(wrong), "now": timezone.now()}
    assert fetch_all(selectors.KEY_AND_FEED_PAGE_SQL, params | {"after": 0, "limit": 10}) == []


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_that_died_is_replaced_and_the_page_read(world: World) -> None:
    ids = make_notices(world, 3)
    client = client_for(world.haven)
    assert client.get("/api/v1/notices/").status_code == 200
    # What a database restart leaves behind: a kept connection that no longer works, met
    # by the next request (which, with a kept connection, has not been checked yet).
    connection.connection.close()
    connection.health_check_done = False
    response = client.get("/api/v1/notices/")
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["results"]] == ids
