"""An administrator searches the access log: by case or victim reference, reader,
organisation, channel and date."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.log import record_case_read
from audit.models import AccessChannel, AccessLogEntry
from tests.personas import World

pytestmark = pytest.mark.django_db
URL = reverse("admin:audit_accesslogentry_changelist")


@pytest.fixture
def reads(world: World) -> dict[str, AccessLogEntry]:
    a, b = world.case_a, world.case_b
    entries = {
        "nadia_a_page": record_case_read(reader=world.nadia, case=a, channel=AccessChannel.PAGE),
        "olive_a_api": record_case_read(reader=world.olive, case=a, channel=AccessChannel.API),
        "noah_b_page": record_case_read(reader=world.noah, case=b, channel=AccessChannel.PAGE),
    }
    return entries


def found(world: World, **query: str) -> set[int]:
    client = Client()
    client.force_login(world.ada)
    response = client.get(URL, query)
    assert response.status_code == 200
    return {entry.pk for entry in response.context["cl"].result_list}


def test_search_by_case_or_victim_reference(world: World, reads) -> None:  # type: ignore[no-untyped-def]
    on_a = {reads["nadia_a_page"].pk, reads["olive_a_api"].pk}
    assert found(world, q=world.case_a.reference) == on_a
    assert found(world, q=world.case_a.victim.reference.lower()) == on_a  # any case
    assert found(world, q=world.case_a.reference[:-1]) == set()  # exact, not a prefix


def test_search_by_reader_and_organisation(world: World, reads) -> None:  # type: ignore[no-untyped-def]
    assert found(world, q="olive") == {reads["olive_a_api"].pk}
    assert found(world, q="Force A") == {reads["olive_a_api"].pk}
    assert found(world, reader__id__exact=str(world.noah.pk)) == {reads["noah_b_page"].pk}


def test_filter_by_channel_and_date(world: World, reads) -> None:  # type: ignore[no-untyped-def]
    assert found(world, channel__exact="api") == {reads["olive_a_api"].pk}
    today = timezone.localdate()
    assert found(world, at__from=str(today), at__to=str(today)) == {e.pk for e in reads.values()}
    before = str(today - timedelta(days=1))
    assert found(world, at__from=str(today - timedelta(days=30)), at__to=before) == set()
    assert found(world, at__from="not a day", channel__exact="page") == {
        reads["nadia_a_page"].pk,
        reads["noah_b_page"].pk,
    }


def test_the_date_range_form_keeps_the_other_filters(world: World, reads) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.ada)
    page = client.get(URL, {"channel__exact": "api", "at__from": "2026-03-01"}).content.decode()
    assert 'name="channel__exact" value="api"' in page
    assert 'value="2026-03-01"' in page
