"""A real browser signs in, opens a programme, switches language and gets locked out.

Translations are still being written: the assertions rely on data (programme names), on
``<html lang>`` and on roles, never on French or German wording.
"""

from __future__ import annotations

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, login


def _lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def test_head_signs_in_opens_programme_and_switches_to_german(page: Page, live_server, cast):
    head = cast.users["head"]
    response = login(page, live_server, head.email, PASSWORD)

    # Home page, in French (the default language and the head's own).
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text(head.get_short_name())
    programme_link = page.get_by_role("link", name="ISA Sion", exact=True)
    expect(programme_link).to_be_visible()
    # Another organisation's programme is not listed.
    expect(page.get_by_text("Atelier Brig")).to_have_count(0)

    programme_link.click()
    programme_url = f"{live_server.url}/p/{cast.programme.pk}/"
    expect(page).to_have_url(programme_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("ISA Sion")

    # The language switch in the header's account panel posts to set_language and comes
    # back here.
    page.locator("header .account-menu > summary").click()
    german = page.locator('header button[name="language"][value="de"]')
    expect(german).to_have_attribute("aria-pressed", "false")
    german.click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(programme_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("ISA Sion")
    expect(page.locator('header button[name="language"][value="de"]')).to_have_attribute(
        "aria-pressed", "true"
    )

    # The choice sticks on the next page.
    page.locator("header a.brand").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_wrong_password_five_times_locks_the_account(page: Page, live_server, cast):
    head = cast.users["head"]
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    for _attempt in range(limit - 1):
        response = login(page, live_server, head.email, "not-the-password")
        assert response is not None and response.status == 200
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        expect(page.locator(".form-errors[role=alert]")).to_be_visible()

    # The last allowed failure locks the account: a 429 page that says so.
    response = login(page, live_server, head.email, "not-the-password")
    assert response is not None and response.status == 429
    assert _lang(page) == "fr"
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator('input[name="password"]')).to_have_count(0)

    # The right password does not help while the lock lasts.
    response = login(page, live_server, head.email, PASSWORD)
    assert response is not None and response.status == 429
    assert _lang(page) == "fr"
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    # The account is locked, not the address: a colleague on the same computer signs in.
    colleague = cast.users["social_worker"]
    response = login(page, live_server, colleague.email, PASSWORD)
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="ISA Sion", exact=True)).to_be_visible()


def test_sign_in_page_fits_a_phone(new_page, live_server):
    page = new_page("phone")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"

    submit = page.locator('main form button[type="submit"]')
    expect(submit).to_be_visible()
    box = submit.bounding_box()
    assert box is not None
    assert box["height"] >= 44, f"sign-in button is {box['height']}px high, below a 44px target"
