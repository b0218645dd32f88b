"""The register and the self check-in kiosk, in a real browser.

A facilitator marks a morning on a phone; a tap that cannot reach the server stays pending
and is sent again once the network is back; a tablet at the door becomes a kiosk that shows
first names only and stays locked until a team member's password.

The assertions rely on data, CSS classes, ids and hrefs, never on French or German wording.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from isa.core.actor import Actor
from isa.people import services as people
from isa.people.models import Participant
from isa.presence.models import (
    DEFAULT_TIMES,
    AbsenceReason,
    CheckInSymbol,
    Presence,
    PresenceSource,
    PresenceState,
    Session,
    half_day_code,
)
from isa.presence.views.register import current_part
from tests.conftest import PASSWORD, Cast, refer
from tests.e2e.conftest import PHONE, TABLET, login

PENDING_KEY = "isa-pending-taps"
PRESENT = re.compile(r"\bis-present\b")
ABSENT = re.compile(r"\bis-absent\b")
PENDING = re.compile(r"\bpending\b")
#: (last name, official first names), each unlike any other word on the pages.
NAMES = [
    ("Bagnoud", "Aline"),
    ("Crettenand", "Bastien"),
    ("Dayer", "Chloé Anne"),
    ("Epiney", "Dario"),
    ("Fellay", "Elodie"),
    ("Gaspoz", "Florian"),
]


def _sign_in(page: Page, live_server, email: str) -> None:
    response = login(page, live_server, email, PASSWORD)
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")


def _last_weekday_before(day: date) -> date:
    """The last Monday–Friday strictly before ``day``: pacts only know weekdays, and a past
    session can be marked whatever the time of the test run."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _session(cast: Cast, on: date, part: str) -> Session:
    """The cast's workshop on a given half-day (the cast already holds today's morning)."""
    starts_at, ends_at = DEFAULT_TIMES[part]
    session, _created = Session.objects.get_or_create(
        workshop=cast.session.workshop,
        on=on,
        part=part,
        defaults={"starts_at": starts_at, "ends_at": ends_at},
    )
    return session


def _admit(
    cast: Cast, names: list[tuple[str, str]], *, on: date, half_days: list[str] | None = None
) -> list[Participant]:
    """Refer, admit on ``on`` and (if ``half_days``) agree a pact from that day."""
    head = cast.users["head"]
    admitted = []
    for i, (last_name, first_names) in enumerate(names):
        participant = refer(
            cast.programme,
            cast.users["referrer"],
            last_name,
            first_names,
            birth_date=date(1980, 1, 1) + timedelta(days=97 * i),
        ).participant
        people.participant_admit(participant=participant, on=on, actor=Actor.of(head))
        if half_days is not None:
            people.pact_renegotiate(
                participant=participant, valid_from=on, half_days=half_days, actor=Actor.of(head)
            )
        participant.refresh_from_db()
        admitted.append(participant)
    return admitted


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _since_admission(page: Page, live_server, participant: Participant) -> str:
    """The "since the first admission" figures of the presence panel of a file."""
    page.goto(f"{live_server.url}{participant.get_absolute_url()}")
    panel = page.locator("section[aria-labelledby=presence-file-title]")
    expect(panel).to_be_visible()
    facts = panel.locator("dl.facts > dd")
    expect(facts.nth(1)).to_be_visible()
    return facts.nth(1).inner_text().strip()


def _pending_taps(page: Page) -> list:
    return json.loads(page.evaluate(f"window.localStorage.getItem({PENDING_KEY!r})") or "[]")


# -- 1. a morning on a phone ---------------------------------------------------------------------


def test_facilitator_marks_a_morning_on_a_phone(new_page, live_server, cast, screenshot):
    programme_id = cast.programme.pk
    facilitator = cast.users["facilitator"]
    day = _last_weekday_before(timezone.localdate())
    session = _session(cast, day, "am")
    code = half_day_code(day, "am")
    group = _admit(cast, NAMES, on=day - timedelta(days=14), half_days=[code])
    here, away = group[:5], group[5]

    page = new_page("phone")
    _sign_in(page, live_server, facilitator.email)
    assert page.evaluate("window.innerWidth") == PHONE["width"]

    # The file before: one pact half-day since the admission, not come.
    before = _since_admission(page, live_server, here[0])
    assert _numbers(before)[:2] == [0, 1]

    register_url = f"{live_server.url}/p/{programme_id}/register/{session.pk}/"
    page.goto(register_url)
    expected = page.locator("ul#expected > li.register-row")
    expect(expected).to_have_count(6)
    expect(page.locator("#present-count")).to_have_text("0")
    assert _numbers(page.locator(".register-count").inner_text()) == [0, 0, 6]

    for participant in here:
        row = page.locator(f"li#p{participant.pk}")
        row.locator("button[value=present]").click()
        expect(row).to_have_class(PRESENT)
    row = page.locator(f"li#p{away.pk}")
    row.locator("select[name=reason]").select_option(AbsenceReason.ILL.value)
    row.locator(".absent-form button").click()
    expect(row).to_have_class(ABSENT)
    expect(row.locator("button[value=present]")).to_be_visible()  # still possible: came late

    expect(page.locator("#present-count")).to_have_text("5")
    expect(page.locator(".register-row.is-present")).to_have_count(5)
    expect(page.locator(".register-row.pending")).to_have_count(0)
    expect(page.locator(".pending-banner")).to_be_hidden()
    assert _pending_taps(page) == []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"
    screenshot(page, "register-phone")

    # "n of m expected": register.js only updates #present-count, so read the line from the
    # page drawn again by the server.
    page.reload()
    expect(page.locator("#present-count")).to_have_text("5")
    assert _numbers(page.locator(".register-count").inner_text()) == [5, 5, 6]

    # What the database holds.
    presences = Presence.objects.filter(session=session)
    assert presences.count() == 6
    present = presences.filter(state=PresenceState.PRESENT)
    assert sorted(present.values_list("participant_id", flat=True)) == sorted(p.pk for p in here)
    absence = presences.get(state=PresenceState.ABSENT)
    assert absence.participant_id == away.pk
    assert absence.absence_reason == AbsenceReason.ILL
    assert absence.arrived_at is None
    assert set(presences.values_list("recorded_by", flat=True)) == {facilitator.pk}
    assert set(presences.values_list("source", flat=True)) == {PresenceSource.TEAM}

    # The file after: the rate moved.
    after = _since_admission(page, live_server, here[0])
    assert "%" in after
    assert after != before
    assert _numbers(after)[:3] == [1, 1, 100]


