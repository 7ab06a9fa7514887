"""Where each role lands on signing in, and what its menu offers. Pure: a role in, names of
pages out (a role that may not use a page is never offered it)."""

from dataclasses import dataclass

from accounts.models import Role
from cases.access import ROLES_OVERSEEING_TEAMS, ROLES_READING_THE_ENGAGEMENT_REPORT

# Navigators land on Today; supervisors and administrators on the dashboard (the team at a
# glance; administrators find the admin linked from it). Officers start from the lookup
# (they come with a crime reference); partners from the case list.
_HOME = {
    Role.NAVIGATOR: "today",
    Role.SUPERVISOR: "dashboard",
    Role.OFFICER: "case-lookup",
    Role.PARTNER_CASEWORKER: "case-list",
    Role.ADMIN: "dashboard",
}


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str


_MENU = (
    (MenuItem("Dashboard", "dashboard"), ROLES_OVERSEEING_TEAMS),
    (MenuItem("Today", "today"), frozenset({Role.NAVIGATOR, Role.SUPERVISOR})),
    (MenuItem("Find a case", "case-lookup"), frozenset({Role.OFFICER})),
    (MenuItem("Cases", "case-list"), frozenset(Role.values)),
    (
        MenuItem("Alerts", "alert-list"),
        frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN}),
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
