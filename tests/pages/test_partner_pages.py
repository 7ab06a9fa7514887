"""The partner caseworker's pages: the inbox of notices (acknowledged through the same
service as the API), the cases shared with their organisation, and telling the case's team
of a move or a contact. Each refuses everyone it is not for."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from audit.models import AccessLogEntry
from cases.choices import EventKind, SharePurpose, ShareScope
from cases.models import CaseEvent, CaseShare
from cases.services import record_case_event
from partners.models import NoticeKind, PartnerNotice, PartnerReport
from partners.outbox import issue_tipping_point_notices
from tests.factories import (
    AgreementFactory,
    CaseFactory,
    CaseShareFactory,
    PointOfContactFactory,
    VictimLocationFactory,
)
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db

INBOX = reverse("partner-inbox")
CASES = reverse("partner-cases")


def notice(world: World, case: Any = None, **fields: Any) -> PartnerNotice:
    fields.setdefault("kind", NoticeKind.RELOCATION)
    fields.setdefault("subject", "The victim has moved to other accommodation")
    return PartnerNotice.objects.create(
        case=case or world.case_a, organisation=fields.pop("organisation", world.haven), **fields
    )


def hard_moment(world: World, days: int = 3) -> PartnerNotice:
    """An interview for case_a in a few days, and Haven's advance notice of it."""
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=days),
        acting_user=world.nadia,
    )
    issue_tipping_point_notices(now=timezone.now())
    return PartnerNotice.objects.get(organisation=world.haven, kind=NoticeKind.TIPPING_POINT)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# The inbox


@time_machine.travel("2026-11-25 10:00 +00:00", tick=False)
def test_the_inbox_shows_what_waits_first_then_the_newest_in_plain_words(world: World) -> None:
    now = timezone.now()
    old_done = notice(world, subject="Old and done", created_at=now - timedelta(days=9))
    old_done.acknowledged_at = now - timedelta(days=8)
    old_done.save()
    notice(world, subject="Waiting a while", created_at=now - timedelta(days=5))
    notice(world, subject="Waiting, newest", created_at=now - timedelta(days=1))
    recent_done = notice(world, subject="Recent and done", created_at=now - timedelta(hours=2))
    recent_done.acknowledged_at = now - timedelta(hours=1)
    recent_done.save()
    notice(world, case=world.case_b, organisation=world.other_ngo, subject="Not for Haven")

    page = client_for(world.pat).get(INBOX).content.decode()
    order = ["Waiting, newest", "Waiting a while", "Recent and done", "Old and done"]
    positions = [page.index(subject) for subject in order]
    assert positions == sorted(positions)
    assert "Not for Haven" not in page
    assert f'Case <span class="reference">{world.case_a.reference}</span>' in page
    assert "sent 24 November 2026" in page  # UK dates
    assert page.count(">Acknowledge<") == 2  # only those waiting
    assert "Acknowledged Wednesday 25 November 2026, 09:00." in page  # UK time (GMT)


def test_the_inbox_filters_by_kind_and_by_whether_acknowledged(world: World) -> None:
    moment = hard_moment(world)
    moved = notice(world, subject="Moved to a safe house")
    moved.acknowledged_at = timezone.now()
    moved.save()
    client = client_for(world.pat)
    page = client.get(INBOX, {"kind": NoticeKind.TIPPING_POINT}).content.decode()
    assert moment.subject in page and "Moved to a safe house" not in page
    page = client.get(INBOX, {"state": "acknowledged"}).content.decode()
    assert moment.subject not in page and "Moved to a safe house" in page
    page = client.get(INBOX, {"state": "waiting", "kind": "relocation"}).content.decode()
    assert "No notices like that." in page
    # An address edited by hand shows everything, never an error page.
    page = client.get(INBOX, {"kind": "nonsense", "page": "999"}).content.decode()
    assert moment.subject in page and "Moved to a safe house" in page


def test_the_inbox_comes_in_pages(world: World) -> None:
    now = timezone.now()
    for n in range(25):
        notice(world, subject=f"Notice number {n:02d}.", created_at=now - timedelta(hours=n))
    client = client_for(world.pat)
    first = client.get(INBOX).content.decode()
    assert "Notice number 00." in first and "Notice number 19." in first
    assert "Notice number 20." not in first and "Page 1 of 2" in first
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert "Notice number 20." in second and "Notice number 00." not in second


