"""The self check-in kiosk as the team opens it from the register of the session running
now: every page of it passes axe-core's WCAG A/AA rules, and it comes back to the grid after
a tap with its script, or with a link when scripts are off.

The assertions rely on data, CSS classes, ids and hrefs, and on the symbols' accessible
names (what the kiosk gives to a screen reader), not on the pages' wording.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from isa.core.actor import Actor
from isa.people import services as people
from isa.presence.models import CheckInSymbol, Presence, PresenceSource
from isa.presence.views.register import current_part
from tests.conftest import Cast, refer
from tests.e2e.conftest import LOCALE, TABLET, axe_violations
from tests.e2e.test_register import _session, _sign_in


def _people(cast: Cast) -> list:
    """Two newcomers; one is called by a usual first name that sorts before the others."""
    admitted = []
    for i, (last, official, usual) in enumerate(
        [("Bagnoud", "Véronique", "Aude"), ("Crettenand", "Bastien", "")]
    ):
        participant = refer(
            cast.programme,
            cast.users["referrer"],
            last,
            official,
            usual_first_name=usual,
            birth_date=date(1980, 1, 1) + timedelta(days=97 * i),
        ).participant
        people.participant_admit(
            participant=participant,
            on=timezone.localdate() - timedelta(days=30),
            actor=Actor.of(cast.users["head"]),
        )
        admitted.append(participant)
    return admitted


def test_the_kiosk_opens_from_the_running_session_and_passes_axe(
    new_page, live_server, cast: Cast, screenshot
):
    programme_id = cast.programme.pk
    session = _session(cast, timezone.localdate(), current_part())  # running now
    aude, bastien = _people(cast)
    CheckInSymbol.objects.create(participant=aude, symbol="star-blue")
    CheckInSymbol.objects.create(participant=bastien, symbol="circle-green")
    kiosk_url = f"{live_server.url}/p/{programme_id}/kiosk/?session={session.pk}"

    page = new_page("tablet")
    _sign_in(page, live_server, cast.users["facilitator"].email)
    page.goto(f"{live_server.url}/p/{programme_id}/register/{session.pk}/")
    screenshot(page, "register-running-session")
    with page.expect_navigation():
        page.locator(f'a[href="/p/{programme_id}/kiosk/?session={session.pk}"]').click()
    expect(page).to_have_url(kiosk_url)

    # In the order of the names shown: Aude (usual name), Bastien, Jean-Marc.
    tiles = page.locator("ul.kiosk-grid button[name=participant]")
    expect(tiles).to_have_count(3)
    assert [tiles.nth(i).get_attribute("value") for i in range(3)] == [
        str(aude.pk),
        str(bastien.pk),
        str(cast.participant.pk),
    ]
    # The symbols' names agree with their shape in French (the browser speaks fr-CH).
    expect(page.locator("svg.symbol[aria-label='étoile bleue']")).to_have_count(1)
    expect(page.locator("svg.symbol[aria-label='cercle vert']")).to_have_count(1)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "kiosk-grid-axe")

    # A tap: the welcome page passes axe too and goes back to the grid by itself.
    with page.expect_navigation():
        tiles.nth(0).click()
    expect(page.locator(".kiosk-hello")).to_contain_text("Aude")
    presence = Presence.objects.get(session=session, participant=aude)
    assert presence.source == PresenceSource.KIOSK
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert axe_violations(page) == []
    expect(page).to_have_url(kiosk_url, timeout=10_000)
    expect(tiles).to_have_count(3)

    # Closing the kiosk: the page waits for the password, whatever the time it takes.
    page.goto(f"{live_server.url}/p/{programme_id}/kiosk/exit/")
    assert page.locator("body[data-kiosk-return]").count() == 0
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert axe_violations(page) == []


def test_without_scripts_the_kiosk_goes_back_to_the_grid_by_its_link(
    browser, live_server, cast: Cast
):
    programme_id = cast.programme.pk
    session = _session(cast, timezone.localdate(), current_part())
    kiosk_url = f"{live_server.url}/p/{programme_id}/kiosk/?session={session.pk}"
    context = browser.new_context(
        viewport=TABLET, locale=LOCALE, timezone_id="Europe/Zurich", java_script_enabled=False
    )
    try:
        page = context.new_page()
        _sign_in(page, live_server, cast.users["watcher"].email)
        page.goto(kiosk_url)
        with page.expect_navigation():
            page.locator(f"button[name=participant][value='{cast.participant.pk}']").click()
        expect(page.locator(".kiosk-hello")).to_contain_text(cast.participant.first_name)
        page.wait_for_timeout(5_000)  # longer than the script would wait: nothing moves
        assert "/kiosk/tap/" in page.url
        with page.expect_navigation():
            page.locator(".kiosk-back a").click()
        expect(page).to_have_url(kiosk_url)
        expect(page.locator("ul.kiosk-grid button[name=participant]")).to_have_count(1)
    finally:
        context.close()
