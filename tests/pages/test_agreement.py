"""The agreement editor: a new version through the one service, every version listed with
what changed, a stale form refused with what changed, and only for those it is for."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from contacts.choices import AvoidFlag, Channel
from contacts.models import CommunicationAgreement
from tests.alerts.helpers import agree
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(world: World) -> World:
    """case_a: weekly texts then calls, never from a withheld number, agreed a week ago."""
    agree(
        world.case_a,
        world.nadia,
        at=timezone.now() - timedelta(days=7),
        interval=7,
        channels=[Channel.TEXT, Channel.PHONE_CALL],
        avoid_flags=[AvoidFlag.NO_WITHHELD_NUMBER],
        agreed_through="In person with Nadia",
    )
    return world


def edit_url(world: World) -> str:
    return reverse("agreement-change", args=[world.case_a.reference])


def versions_url(world: World) -> str:
    return reverse("agreement-versions", args=[world.case_a.reference])


def agreement_form(**overrides: Any) -> dict[str, Any]:
    """The form as a navigator sends it, changing version 1 to updates every 3 days."""
    form = {
        "based_on_version": "1",
        "channel_1": "text",
        "channel_2": "phone_call",
        "channel_3": "",
        "update_interval_days": "3",
        "level_of_detail": "headline",
        "avoid_flags": ["no_withheld_number"],
        "unsafe_channel": "",
        "unsafe_channel_note": "",
        "avoid_notes": "",
        "language": "",
        "preferred_contact": "",
        "agreed_on": timezone.localdate().strftime("%d/%m/%Y"),
        "agreed_through": "By phone, with a Tigrinya interpreter",
        "review_by": "",
        "window_1_days": [],
        "window_1_start": "",
        "window_1_end": "",
        "window_2_days": [],
        "window_2_start": "",
        "window_2_end": "",
    }
    form.update(overrides)
    return form


def test_the_form_starts_from_the_current_version(agreed: World) -> None:
    response = client_for(agreed.nadia).get(edit_url(agreed))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Now agreed (version 1)" in page
    assert 'name="based_on_version" value="1"' in page
    assert 'name="update_interval_days" value="7"' in page
    assert '<option value="text" selected>' in page
    assert "Saving records version 2" in page
    # Opening the editor shows the victim's agreement: it is a read of the record.
    assert AccessLogEntry.objects.filter(reader=agreed.nadia, case_id=agreed.case_a.pk).exists()


def test_a_navigator_records_a_new_version_and_sees_what_changed(agreed: World) -> None:
    client = client_for(agreed.nadia)
    response = client.post(
        edit_url(agreed),
        agreement_form(window_1_days=["0", "1", "2", "3", "4"], window_1_start="09:00"),
    )
    assert response.status_code == 302
    assert response["Location"] == versions_url(agreed)
    current = CommunicationAgreement.objects.get(case=agreed.case_a, superseded_at__isnull=True)
    assert (current.version, current.update_interval_days) == (2, 3)
    assert current.contact_windows == [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "23:59"}]
    assert current.agreed_through == "By phone, with a Tigrinya interpreter"
    assert current.created_by == agreed.nadia
    page = client.get(versions_url(agreed)).content.decode()
    assert "Version 2 of the agreement is recorded." in page
    assert "From version 1 to version 2" in page
    assert "An update every 3 days, instead of every 7 days: more often." in page
    assert "Contact only weekdays after 09:00, instead of at any time of day (UK time)." in page
    assert "agreed through: By phone, with a Tigrinya interpreter" in page
    assert "Version 1" in page and "In force" in page


def test_any_two_versions_can_be_compared(agreed: World) -> None:
    client = client_for(agreed.nadia)
    client.post(edit_url(agreed), agreement_form())
    client.post(edit_url(agreed), agreement_form(based_on_version="2", level_of_detail="full"))
    page = client.get(versions_url(agreed), {"from": "1", "to": "3"}).content.decode()
    assert "From version 1 to version 3" in page
    assert "An update every 3 days, instead of every 7 days: more often." in page
    assert "Level of detail: in full detail, instead of headlines only." in page
    # A version that does not exist falls back to the latest two.
    page = client.get(versions_url(agreed), {"from": "9", "to": "x"}).content.decode()
    assert "From version 2 to version 3" in page


def test_mistakes_are_shown_beside_their_fields_and_what_was_typed_is_kept(
    agreed: World,
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(agreed.nadia).post(
        edit_url(agreed),
        agreement_form(
            channel_1="",
            channel_2="",
            update_interval_days="0",
            agreed_on=tomorrow.strftime("%d/%m/%Y"),
            agreed_through="At the refuge with her cousin",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_channel_1"' in page
    assert "Choose at least one channel the victim accepts." in page
    assert "Updates must be at least one day apart." in page
    assert 'value="At the refuge with her cousin"' in page
    assert CommunicationAgreement.objects.filter(case=agreed.case_a).count() == 1


def test_the_service_refusals_are_put_beside_the_field(agreed: World) -> None:
    """Checks only the service makes (a date in the future, an unsafe agreed channel)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = (
        client_for(agreed.nadia)
        .post(
            edit_url(agreed),
            agreement_form(agreed_on=tomorrow.strftime("%d/%m/%Y"), unsafe_channel="text"),
        )
        .content.decode()
    )
    assert 'href="#id_agreed_on"' in page and "cannot be in the future" in page
    assert 'href="#id_unsafe_channel"' in page and "cannot also be an agreed one" in page
    assert CommunicationAgreement.objects.filter(case=agreed.case_a).count() == 1


