"""The header leaves room for the work: a menu on a phone, one row of links on a desktop,
in French (the longest labels), with no WCAG 2.1 A/AA violation found by axe-core.

Screenshots at 360, 820 and 1280 px wide are saved under var/screenshots/ for people to
look at.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from isa.presence.models import half_day_code
from tests.conftest import Cast
from tests.e2e.conftest import axe_violations
from tests.e2e.test_register import NAMES, _admit, _last_weekday_before, _session, _sign_in

SMALL_PHONE = {"width": 360, "height": 740}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 800}


def _register_url(cast: Cast, live_server) -> str:
    day = _last_weekday_before(timezone.localdate())
    session = _session(cast, day, "am")
    _admit(cast, NAMES, on=day - timedelta(days=14), half_days=[half_day_code(day, "am")])
    return f"{live_server.url}/p/{cast.programme.pk}/register/{session.pk}/"


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _rows_fully_visible(page: Page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll("#expected > li.register-row")].filter(row => {
            const r = row.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
        }).length"""
    )


def _nav_rows(page: Page) -> int:
    """How many lines the main navigation's links take."""
    return page.evaluate(
        """() => new Set([...document.querySelectorAll(".main-nav li")]
            .map(li => Math.round(li.getBoundingClientRect().top))).size"""
    )


def test_on_a_small_phone_the_header_is_one_line_and_three_people_fit(
    new_page, live_server, cast: Cast, screenshot
):
    url = _register_url(cast, live_server)
    page = new_page(SMALL_PHONE)
    _sign_in(page, live_server, cast.users["head"].email)
    page.goto(url)
    expect(page.locator("#expected > li.register-row")).to_have_count(len(NAMES))
    screenshot(page, "layout-register-360", full_page=False)

    header = _box(page, ".site-header")
    assert header["height"] <= 64, f"the header takes {header['height']}px"
    # The links wait behind a menu button, which says whether it is open.
    toggle = page.locator(".nav-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".main-nav")).to_be_hidden()
    visible = _rows_fully_visible(page)
    assert visible >= 3, f"only {visible} register rows fit on a 360 × 740 screen"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= SMALL_PHONE["width"], f"horizontal scroll: {scroll_width}px"
    assert axe_violations(page) == []

    # Open: every link of the head's navigation, the languages and the account, reachable.
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".main-nav")).to_be_visible()
    expect(page.locator('.main-nav a[aria-current="page"]')).to_be_visible()
    expect(page.locator(".main-nav a")).to_have_count(11)
    page.locator(".account-menu > summary").click()
    expect(page.locator(".lang-switch")).to_be_visible()
    expect(page.locator('.account-menu button[name="language"]')).to_have_count(3)
    assert axe_violations(page) == []
    screenshot(page, "layout-menu-open-360", full_page=False)

    # The keyboard closes it again and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(toggle).to_be_focused()


def test_on_a_desktop_the_french_navigation_is_one_row(
    new_page, live_server, cast: Cast, screenshot
):
    url = _register_url(cast, live_server)
    page = new_page(DESKTOP)
    _sign_in(page, live_server, cast.users["head"].email)
    for path in (f"/p/{cast.programme.pk}/", url):
        page.goto(path if path.startswith("http") else f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "fr"
        expect(page.locator(".nav-toggle")).to_be_hidden()
        expect(page.locator(".main-nav a")).to_have_count(11)
        assert _nav_rows(page) == 1
        header = _box(page, ".site-header")
        assert header["height"] <= 72, f"the header takes {header['height']}px"
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        assert axe_violations(page) == []
    # The account's panel: the languages and signing out, one click away.
    page.locator(".account-menu > summary").click()
    expect(page.locator(".lang-switch")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "layout-register-1280", full_page=False)
    page.keyboard.press("Escape")
    expect(page.locator(".lang-switch")).to_be_hidden()
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/")
    screenshot(page, "layout-programme-1280")


def test_on_a_tablet_the_header_stays_one_line(new_page, live_server, cast: Cast, screenshot):
    url = _register_url(cast, live_server)
    page = new_page(TABLET)
    _sign_in(page, live_server, cast.users["head"].email)
    page.goto(url)
    assert _box(page, ".site-header")["height"] <= 72
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert axe_violations(page) == []
    screenshot(page, "layout-register-820", full_page=False)
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/")
    assert axe_violations(page) == []
    screenshot(page, "layout-programme-820")


def test_the_programme_import_and_results_pages_on_a_phone(
    new_page, live_server, cast: Cast, screenshot
):
    """The pages of this issue, on a small phone: no sideways scroll, no axe violation."""
    from datetime import date

    from isa.evaluation import services as evaluation
    from isa.evaluation.catalogue import choice_for
    from isa.people import services as people
    from tests.conftest import refer

    waiting = refer(cast.programme, cast.users["referrer"], "Bagnoud", "Aline").participant
    people.referral_set_status(
        referral=waiting.referrals.get(), status="waiting", note="", actor=cast.actor("head")
    )
    for on, value in ((date(2024, 3, 10), 1), (date(2024, 9, 10), 4)):
        evaluation.administration_enter_paper(
            participant=cast.participant,
            choice=choice_for(cast.programme, "who5"),
            on=on,
            answers=dict.fromkeys(range(1, 6), value),
            actor=cast.actor("social_worker"),
        )
    page = new_page(SMALL_PHONE)
    _sign_in(page, live_server, cast.users["head"].email)
    pid = cast.programme.pk
    for name, path in (
        ("programme", f"/p/{pid}/"),
        ("import", f"/p/{pid}/people/import/"),
        ("results", f"/p/{pid}/evaluation/results/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        assert axe_violations(page) == [], name
        screenshot(page, f"layout-{name}-360")
    # The statistics unfold and stay free of violations.
    page.locator("details.eval-statistics > summary").first.click()
    assert axe_violations(page) == []
    expect(page.locator("img.eval-chart-img").first).to_be_visible()
    screenshot(page, "layout-results-open-360")
