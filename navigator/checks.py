"""Checks ``manage.py check --deploy`` runs beside Django's own."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def site_url_problem(site_url: str) -> str | None:
    """Why ``site_url`` cannot be the address people and partners reach Navigator at."""
    parts = urlsplit(site_url)
    if parts.scheme != "https":
        return f"SITE_URL ({site_url}) is not https"
    if (parts.hostname or "") in LOOPBACK_HOSTS:
        return f"SITE_URL ({site_url}) names this machine"
    return None


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Emails link to SITE_URL, and every webhook names the notice to fetch by it: left at
    the default, a partner's system would be sent to 127.0.0.1."""
    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [
        CheckWarning(
            problem + ".",
            hint=(
                "Set SITE_URL to the https address Navigator is reached at, e.g. "
                "https://navigator.example.org: emails link to it, and each webhook's "
                "data.url (the notice a partner fetches) starts with it."
            ),
            id="navigator.W001",
        )
    ]
