"""Administrators write and approve explainers in the admin; approved words never change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from explainers.choices import Topic
from explainers.models import Explainer, ExplainerVersion
from explainers.services import approve_version
from navigator.errors import PermissionDenied
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world: World) -> ExplainerVersion:
    explainer = Explainer.objects.create(topic=Topic.RELOCATION, title="Moving")
    return ExplainerVersion.objects.create(
        explainer=explainer,
        language="English",
        level="headline",
        title="Moving somewhere new",
        body="- Your support worker arranges the move.",
        written_by=world.ada,
        review_by=timezone.localdate() + timedelta(days=365),
    )


def test_an_administrator_approves_with_who_and_when(world: World, draft: ExplainerVersion) -> None:
    url = reverse("admin:explainers_explainerversion_changelist")
    response = client_for(world.ada).post(
        url, {"action": "approve", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.approved_by == world.ada and draft.approved_at is not None
    assert draft.history.first().history_user == world.ada
    # Approved words are read-only: a change is a new revision.
    page = client_for(world.ada).get(
        reverse("admin:explainers_explainerversion_change", args=[draft.pk])
    )
    assert 'name="body"' not in page.content.decode()


@pytest.mark.parametrize("who", ["nadia", "sam", "olive", "pat"])
def test_nobody_else_approves(world: World, draft: ExplainerVersion, who: str) -> None:
    with pytest.raises(PermissionDenied):
        approve_version(version=draft, acting_user=getattr(world, who))
    draft.refresh_from_db()
    assert draft.approved_at is None


def test_the_body_reads_as_paragraphs_and_lists(draft: ExplainerVersion) -> None:
    draft.body = "What happens: a move.\nIt is arranged.\n\nYou can:\n- choose\n- ask\n\nAsk us."
    assert draft.blocks == [
        ("p", ["What happens: a move. It is arranged."]),
        ("p", ["You can:"]),
        ("ul", ["choose", "ask"]),
        ("p", ["Ask us."]),
    ]
