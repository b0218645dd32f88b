"""Browser tests: Playwright drives Debian's Chromium against pytest-django's ``live_server``.

Nothing is downloaded: the browser is the system one at ``/usr/bin/chromium``.  Without it
the tests are skipped on a workstation and fail in CI (``CI`` set), so a broken CI image
cannot pass silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOT_DIR = HERE.parents[1] / "var" / "screenshots"

#: Viewports used across the browser tests.
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE, "tablet": TABLET}

LOCALE = "fr-CH"
TIMEOUT_MS = 15_000

#: axe-core, as shipped by the axe-playwright-python package (nothing fetched at run time).
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
#: The WCAG 2.1 A and AA rules of axe-core.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# A plain hook: pytest calls it after pytest-django's ``tryfirst`` sort by database use and
# before ``-m`` deselects (conftest hooks run before built-in plugins' plain hooks).
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e drives a browser: mark it ``e2e`` (deselect with
    ``-m "not e2e"``) and run it last, once the browser's event loop can disturb no other
    test (see ``_allow_async_unsafe``)."""
    browser_tests = [item for item in items if item.path.is_relative_to(HERE)]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
    if browser_tests:
        items[:] = [item for item in items if not item.path.is_relative_to(HERE)] + browser_tests


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db: None) -> None:
    """The live server runs in another thread: test data must be committed to be seen there,
    hence real transactions (flushed after each test) instead of a rolled-back one."""


# -- browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _allow_async_unsafe() -> Iterator[None]:
    """Lift Django's async-safety guard for as long as Playwright runs.

    Playwright's sync API keeps an asyncio event loop running in the main thread (inside a
    greenlet) from its start to the end of the session.  Django sees that loop and refuses
    every ORM call from the test bodies and fixtures (``cast``, the test database's flush and
    teardown) with SynchronousOnlyOperation.  The loop only talks to the browser; our database
    calls stay plain synchronous code, so the guard is safe to lift here.

    The variable is set only from the first browser test on, and the browser tests run last:
    set for the whole session it would leak into other tests' subprocesses, where
    ``check --deploy`` rightly reports it (async.E001).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def playwright(_allow_async_unsafe: None) -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package to run e2e tests"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_context(browser: Browser, base_url: str, viewport: str | dict[str, int]) -> BrowserContext:
    size = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
    is_mobile = viewport in ("phone", "tablet")  # touch, and <meta name="viewport"> honoured
    context = browser.new_context(
        base_url=base_url,
        viewport=size,
        locale=LOCALE,
        timezone_id="Europe/Zurich",
        has_touch=is_mobile,
        is_mobile=is_mobile,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Factory for extra contexts: ``new_context("phone")``, ``new_context("tablet")`` or
    ``new_context({"width": …, "height": …})``.  Every context is closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: str | dict[str, int] = "desktop") -> BrowserContext:
        context = _new_context(browser, live_server.url, viewport)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """Factory for a page in a fresh context: ``new_page("phone")``."""

    def make(viewport: str | dict[str, int] = "desktop") -> Page:
        return new_context(viewport).new_page()

    return make


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A page in a fresh desktop context (1280x800, fr-CH)."""
    return new_page("desktop")


# -- helpers ----------------------------------------------------------------------------------


def login(page: Page, live_server, email: str, password: str) -> Response | None:
    """Fill the sign-in form and submit it; waits for the next page and returns its response
    (after redirects: the home page on success, the form again or the lockout page else)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation() as navigation:
        page.locator('main form button[type="submit"]').click()
    return navigation.value


def axe_violations(page: Page) -> list[dict[str, object]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it stands, each with the
    rule, its impact and the first elements concerned (empty: none)."""
    page.evaluate(AXE_SCRIPT)  # through the DevTools protocol: the page's CSP does not apply
    results = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        WCAG_21_AA,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "where": [n["target"] for n in v["nodes"][:3]],
            "why": v["nodes"][0]["failureSummary"] if v["nodes"] else "",
        }
        for v in results["violations"]
    ]


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page into var/screenshots/ for humans to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[..., Path]:
    return screenshot
