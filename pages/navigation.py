"""Where each role lands on signing in, and what its menu offers. Pure: a role in, names of
pages out (a role that may not use a page is never offered it)."""

from dataclasses import dataclass

from accounts.models import Role
from cases.access import ROLES_READING_THE_ENGAGEMENT_REPORT

# Navigators and supervisors land on Today (a supervisor sees their team's, with each
# case's navigator named). Officers start from the lookup (they come with a crime
# reference); partners and administrators from the case list.
_HOME = {
    Role.NAVIGATOR: "today",
    Role.SUPERVISOR: "today",
    Role.OFFICER: "case-lookup",
    Role.PARTNER_CASEWORKER: "case-list",
    Role.ADMIN: "case-list",
}


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str


_MENU = (
    (MenuItem("Today", "today"), frozenset({Role.NAVIGATOR, Role.SUPERVISOR})),
    (MenuItem("Find a case", "case-lookup"), frozenset({Role.OFFICER})),
    (MenuItem("Cases", "case-list"), frozenset(Role.values)),
    (
        MenuItem("Alerts", "alert-list"),
        frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN}),
    ),
    (
        MenuItem("Handovers", "handover-inbox"),
        frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER_CASEWORKER}),
    ),
    (MenuItem("Report", "engagement-report"), ROLES_READING_THE_ENGAGEMENT_REPORT),
    (MenuItem("Administration", "admin:index"), frozenset({Role.ADMIN})),
    (MenuItem("Your account", "account"), frozenset(Role.values)),
)


def home_for(role: str) -> str:
    """The name of the page ``role`` lands on."""
    return _HOME.get(role, "account")


def menu_for(role: str) -> list[MenuItem]:
    return [item for item, roles in _MENU if role in roles]