def test_acknowledging_goes_through_the_same_service_as_the_api(world: World) -> None:
    moment = hard_moment(world)
    event = CaseEvent.objects.get(case=world.case_a, kind=EventKind.INTERVIEW)
    assert event.partners_told_at is None
    client = client_for(world.pat)
    url = reverse("partner-notice-acknowledge", args=[moment.pk])
    response = client.post(url, {"kind": "tipping_point", "page": "1", "evil": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?kind=tipping_point&page=1"  # the inbox as it was
    moment.refresh_from_db()
    assert moment.acknowledged_at is not None
    history = moment.history.first()
    assert history is not None and history.history_user == world.pat
    event.refresh_from_db()
    assert event.partners_told_at is not None  # the case's team sees partners were told
    page = client.get(response["Location"]).content.decode()
    assert "Acknowledged: advance notice of a hard moment" in page
    assert ">Acknowledge<" not in page and "Acknowledged " in page
    # Twice changes nothing.
    first = moment.acknowledged_at
    assert client.post(url).status_code == 302
    moment.refresh_from_db()
    assert moment.acknowledged_at == first


def test_a_notice_acknowledged_on_its_case_page_leads_back_there(world: World) -> None:
    moment = hard_moment(world)
    client = client_for(world.pat)
    url = reverse("partner-notice-acknowledge", args=[moment.pk])
    response = client.post(url, {"back": "case"})
    case_page = reverse("partner-case", args=[world.case_a.reference])
    assert response["Location"] == case_page
    page = client.get(case_page).content.decode()
    assert "Acknowledged: advance notice" in page and ">Acknowledge<" not in page


def test_another_organisations_notice_cannot_be_acknowledged_or_seen(world: World) -> None:
    theirs = notice(world, subject="For Haven only")
    pia = client_for(world.pia)
    url = reverse("partner-notice-acknowledge", args=[theirs.pk])
    assert pia.post(url).status_code == 404
    unknown = reverse("partner-notice-acknowledge", args=[theirs.pk + 1000])
    assert pia.post(unknown).status_code == 404  # unknown and others' alike
    assert "For Haven only" not in pia.get(INBOX).content.decode()
    assert client_for(world.pat).get(url).status_code == 405  # a GET changes nothing
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


def test_a_notice_links_to_its_case_only_while_it_is_shared(world: World) -> None:
    notice(world, subject="About the shared case")
    client = client_for(world.pat)
    link = reverse("partner-case", args=[world.case_a.reference])
    assert link in client.get(INBOX).content.decode()
    CaseShare.objects.filter(case=world.case_a).update(revoked_at=timezone.now())
    page = client.get(INBOX).content.decode()
    assert "About the shared case" in page and link not in page


# Shared cases


def test_the_shared_cases_are_those_shared_with_the_organisation(world: World) -> None:
    page = client_for(world.pat).get(CASES).content.decode()
    assert world.case_a.reference in page and world.case_b.reference not in page
    assert world.case_a.victim.preferred_name in page  # the default share gives it
    assert world.case_a.victim.full_name not in page
    empty = client_for(world.pia).get(CASES).content.decode()
    assert "No cases are shared with Elsewhere Trust" in empty


def test_the_case_page_shows_exactly_what_the_share_gives_and_logs_the_view(
    world: World,
) -> None:
    AgreementFactory(case=world.case_a, created_by=world.nadia, avoid_notes="Brother is near")
    VictimLocationFactory(victim=world.case_a.victim, address="7 Hidden Lane")
    CaseShare.objects.filter(case=world.case_a).update(
        covers=[ShareScope.AGREEMENT, ShareScope.LOCATION], purpose=SharePurpose.SUPPORT
    )
    url = reverse("partner-case", args=[world.case_a.reference])
    page = client_for(world.pat).get(url).content.decode()
    assert world.case_a.reference in page and world.case_a.victim.reference in page
    assert "Before you contact the victim" in page  # no preferred name in this share
    for hidden in (
        world.case_a.victim.preferred_name,
        world.case_a.victim.full_name,
        "Brother is near",  # free text is never shared
        "7 Hidden Lane",  # the location only for the accommodation provider
        "Points of contact",
        "Coming up",
        str(world.olive),
    ):
        assert hidden not in page, hidden
    entry = AccessLogEntry.objects.get(case_id=world.case_a.pk)
    assert (entry.reader, entry.channel) == (world.pat, "page")

    CaseShare.objects.filter(case=world.case_a).update(
        covers=[ShareScope.LOCATION, ShareScope.POINTS_OF_CONTACT],
        purpose=SharePurpose.ACCOMMODATION,
    )
    page = client_for(world.pat).get(url).content.decode()
    assert "7 Hidden Lane" in page and "Points of contact" in page and str(world.olive) in page


def test_a_hard_moment_shows_on_the_case_the_partner_was_told_of(world: World) -> None:
    hard_moment(world)
    record_case_event(
        case=world.case_a,
        kind=EventKind.RELOCATION,
        at=timezone.now() + timedelta(days=2),
        acting_user=world.nadia,
        notes="Judge asked for the interpreter",
    )
    page = client_for(world.pat).get(reverse("partner-case", args=[world.case_a.reference]))
    text = page.content.decode()
    assert "Interview" in text and ">Acknowledge<" in text
    assert "Relocation" not in text and "Judge asked" not in text


@pytest.mark.parametrize("ended", ["revoked", "expired"])
def test_a_share_that_ends_closes_the_case_at_once(world: World, ended: str) -> None:
    client = client_for(world.pat)
    url = reverse("partner-case", args=[world.case_a.reference])
    assert client.get(url).status_code == 200
    share = CaseShare.objects.get(case=world.case_a)
    if ended == "revoked":
        share.revoked_at = timezone.now()
        share.revoked_by = world.nadia
    else:
        share.expires_at = share.shared_at + timedelta(microseconds=1)
    share.save()
    assert client.get(url).status_code == 404
    assert world.case_a.reference not in client.get(CASES).content.decode()
    moved = reverse("partner-report-relocation", args=[world.case_a.reference])
    assert client.get(moved).status_code == 404


@pytest.mark.parametrize("who", ["pia"])
def test_another_organisations_case_is_not_found(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    for name in ("partner-case", "partner-report-relocation", "partner-report-contact"):
        assert client.get(reverse(name, args=[world.case_a.reference])).status_code == 404
        assert client.get(reverse(name, args=["C-NOSUCH"])).status_code == 404
    assert AccessLogEntry.objects.count() == 0


# Telling the case's team


def test_reporting_a_move_reaches_the_team_as_an_alert(world: World) -> None:
    client = client_for(world.pat)
    url = reverse("partner-report-relocation", args=[world.case_a.reference])
    form = client.get(url).content.decode()
    assert "Where do they live now?" in form and "Do not give the address here." in form
    when = timezone.localtime() - timedelta(hours=3)
    response = client.post(
        url,
        {
            "submission_key": str(uuid4()),
            "happened_at": when.strftime("%Y-%m-%dT%H:%M"),
            "accommodation_kind": "safe_house",
            "note": "Call us before visiting.",
        },
    )
    assert response["Location"] == reverse("partner-case", args=[world.case_a.reference])
    report = PartnerReport.objects.get(case=world.case_a)
    assert (report.kind, report.accommodation_kind, report.reported_by) == (
        "relocation",
        "safe_house",
        world.pat,
    )
    alert = Alert.objects.get(case=world.case_a, kind="partner_report")
    assert "Haven reports the victim has moved (safe house)" in alert.summary
    assert "Call us" not in alert.summary
    page = client.get(response["Location"]).content.decode()
    assert "Sent. The case&#x27;s navigator and police point of contact have it now" in page


def test_a_report_with_mistakes_says_what_to_mend_and_keeps_what_was_typed(
    world: World,
) -> None:
    client = client_for(world.pat)
    url = reverse("partner-report-contact", args=[world.case_a.reference])
    key = str(uuid4())
    response = client.post(
        url, {"submission_key": key, "happened_at": "", "outcome": "reached", "note": "She is ok"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#id_happened_at">Enter when was the contact.' in page
    assert 'href="#id_channel_0">Choose how the contact was.' in page
    assert "She is ok" in page and f'value="{key}"' in page
    assert 'value="reached" required id="id_outcome_0" checked' in page
    # What only the service knows (a date in the future) is put beside its field too.
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "submission_key": key,
            "happened_at": future,
            "channel": "phone_call",
            "outcome": "reached",
        },
    )
    assert 'href="#id_happened_at">Report what has happened, not what will.' in (
        response.content.decode()
    )
    assert not PartnerReport.objects.exists()


def test_a_contact_report_with_a_safety_fear_is_a_high_alert(world: World) -> None:
    url = reverse("partner-report-contact", args=[world.case_a.reference])
    client_for(world.pat).post(
        url,
        {
            "submission_key": str(uuid4()),
            "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone_call",
            "outcome": "reached",
            "concerns": ["safety_fear", "housing"],
        },
    )
    alert = Alert.objects.get(case=world.case_a, kind="partner_report")
    assert alert.severity == 3 and "safety fear, housing" in alert.summary


def test_a_report_sent_twice_is_saved_and_raised_once(world: World) -> None:
    client = client_for(world.pat)
    url = reverse("partner-report-relocation", args=[world.case_a.reference])
    form = client.get(url).content.decode()
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    sent = {
        "submission_key": key,
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "accommodation_kind": "safe_house",
    }
    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent).status_code == 302  # a double tap
    assert PartnerReport.objects.count() == 1
    alert = Alert.objects.get(case=world.case_a, kind="partner_report")
    assert len(alert.reasons["reports"]) == 1
    # The same key on another case is refused, not saved there.
    other = CaseFactory(police_force=world.force_a)
    CaseShareFactory(case=other, organisation=world.haven, shared_by=world.nadia)
    elsewhere = reverse("partner-report-relocation", args=[other.reference])
    page = client.post(elsewhere, sent).content.decode()
    assert "This form belongs to another case." in page
    assert PartnerReport.objects.count() == 1


# Who gets in


PARTNER_PAGES = [
    ("inbox", lambda w: INBOX),
    ("shared cases", lambda w: CASES),
    ("case", lambda w: reverse("partner-case", args=[w.case_a.reference])),
    ("move", lambda w: reverse("partner-report-relocation", args=[w.case_a.reference])),
    ("contact", lambda w: reverse("partner-report-contact", args=[w.case_a.reference])),
]


@pytest.mark.parametrize("who", ["nadia", "sam", "olive", "ada", "nemo"])
@pytest.mark.parametrize(("page", "url"), PARTNER_PAGES, ids=[p[0] for p in PARTNER_PAGES])
def test_the_partner_pages_are_only_for_partner_caseworkers(
    world: World, who: str, page: str, url: Any
) -> None:
    client = client_for(getattr(world, who))
    assert client.get(url(world)).status_code == 403
    if page in ("move", "contact"):
        assert client.post(url(world), {"accommodation_kind": "safe_house"}).status_code == 403
    assert not PartnerReport.objects.exists()


def test_nobody_else_acknowledges_a_notice(world: World) -> None:
    theirs = notice(world)
    url = reverse("partner-notice-acknowledge", args=[theirs.pk])
    for who in ("nadia", "sam", "olive", "ada"):
        assert client_for(getattr(world, who)).post(url).status_code == 403
    response = Client().post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


@pytest.mark.parametrize(("page", "url"), PARTNER_PAGES, ids=[p[0] for p in PARTNER_PAGES])
def test_nobody_signed_out_reaches_a_partner_page(world: World, page: str, url: Any) -> None:
    response = Client().get(url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("page", "url"), PARTNER_PAGES, ids=[p[0] for p in PARTNER_PAGES])
def test_partner_pages_are_never_stored(world: World, page: str, url: Any) -> None:
    response = client_for(world.pat).get(url(world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name",
    ["today", "alert-list", "engagement-report", "case-lookup"],
)
def test_a_partner_caseworker_still_cannot_open_a_staff_page(world: World, name: str) -> None:
    assert client_for(world.pat).get(reverse(name)).status_code == 403


def test_the_staff_case_pages_send_a_partner_to_their_own(world: World) -> None:
    client = client_for(world.pat)
    response = client.get(reverse("case-list"))
    assert response["Location"] == CASES
    response = client.get(reverse("case-detail", args=[world.case_a.reference]))
    assert response["Location"] == reverse("partner-case", args=[world.case_a.reference])
    for name in ("case-timeline", "checkin-create"):
        assert client.get(reverse(name, args=[world.case_a.reference])).status_code == 403
    for name in ("case-status", "case-engagement"):
        assert client.post(reverse(name, args=[world.case_a.reference])).status_code == 403


# Queries


def test_the_inbox_and_the_case_list_do_not_grow_with_the_page(world: World) -> None:
    client = client_for(world.pat)
    notice(world)
    one = {url: queries(client, url) for url in (INBOX, CASES)}
    for n in range(30):
        case = CaseFactory(police_force=world.force_a)
        CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
        PointOfContactFactory(case=case, role="navigator", person=world.nadia)
        notice(world, case=case, subject=f"Notice {n}")
    for url, few in one.items():
        full = queries(client, url)
        assert full == few, (url, few, full)
    assert queries(client, INBOX) <= 8
    assert queries(client, CASES) <= 8
    assert queries(client, reverse("partner-case", args=[world.case_a.reference])) <= 12
