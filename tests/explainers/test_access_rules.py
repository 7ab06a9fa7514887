"""The access rules for preparing victims, the explainers given and the directory: tables,
no database."""

from types import SimpleNamespace

import pytest

from accounts.models import Role
from cases import access
from cases.access import CaseField


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.NAVIGATOR, True),
        (Role.SUPERVISOR, True),
        (Role.ADMIN, True),
        (Role.OFFICER, False),
        (Role.PARTNER_CASEWORKER, False),
        ("", False),
    ],
)
def test_who_prepares_victims(role: str, may: bool) -> None:
    assert access.may_prepare_victim(role) is may


@pytest.mark.parametrize(
    ("fields", "sees"),
    [
        (access.role_fields(Role.OFFICER), True),
        (access.share_fields(covers=["events"], purpose="support"), True),
        (access.share_fields(covers=["agreement", "language"], purpose="support"), False),
        (frozenset({CaseField.REFERENCE}), False),
    ],
)
def test_who_sees_the_explainer_given(fields: frozenset[str], sees: bool) -> None:
    assert access.sees_explainers_given(fields) is sees


def person(role: str, organisation_id: int | None, **extra: object) -> SimpleNamespace:
    fields: dict[str, object] = {
        "is_authenticated": True,
        "is_active": True,
        "is_service_account": False,
        **extra,
    }
    return SimpleNamespace(role=role, organisation_id=organisation_id, **fields)


FORCE, OTHER = 1, 2


@pytest.mark.parametrize(
    ("who", "organisation_id", "may"),
    [
        (person(Role.OFFICER, FORCE), FORCE, True),
        (person(Role.OFFICER, FORCE), OTHER, False),
        (person(Role.NAVIGATOR, OTHER), OTHER, True),
        (person(Role.PARTNER_CASEWORKER, OTHER), OTHER, True),
        (person(Role.ADMIN, None), FORCE, True),
        (person(Role.PARTNER_CASEWORKER, OTHER, is_service_account=True), OTHER, False),
        (person(Role.OFFICER, FORCE, is_active=False), FORCE, False),
        (person("", FORCE), FORCE, False),
    ],
)
def test_who_keeps_directory_entries(who: SimpleNamespace, organisation_id: int, may: bool) -> None:
    assert access.may_keep_directory_entry(who, organisation_id) is may