def test_a_stale_form_says_what_changed_and_is_not_saved_over_the_newer_version(
    agreed: World,
) -> None:
    # Sam (the supervisor) records version 2 while Nadia still has version 1 open.
    client_for(agreed.sam).post(
        edit_url(agreed), agreement_form(update_interval_days="2", agreed_through="")
    )
    nadia = client_for(agreed.nadia)
    response = nadia.post(edit_url(agreed), agreement_form(level_of_detail="full"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The agreement changed while you were editing" in page
    assert "recorded version 2" in page
    assert "An update every 2 days, instead of every 3 days" not in page  # from 1, not from 3
    assert "An update every 2 days, instead of every 7 days: more often." in page
    assert "Agreed through: removed" in page
    assert 'name="based_on_version" value="2"' in page  # saving again is a decision
    # What she typed is kept.
    assert re.search(r'<input type="radio" name="level_of_detail" value="full"[^>]*checked', page)
    current = CommunicationAgreement.objects.get(case=agreed.case_a, superseded_at__isnull=True)
    assert (current.version, current.update_interval_days) == (2, 2)
    # Saving again, knowing, records version 3.
    again = nadia.post(edit_url(agreed), agreement_form(based_on_version="2"))
    assert again.status_code == 302
    assert CommunicationAgreement.objects.get(superseded_at__isnull=True).version == 3


def test_the_first_agreement_can_be_recorded_from_the_case_page(world: World) -> None:
    client = client_for(world.nadia)
    case_page = client.get(reverse("case-detail", args=[world.case_a.reference]))
    assert f'href="{edit_url(world)}">Record the agreement' in case_page.content.decode()
    page = client.get(edit_url(world)).content.decode()
    assert 'name="based_on_version" value="0"' in page
    response = client.post(edit_url(world), agreement_form(based_on_version="0"))
    assert response.status_code == 302
    page = client.get(versions_url(world)).content.decode()
    assert "The first agreement recorded, agreed on" in page


def test_the_case_page_links_to_the_editor_and_the_versions(agreed: World) -> None:
    page = client_for(agreed.nadia).get(reverse("case-detail", args=[agreed.case_a.reference]))
    text = page.content.decode()
    assert f'href="{edit_url(agreed)}">Change the agreement' in text
    assert f'href="{versions_url(agreed)}">Every version' in text
    officer = client_for(agreed.olive).get(reverse("case-detail", args=[agreed.case_a.reference]))
    text = officer.content.decode()
    assert f'href="{edit_url(agreed)}"' not in text and versions_url(agreed) in text


def test_an_officer_reads_the_versions_but_cannot_change_them(agreed: World) -> None:
    olive = client_for(agreed.olive)
    assert olive.get(versions_url(agreed)).status_code == 200
    assert olive.get(edit_url(agreed)).status_code == 403
    assert olive.post(edit_url(agreed), agreement_form()).status_code == 403
    assert CommunicationAgreement.objects.filter(case=agreed.case_a).count() == 1


@pytest.mark.parametrize(
    ("who", "edit", "versions"),
    [
        ("pat", 403, 403),  # a partner: the agreement's history is not in any share
        ("pia", 403, 403),
        ("noah", 404, 404),  # a navigator, not this case's
        ("nemo", 404, 404),
        ("sue", 404, 404),  # a supervisor of another team
        ("oscar", 403, 404),  # an officer of another force
    ],
)
def test_people_it_is_not_for_are_refused(
    agreed: World, who: str, edit: int, versions: int
) -> None:
    client = client_for(getattr(agreed, who))
    assert client.get(edit_url(agreed)).status_code == edit
    assert client.post(edit_url(agreed), agreement_form()).status_code == edit
    assert client.get(versions_url(agreed)).status_code == versions
    assert CommunicationAgreement.objects.filter(case=agreed.case_a).count() == 1


def test_the_versions_page_costs_the_same_for_many_versions(
    agreed: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(agreed.nadia)
    for number in range(1, 8):
        client.post(
            edit_url(agreed),
            agreement_form(based_on_version=str(number), update_interval_days=str(number + 1)),
        )
    with django_assert_max_num_queries(9):
        assert client.get(versions_url(agreed)).status_code == 200


def test_every_window_of_the_current_version_is_in_the_form(world: World) -> None:
    windows = [
        {"days": [0, 1, 2, 3, 4], "start": "18:00", "end": "21:00"},
        {"days": [5], "start": "10:00", "end": "12:00"},
        {"days": [6], "start": "14:00", "end": "16:00"},
    ]
    agree(world.case_a, world.nadia, at=timezone.now(), interval=7, contact_windows=windows)
    page = client_for(world.nadia).get(edit_url(world)).content.decode()
    assert 'name="window_3_start" value="14:00"' in page
    # Sent back as shown with only the interval changed, every window is kept.
    form = agreement_form(update_interval_days="5")
    for number, window in enumerate(windows, start=1):
        form[f"window_{number}_days"] = [str(day) for day in window["days"]]
        form[f"window_{number}_start"] = window["start"]
        form[f"window_{number}_end"] = window["end"]
    assert client_for(world.nadia).post(edit_url(world), form).status_code == 302
    current = CommunicationAgreement.objects.get(case=world.case_a, superseded_at__isnull=True)
    assert current.contact_windows == windows and current.update_interval_days == 5
