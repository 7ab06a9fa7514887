"""No inline script or style anywhere, and the headers that keep victims' details private."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.template.loaders.app_directories import get_app_template_dirs
from django.test import Client
from django.urls import get_resolver, reverse

from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The project's templates: the shared folder and any app of ours (not installed packages).
OURS = [ROOT / "templates"] + [
    Path(d)
    for d in get_app_template_dirs("templates")
    if Path(d).is_relative_to(ROOT) and ".venv" not in Path(d).parts
]

# <script> with content (not just src=), <style>, style="...", on...="..." handlers and
# javascript: links: anything the content security policy would have to allow inline.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: link": re.compile(r"javascript:", re.IGNORECASE),
    "htmx inline handler": re.compile(r"\shx-on", re.IGNORECASE),
}


def our_templates() -> list[Path]:
    return sorted(
        path for folder in OURS for path in folder.rglob("*") if path.suffix in {".html", ".txt"}
    )


def test_the_scan_finds_the_templates_and_would_catch_each_kind() -> None:
    assert len(our_templates()) > 20
    for sample in (
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color:red">',
        '<a onclick="x()">',
        '<a href="javascript:x()">',
        '<button hx-on:click="x()">',
    ):
        assert any(pattern.search(sample) for pattern in INLINE.values()), sample
    assert not any(p.search('<script src="/static/a.js" defer></script>') for p in INLINE.values())


@pytest.mark.parametrize("template", our_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_carries_inline_script_or_style(template: Path) -> None:
    text = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template}: {', '.join(found)}"


@pytest.mark.parametrize("template", our_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_compiles(template: Path) -> None:
    """A filter or tag lost in a merge breaks its pages only when they are shown: find it
    here instead, for pages no other test renders."""
    folder = next(f for f in OURS if template.is_relative_to(f))
    get_template(str(template.relative_to(folder)))


TITLE = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.DOTALL)
# What names a victim in a template: their name as the views give it, or their record.
NAMING = re.compile(r"{{\s*(name\b|case\.victim|victim\.)")


@pytest.mark.parametrize("template", our_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_title_names_the_victim(template: Path) -> None:
    """A page's title stays in the browser's history, and shows in its tabs and on a shared
    phone's list of recent pages, after signing out: it names the case by its reference."""
    for title in TITLE.findall(template.read_text()):
        assert not NAMING.search(title), f"{template}: {title}"


def test_the_case_pages_title_gives_the_reference_not_the_name(world: World) -> None:
    page = client_for(world.nadia).get(reverse("case-detail", args=[world.case_a.reference]))
    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.DOTALL)
    assert title is not None and world.case_a.reference in title.group(1)
    assert world.case_a.victim.display_name not in title.group(1)


def test_one_stylesheet_and_our_own_scripts() -> None:
    static = ROOT / "pages" / "static"
    assert [p.name for p in static.rglob("*.css")] == ["navigator.css"]
    base = (ROOT / "templates" / "base.html").read_text()
    assert base.count('rel="stylesheet"') == 1
    assert "http" not in re.sub(r"xmlns=\"http[^\"]+\"", "", base)  # no CDN


def test_the_policy_allows_no_inline_script_or_style(world: World) -> None:
    response = client_for(world.nadia).get(reverse("case-list"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_pages_and_the_api_are_never_stored(world: World) -> None:
    client = client_for(world.nadia)
    for url in (
        reverse("today"),
        reverse("case-detail", args=[world.case_a.reference]),
        reverse("checkin-create", args=[world.case_a.reference]),
        "/api/v1/cases/",
        f"/api/v1/cases/{world.case_a.reference}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    # Error answers too (a 404 may still be about a victim), and the sign-in page.
    assert "no-store" in client.get("/cases/nothing-here/")["Cache-Control"]
    assert "no-store" in Client().get(reverse("login"))["Cache-Control"]


def test_static_files_may_be_cached(world: World) -> None:
    response = Client().get(settings.STATIC_URL.rstrip("/") + "/navigator/navigator.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_no_page_address_can_carry_a_victims_details() -> None:
    """Every parameter in a page's address is a pseudonymous reference, a token or an id."""
    # "prefix" is an API key's public prefix, shown to its organisation; "role" is a point
    # of contact's role (police, navigator, NGO caseworker), a code.
    allowed = {"reference", "pk", "uidb64", "token", "prefix", "role"}
    names = set()
    for entry in get_resolver().reverse_dict.lists():
        for possibility, _pattern, _defaults, _converters in entry[1]:
            for _, params in possibility:
                names.update(params)
    assert "reference" in names  # the case pages are there to be checked
    assert names <= allowed | {"format"}, names - allowed
