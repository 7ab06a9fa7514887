"""The handover pages: a navigator sends one from the case page; its receiver reads it and
acknowledges, accepts or declines it; nobody else gets in."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import PocRole
from cases.models import PointOfContact
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from handovers.services import send_handover
from partners.models import PartnerNotice
from tests.factories import CaseFactory, CaseShareFactory, PointOfContactFactory
from tests.handovers.helpers import change_navigator, refer_to_haven
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


def send_url(world: World) -> str:
    return reverse("handover-send", args=[world.case_a.reference])


def detail_url(handover: Handover) -> str:
    return reverse("handover-detail", args=[handover.pk])


def test_a_navigator_sends_a_handover_from_the_case_page(world: World) -> None:
    nadia = client_for(world.nadia)
    case_page = nadia.get(reverse("case-detail", args=[world.case_a.reference]))
    assert send_url(world) in case_page.content.decode()
    form = nadia.get(send_url(world))
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    sent = nadia.post(
        send_url(world),
        {
            "kind": HandoverKind.SUPPORT_REFERRAL,
            "to_organisation": world.haven.pk,
            "to_person": "",
            "reason": "Counselling",
            "needs_and_risks": "Afraid of the dark.",
        },
        follow=True,
    )
    assert sent.redirect_chain[-1][0] == reverse("case-detail", args=[world.case_a.reference])
    assert "Handover sent to Haven" in sent.content.decode()
    handover = Handover.objects.get()
    assert handover.to_organisation == world.haven and handover.from_person == world.nadia
    assert PartnerNotice.objects.filter(kind="handover", organisation=world.haven).exists()
    page = sent.content.decode()
    assert "Support" in page or "Referral to a support service" in page


def test_a_handover_sent_twice_is_sent_once(world: World) -> None:
    """A double tap, or a retry on a poor signal: one handover, one notice to the receiver."""
    nadia = client_for(world.nadia)
    form = nadia.get(send_url(world)).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', form)
    assert key is not None
    sending = {
        "kind": HandoverKind.SUPPORT_REFERRAL,
        "to_organisation": world.haven.pk,
        "to_person": "",
        "reason": "Counselling",
        "needs_and_risks": "Afraid of the dark.",
        "submission_key": key.group(1),
    }
    assert nadia.post(send_url(world), sending).status_code == 302
    assert nadia.post(send_url(world), sending).status_code == 302
    assert Handover.objects.count() == 1
    assert PartnerNotice.objects.filter(kind="handover", organisation=world.haven).count() == 1


def test_a_refused_handover_says_why_beside_each_field_and_keeps_the_typing(
    world: World,
) -> None:
    nadia = client_for(world.nadia)
    answer = nadia.post(
        send_url(world),
        {
            "kind": HandoverKind.POINT_OF_CONTACT,
            "to_organisation": world.haven.pk,
            "reason": "She moves on",
            "needs_and_risks": "",
        },
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "There is a problem" in page
    assert "Summarise the victim&#x27;s needs and risks." in page
    assert "She moves on" in page
    assert not Handover.objects.exists()
    # The service's refusal lands beside its field too.
    answer = nadia.post(
        send_url(world),
        {
            "kind": HandoverKind.POINT_OF_CONTACT,
            "to_organisation": world.haven.pk,
            "reason": "She moves on",
            "needs_and_risks": "x",
        },
    )
    assert "Choose the person who becomes the point of contact." in answer.content.decode()


@pytest.mark.parametrize(("who", "status"), [("olive", 403), ("pat", 403), ("noah", 404)])
def test_only_the_case_team_opens_the_send_page(world: World, who: str, status: int) -> None:
    client = client_for(getattr(world, who))
    assert client.get(send_url(world)).status_code == status
    assert (
        client.post(
            send_url(world),
            {"kind": "support_referral", "to_organisation": world.haven.pk},
        ).status_code
        == status
    )
    assert not Handover.objects.exists()


def test_signed_out_nobody_gets_in(world: World) -> None:
    handover = refer_to_haven(world)
    for url in (send_url(world), reverse("handover-inbox"), detail_url(handover)):
        answer = Client().get(url)
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_partner_caseworker_acknowledges_then_accepts(world: World) -> None:
    handover = refer_to_haven(world)
    pat = client_for(world.pat)
    inbox = pat.get(reverse("handover-inbox"))
    assert inbox.status_code == 200 and "no-store" in inbox["Cache-Control"]
    assert detail_url(handover) in inbox.content.decode()
    page = pat.get(detail_url(handover))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    content = page.content.decode()
    assert "Afraid of being seen" in content and "Acknowledge" in content
    pat.post(detail_url(handover), {"action": "acknowledge"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACKNOWLEDGED and handover.acknowledged_by == world.pat
    pat.post(detail_url(handover), {"action": "accept"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.ACCEPTED and handover.decided_by == world.pat


def test_declining_needs_a_reason(world: World) -> None:
    handover = refer_to_haven(world)
    pat = client_for(world.pat)
    answer = pat.post(detail_url(handover), {"action": "decline", "decline_reason": ""})
    assert answer.status_code == 200
    assert "Say why you are declining." in answer.content.decode()
    pat.post(detail_url(handover), {"action": "decline", "decline_reason": "No space"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.DECLINED and handover.decline_reason == "No space"


def test_a_navigator_takes_a_case_over_saying_whether_they_were_introduced(
    world: World,
) -> None:
    handover = change_navigator(world)
    noah = client_for(world.noah)
    assert detail_url(handover) in noah.get(reverse("handover-inbox")).content.decode()
    refused = noah.post(detail_url(handover), {"action": "accept"})
    assert "Say whether you were introduced." in refused.content.decode()
    noah.post(detail_url(handover), {"action": "accept", "introduced_by_predecessor": "no"})
    current = PointOfContact.objects.get(
        case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
    )
    assert current.person == world.noah and current.introduced_by_predecessor is False


@pytest.mark.parametrize("who", ["pia", "nemo", "oscar", "sue"])
def test_others_find_nothing(world: World, who: str) -> None:
    handover = refer_to_haven(world)
    client = client_for(getattr(world, who))
    assert client.get(detail_url(handover)).status_code == 404
    assert client.post(detail_url(handover), {"action": "accept"}).status_code == 404
    assert detail_url(handover) not in client.get(reverse("handover-inbox")).content.decode()
    handover.refresh_from_db()
    assert handover.state == HandoverState.SENT


def test_the_officer_sees_that_it_happened_but_not_what_was_written(world: World) -> None:
    handover = refer_to_haven(world)
    olive = client_for(world.olive)
    page = olive.get(detail_url(handover)).content.decode()
    assert "Referral to a support service" in page
    assert "Afraid" not in page and "Counselling" not in page
    assert 'value="accept"' not in page
    olive.post(detail_url(handover), {"action": "accept"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.SENT


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_inbox_and_the_case_page_do_not_grow_with_the_handovers(world: World) -> None:
    pat, nadia = client_for(world.pat), client_for(world.nadia)
    refer_to_haven(world)
    inbox_one = _count(pat, reverse("handover-inbox"))
    case_one = _count(nadia, reverse("case-detail", args=[world.case_a.reference]))
    for _ in range(8):
        case = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=case, role="navigator", person=world.nadia)
        CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
        send_handover(
            case=case,
            kind=HandoverKind.SUPPORT_REFERRAL,
            to_organisation=world.haven,
            reason="r",
            needs_and_risks="n",
            acting_user=world.nadia,
        )
        refer_to_haven(world, kind=HandoverKind.CASE_CLOSING)
    assert _count(pat, reverse("handover-inbox")) == inbox_one <= 6
    assert _count(nadia, reverse("case-detail", args=[world.case_a.reference])) == case_one


def test_a_partner_seeing_a_handover_to_someone_else_sees_organisations_not_people(
    world: World,
) -> None:
    from tests.factories import OrganisationFactory

    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)  # consent
    handover = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    pat = client_for(world.pat)
    page = pat.get(detail_url(handover)).content.decode()
    assert "Ark" in page and str(world.nadia) not in page.split("</header>")[-1]
    case_page = pat.get(reverse("partner-case", args=[world.case_a.reference]))
    assert f"from {world.nadia.organisation} to Ark" in case_page.content.decode()
