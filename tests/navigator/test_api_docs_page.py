"""The docs page works in a real browser under a strict Content Security Policy (no inline
script or style, nothing from elsewhere), and lets a partner try the API with its key."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, Route, sync_playwright

from tests.partners.helpers import issue
from tests.personas import World

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread, where Django refuses database
    # work: so the browser starts after the data is made, and closes before it is cleaned.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


def with_strict_csp(route: Route) -> None:
    """Serve every page as a site with the strictest policy would (the site's own policy
    is set elsewhere): the docs page must not need anything it forbids."""
    response = route.fetch()
    headers = {**response.headers}
    if headers.get("content-type", "").startswith("text/html"):
        headers["content-security-policy"] = STRICT_CSP
    route.fulfill(response=response, headers=headers)


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_every_endpoint_under_a_strict_csp(
    live_server: Any, world: World
) -> None:
    key = issue(world.haven).key
    with chromium() as browser:
        try_the_docs_page(browser, live_server.url, key)


def try_the_docs_page(browser: Browser, site: str, key: str) -> None:
    page = browser.new_page()
    violations: list[str] = []
    errors: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(site) else None,
    )
    page.route("**/*", with_strict_csp)
    page.goto(f"{site}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/notices/", "/api/v1/cases/{reference}/", "/api/v1/keys/"} <= {
        p.replace("\u200b", "") for p in paths
    }
    assert page.get_by_text("Get a key").first.is_visible()
    assert violations == [] and errors == [] and outside == []

    # Authorise with the key, and try the feed from the page.
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").first.fill(f"Api-Key {key}")
    page.locator(".auth-btn-wrapper .authorize").first.click()
    page.locator(".btn-done").first.click()
    feed = page.locator("#operations-notices-notices_list")
    feed.locator(".opblock-summary").click()
    feed.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: "/api/v1/notices/" in r.url) as answer:
        feed.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert violations == [] and errors == []
