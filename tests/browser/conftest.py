"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server.

Each test gets a fresh browser context (its own cookies) in UK English and UK time, at a
phone's or a desktop's width. A page that breaks the content security policy (an inline
script or style slipping in) fails the test that loaded it. Screenshots land in
var/screenshots/ (git-ignored), one per page and width, for people to look at.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "correct-horse-battery-staple"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


# Module-scoped, not session: while Playwright runs, its event loop runs in this thread,
# and any other test sharing the worker (one using async_to_sync, say) would fail beside it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("The browser tests need Chromium: sudo apt-get install chromium")
    # Playwright's synchronous API runs an event loop in this thread; the tests' own
    # database calls are still synchronous and safe. Only for as long as it runs: the
    # variable must not reach other tests (the deploy check refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Tab:
    """One browser tab on the live server, with what the browser complained about."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, username: str, password: str = PASSWORD) -> Page:
        self.go("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        return self.page

    @property
    def width(self) -> int:
        return self.page.viewport_size["width"] if self.page.viewport_size else 0

    def no_sideways_scrolling(self) -> None:
        overflow = self.page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= self.width, f"{self.page.url} is {overflow}px wide at {self.width}px"

    def check_accessibility(self, name: str) -> None:
        """axe-core finds no serious or critical problem; the page is saved as a screenshot."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = self.width
        # caret="initial": Playwright otherwise hides the caret with a style it injects,
        # which the page's policy rightly refuses on the next change to the page.
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{name}-{width}.png"),
            full_page=True,
            caret="initial",
            animations="allow",
        )
        results = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        report = "; ".join(
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in serious
        )
        assert not serious, f"{name} at {width}px: {report}"
        self.no_sideways_scrolling()


@pytest.fixture
def open_tab(browser: Browser, live_server: Any) -> Iterator[Callable[..., Tab]]:
    contexts = []
    tabs: list[Tab] = []

    def open_(viewport: dict[str, int] = DESKTOP) -> Tab:
        context = browser.new_context(
            viewport=viewport, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(10_000)
        # axe-core (vendored by axe-playwright-python) is put in every page the browser loads,
        # by the browser itself: no page of ours serves it, and the policy is not loosened.
        context.add_init_script(AXE_SCRIPT)
        contexts.append(context)
        tab = Tab(page=context.new_page(), base=live_server.url)
        tab.page.on(
            "console",
            lambda message: (
                tab.problems.append(message.text)
                if re.search(r"Content Security Policy|Refused to", message.text)
                else None
            ),
        )
        tabs.append(tab)
        return tab

    yield open_
    for context in contexts:
        context.close()
    for tab in tabs:
        assert not tab.problems, f"the browser refused something: {tab.problems}"
