"""Where each role lands on signing in, and what its menu offers. Pure: a role in, names of
pages out (a role that may not use a page is never offered it)."""

from dataclasses import dataclass

from accounts.models import Role
from cases.access import ROLES_OVERSEEING_TEAMS, ROLES_READING_THE_ENGAGEMENT_REPORT

# Navigators land on Today; supervisors and administrators on the dashboard (the team at a
# glance; administrators find the admin linked from it). Officers start from the lookup
# (they come with a crime reference); partner caseworkers from their organisation's inbox
# of notices.
_HOME = {
    Role.NAVIGATOR: "today",
    Role.SUPERVISOR: "dashboard",
    Role.OFFICER: "case-lookup",
    Role.PARTNER_CASEWORKER: "partner-inbox",
    Role.ADMIN: "dashboard",
}


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str


STAFF = frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.ADMIN})
PARTNERS = frozenset({Role.PARTNER_CASEWORKER})
# Marks an item only a partner administrator (Staff.is_partner_administrator) is offered.
PARTNER_ADMINISTRATORS = frozenset({"partner administrator"})

_MENU = (
    (MenuItem("Dashboard", "dashboard"), ROLES_OVERSEEING_TEAMS),
    (MenuItem("Today", "today"), frozenset({Role.NAVIGATOR, Role.SUPERVISOR})),
    (MenuItem("Find a case", "case-lookup"), frozenset({Role.OFFICER})),
    (MenuItem("Cases", "case-list"), STAFF),
    (MenuItem("Alerts", "alert-list"), STAFF),
    (MenuItem("Report", "engagement-report"), ROLES_READING_THE_ENGAGEMENT_REPORT),
    (MenuItem("Inbox", "partner-inbox"), PARTNERS),
    (MenuItem("Shared cases", "partner-cases"), PARTNERS),
    (
        MenuItem("Handovers", "handover-inbox"),
        frozenset({Role.NAVIGATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER_CASEWORKER}),
    ),
    (MenuItem("API keys", "partner-keys"), PARTNER_ADMINISTRATORS),
    # "Webhook endpoints" (for partner administrators) goes here, after the keys.
    (MenuItem("Administration", "admin:index"), frozenset({Role.ADMIN})),
    (MenuItem("Your account", "account"), frozenset(Role.values)),
)


def home_for(role: str) -> str:
    """The name of the page ``role`` lands on."""
    return _HOME.get(role, "account")


def menu_for(role: str, *, partner_administrator: bool = False) -> list[MenuItem]:
    """The menu for ``role``; a partner administrator (``cases.access``) also gets their
    organisation's keys and webhook endpoints."""
    offered = {role} | (PARTNER_ADMINISTRATORS if partner_administrator else set())
    return [item for item, roles in _MENU if offered & roles]