# -- 2. a tap without network --------------------------------------------------------------------


def test_a_tap_without_network_stays_pending_and_is_sent_again(page: Page, live_server, cast):
    day = _last_weekday_before(timezone.localdate())
    session = _session(cast, day, "am")
    (participant,) = _admit(
        cast, NAMES[:1], on=day - timedelta(days=7), half_days=[half_day_code(day, "am")]
    )
    _sign_in(page, live_server, cast.users["facilitator"].email)
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/register/{session.pk}/")
    row = page.locator(f"li#p{participant.pk}")
    banner = page.locator(".pending-banner")
    expect(row).to_be_visible()
    expect(banner).to_be_hidden()

    page.route("**/tap/", lambda route: route.abort())
    row.locator("button[value=present]").click()
    expect(banner).to_be_visible()
    expect(row).to_have_class(PENDING)
    expect(row).not_to_have_class(PRESENT)
    assert len(_pending_taps(page)) == 1
    assert not Presence.objects.filter(session=session, participant=participant).exists()

    # The network is back: the script sends the tap again (every 5 s).
    page.unroute("**/tap/")
    expect(row).to_have_class(PRESENT, timeout=15_000)
    expect(row).not_to_have_class(PENDING)
    expect(banner).to_be_hidden()
    expect(page.locator("#present-count")).to_have_text("1")
    presence = Presence.objects.get(session=session, participant=participant)
    assert presence.state == PresenceState.PRESENT
    assert presence.recorded_by == cast.users["facilitator"]
    assert _pending_taps(page) == []


# -- 3. the kiosk --------------------------------------------------------------------------------


def test_the_kiosk_on_a_tablet(new_page, live_server, cast, screenshot):
    programme_id = cast.programme.pk
    watcher = cast.users["watcher"]
    today = timezone.localdate()
    session = _session(cast, today, current_part())  # the half-day running now
    group = _admit(cast, NAMES[:3], on=today - timedelta(days=30))
    CheckInSymbol.objects.create(participant=group[0], symbol="star-blue")
    CheckInSymbol.objects.create(participant=group[1], symbol="heart-red")
    everyone = [cast.participant, *group]
    kiosk_url = f"{live_server.url}/p/{programme_id}/kiosk/"
    people_url = f"{live_server.url}/p/{programme_id}/people/"

    page = new_page("tablet")
    _sign_in(page, live_server, watcher.email)
    assert page.evaluate("window.innerWidth") == TABLET["width"]
    page.goto(kiosk_url)
    tiles = page.locator("ul.kiosk-grid button[name=participant]")
    expect(tiles).to_have_count(len(everyone))
    expect(page.locator("ul.kiosk-grid svg.symbol")).to_have_count(2)
    expect(page.locator('input[name="session"]')).to_have_value(str(session.pk))
    html = page.content()
    for participant in everyone:
        assert participant.first_name in html
        assert participant.last_name not in html
        assert str(participant.birth_date.year) not in html
    screenshot(page, "kiosk-tablet")

    # A tap: welcome by first name, a presence recorded through the kiosk.
    chosen = group[0]
    with page.expect_navigation():
        page.locator(f"button[name=participant][value='{chosen.pk}']").click()
    expect(page.locator(".kiosk-hello")).to_contain_text(chosen.first_name)
    assert chosen.last_name not in page.content()
    presence = Presence.objects.get(session=session, participant=chosen)
    assert presence.state == PresenceState.PRESENT
    assert presence.source == PresenceSource.KIOSK
    assert presence.recorded_by == watcher
    expect(page.locator(f'.kiosk-back a[href$="?session={session.pk}"]')).to_be_visible()

    # Locked: the team's pages lead back to the kiosk.
    page.goto(people_url)
    expect(page).to_have_url(kiosk_url)
    expect(page.locator("table.people")).to_have_count(0)

    # A wrong password keeps it locked.
    page.goto(f"{kiosk_url}exit/")
    page.locator("input[name=password]").fill("not-the-password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{kiosk_url}exit/")
    expect(page.locator(".message-error")).to_have_count(1)
    page.goto(people_url)
    expect(page).to_have_url(kiosk_url)

    # The right one opens the team's pages again, starting with the register.
    page.goto(f"{kiosk_url}exit/")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/p/{programme_id}/register/(\d+/)?$"))
    page.goto(people_url)
    expect(page).to_have_url(people_url)
    expect(page.locator("table.people")).to_be_visible()
