"""A person's journey through the people pages, in a real browser.

A social worker records a referral, admits the person and agrees a pact; a duplicate is
caught before a second file is made; the head reads a file and the waiting list on a phone;
a referrer sees where their referral stands but never the file.

Translations are still being written: the assertions rely on data, CSS classes, hrefs,
``<html lang>`` and roles, never on French or German wording.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from isa.people import services as people
from isa.people.models import Participant, Status, Stay
from tests.conftest import PASSWORD, refer
from tests.e2e.conftest import PHONE, TABLET, login

SUBMIT = 'main form[method="post"] button[type="submit"]'
FILE_URL = re.compile(r"/p/(\d+)/people/(\d+)/$")


def _sign_in(page: Page, live_server, email: str) -> None:
    response = login(page, live_server, email, PASSWORD)
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def _submit(page: Page, selector: str = SUBMIT) -> int:
    """Click a submit button, wait for the next page and return its status code."""
    with page.expect_navigation() as navigation:
        page.locator(selector).click()
    response = navigation.value
    assert response is not None
    return response.status


def _fill_referral(
    page: Page, *, last_name: str, first_names: str, birth_date: str, referred_on: str
) -> None:
    page.locator('input[name="id-last_name"]').fill(last_name)
    page.locator('input[name="id-official_first_names"]').fill(first_names)
    page.locator('input[name="id-birth_date"]').fill(birth_date)
    page.locator('input[name="ref-referred_on"]').fill(referred_on)
    page.locator('input[name="ref-referring_service"]').fill("Service social de Conthey")


def _no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, document.title]"
    )
    scroll_width, inner_width, title = widths
    assert scroll_width <= inner_width, (
        f"horizontal scroll on {title!r}: {scroll_width}px wide for a {inner_width}px viewport"
    )


# -- 1. referral, admission, pact ---------------------------------------------------------------


def test_social_worker_refers_admits_and_agrees_a_pact(page: Page, live_server, cast):
    programme_id = cast.programme.pk
    today = timezone.localdate()
    referred_on = today - timedelta(days=3)
    _sign_in(page, live_server, cast.users["social_worker"].email)

    # The participant list, and its button to record a referral.
    page.goto(f"{live_server.url}/p/{programme_id}/people/")
    expect(page.locator("table.people")).to_be_visible()
    expect(page.locator(f'a[href="{cast.participant.get_absolute_url()}"]')).to_be_visible()
    with page.expect_navigation():
        page.locator(f'main a[href="/p/{programme_id}/referrals/new/"]').first.click()
    expect(page).to_have_url(f"{live_server.url}/p/{programme_id}/referrals/new/")
    expect(page.locator('input[name="id-birth_date"]')).to_have_attribute("type", "date")

    # The referral: identity, date, service.
    _fill_referral(
        page,
        last_name="Délèze",
        first_names="Lucie Amélie",
        birth_date="1988-11-02",
        referred_on=referred_on.isoformat(),
    )
    assert _submit(page) == 200
    expect(page).to_have_url(FILE_URL)
    match = FILE_URL.search(page.url)
    assert match is not None and int(match.group(1)) == programme_id
    participant = Participant.objects.get(pk=int(match.group(2)))
    assert (participant.last_name, participant.official_first_names) == ("Délèze", "Lucie Amélie")
    assert participant.birth_date == date(1988, 11, 2)
    assert participant.status == Status.WAITING
    referral = participant.referrals.get()
    assert referral.referred_on == referred_on
    assert referral.referring_service == "Service social de Conthey"
    assert referral.referred_by == cast.users["social_worker"]

    file_url = participant.get_absolute_url()
    badge = page.locator(".page-head .status")
    expect(badge).to_have_class(re.compile(r"\bstatus-waiting\b"))
    expect(page.locator(".page-head h1")).to_contain_text("Délèze")
    expect(page.locator("ul.messages .message-success")).to_have_count(1)

    # Admission, today.
    with page.expect_navigation():
        page.locator(f'.page-head a[href="{file_url}admit/"]').click()
    expect(page).to_have_url(f"{live_server.url}{file_url}admit/")
    expect(page.locator('input[name="on"]')).to_have_attribute("type", "date")
    page.locator('input[name="on"]').fill(today.isoformat())
    assert _submit(page) == 200
    expect(page).to_have_url(f"{live_server.url}{file_url}")
    expect(badge).to_have_class(re.compile(r"\bstatus-active\b"))
    expect(page.locator(f'.page-head a[href="{file_url}admit/"]')).to_have_count(0)
    expect(page.locator(f'.page-head a[href="{file_url}pause/"]')).to_be_visible()

    # The pact: Monday morning and Wednesday afternoon.
    with page.expect_navigation():
        page.locator(f'main a[href="{file_url}pact/"]').click()
    expect(page).to_have_url(f"{live_server.url}{file_url}pact/")
    expect(page.locator('input[name="half_days"]')).to_have_count(10)
    page.locator('input[name="half_days"][value="mon_am"]').check()
    page.locator('input[name="half_days"][value="wed_pm"]').check()
    assert _submit(page) == 200
    expect(page).to_have_url(f"{live_server.url}{file_url}")

    expect(page.locator(".pact-days .tag")).to_have_count(2)
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.timeline-pact")).to_have_count(1)
    expect(timeline.locator("li.timeline-stay")).to_have_count(1)
    expect(timeline.locator("li.timeline-referral")).to_have_count(1)
    expect(timeline.locator("li.timeline-stay time")).to_have_attribute(
        "datetime", today.isoformat()
    )

    # What the database holds.
    participant.refresh_from_db()
    assert participant.status == Status.ACTIVE
    assert participant.accompanied_since == today
    stays = list(Stay.objects.filter(participant=participant))
    assert len(stays) == 1
    assert stays[0].admitted_on == today and stays[0].exited_on is None
    assert stays[0].admitted_by == cast.users["social_worker"]
    pact = people.pact_current(participant)
    assert pact is not None
    assert pact.half_days == ["mon_am", "wed_pm"]
    assert pact.valid_from == today


# -- 2. duplicates ------------------------------------------------------------------------------


def test_duplicate_referral_is_flagged_before_a_second_file(page: Page, live_server, cast):
    programme_id = cast.programme.pk
    existing = cast.participant
    before = Participant.objects.count()
    _sign_in(page, live_server, cast.users["social_worker"].email)

    page.goto(f"{live_server.url}/p/{programme_id}/referrals/new/")
    expect(page.locator("main [role=alert]")).to_have_count(0)
    _fill_referral(
        page,
        last_name="Zufferey",
        first_names="Jean-Marc",
        birth_date="1975-05-17",
        referred_on=timezone.localdate().isoformat(),
    )
    assert _submit(page) == 400
    expect(page).to_have_url(f"{live_server.url}/p/{programme_id}/referrals/new/")

    # A warning with a link to the existing file; nothing recorded.
    warning = page.locator("main [role=alert]").filter(
        has=page.locator(f'a[href="{existing.get_absolute_url()}"]')
    )
    expect(warning).to_have_count(1)
    expect(warning).to_be_visible()
    assert Participant.objects.count() == before

    # What was typed is kept; the box is there and not ticked.
    expect(page.locator('input[name="id-last_name"]')).to_have_value("Zufferey")
    expect(page.locator('input[name="id-birth_date"]')).to_have_value("1975-05-17")
    not_a_duplicate = page.locator('input[name="ref-not_a_duplicate"]')
    expect(not_a_duplicate).not_to_be_checked()

    # Submitting again without ticking the box still records nothing.
    assert _submit(page) == 400
    expect(warning).to_have_count(1)
    assert Participant.objects.count() == before

    # Another person with the same name and birth date: tick the box, a second file is made.
    page.locator('input[name="ref-not_a_duplicate"]').check()
    assert _submit(page) == 200
    expect(page).to_have_url(FILE_URL)
    assert Participant.objects.count() == before + 1
    match = FILE_URL.search(page.url)
    assert match is not None
    twin = Participant.objects.get(pk=int(match.group(2)))
    assert twin.pk != existing.pk
    assert (twin.last_name, twin.official_first_names, twin.birth_date) == (
        "Zufferey",
        "Jean-Marc",
        date(1975, 5, 17),
    )


# -- 3. phone and tablet ------------------------------------------------------------------------


def test_head_reads_a_file_and_the_waiting_list_on_a_phone(new_page, live_server, cast, screenshot):
    programme_id = cast.programme.pk
    # Something to see: a pact on the file, and two people waiting, one with a long context.
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am", "tue_pm", "thu_am"],
        note="Vient le lundi matin pour le café, parfois le jeudi pour l'atelier bois.",
        actor=cast.actor("head"),
    )
    people.referral_create(
        programme=cast.programme,
        identity={
            "last_name": "Bonvin-Constantin de la Tour-Rossier",
            "official_first_names": "Marie-Thérèse Emmanuelle",
            "birth_date": date(1969, 1, 30),
        },
        referral={
            "referred_on": date(2024, 2, 1),
            "referring_service": "Centre médico-social régional de Sion, Hérens et Conthey",
            "referring_person": "Anne-Catherine Fournier-Gillioz",
            "context": (
                "Isolée depuis le décès de son mari, elle souhaite retrouver un rythme et des "
                "contacts. Parle français et portugais. Disponible surtout l'après-midi."
            ),
        },
        actor=cast.actor("referrer"),
    )
    refer(
        cast.programme,
        cast.users["referrer"],
        "Rey",
        "Paulo",
        birth_date=date(1990, 7, 8),
        referred_on=date(2024, 5, 6),
    )

    page = new_page("phone")
    _sign_in(page, live_server, cast.users["head"].email)
    assert page.evaluate("window.innerWidth") == PHONE["width"]

    page.goto(f"{live_server.url}{cast.participant.get_absolute_url()}")
    expect(page.locator(".page-head .status")).to_have_class(re.compile(r"\bstatus-active\b"))
    expect(page.locator(".pact-days .tag")).to_have_count(3)
    expect(page.locator("ol.timeline li.timeline-stay")).to_have_count(1)
    _no_horizontal_scroll(page)
    screenshot(page, "participant-file-phone")

    page.goto(f"{live_server.url}/p/{programme_id}/waiting/")
    expect(page.locator("ol.waiting li.waiting-item")).to_have_count(2)
    expect(page.locator("ol.waiting li.waiting-item h3 a").first).to_contain_text("Bonvin")
    expect(page.locator("meter")).to_have_attribute("value", "1")
    _no_horizontal_scroll(page)
    screenshot(page, "waiting-list-phone")

    tablet = new_page("tablet")
    _sign_in(tablet, live_server, cast.users["head"].email)
    assert tablet.evaluate("window.innerWidth") == TABLET["width"]
    tablet.goto(f"{live_server.url}/p/{programme_id}/people/?status=")
    expect(tablet.locator("table.people tbody tr")).to_have_count(3)
    screenshot(tablet, "participant-list-tablet")


# -- 4. a referrer's view -----------------------------------------------------------------------


def test_referrer_sees_the_status_of_a_referral_but_not_the_file(page: Page, live_server, cast):
    programme_id = cast.programme.pk
    cast.referral.refresh_from_db()
    _sign_in(page, live_server, cast.users["referrer"].email)

    page.goto(f"{live_server.url}/p/{programme_id}/referrals/")
    row = page.locator("main table tbody tr").filter(has_text="Zufferey")
    expect(row).to_have_count(1)
    expect(row.locator(f".status.status-referral-{cast.referral.status}")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    # Nothing on the page leads to a participant's file.
    expect(page.locator("a[href*='/people/']")).to_have_count(0)

    # Nor does typing its address.
    response = page.goto(f"{live_server.url}{cast.participant.get_absolute_url()}")
    assert response is not None and response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator('main a.button[href="/"]')).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Zufferey")
    expect(page.locator("main")).not_to_contain_text("1975")
