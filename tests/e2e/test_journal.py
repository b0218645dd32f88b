"""A facilitator writes a journal entry with a judgemental word: the aid points it out and
suggests a description, and the entry is saved anyway."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from isa.journal.models import Entry, Visibility
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login


def test_the_aid_suggests_and_saving_is_never_blocked(page: Page, live_server, cast: Cast):
    login(page, live_server, cast.users["facilitator"].email, PASSWORD)
    page.goto(
        f"{live_server.url}/p/{cast.programme.pk}/journal/new/?participant={cast.participant.pk}"
    )
    expect(
        page.locator(f'input[name="participants"][value="{cast.participant.pk}"]')
    ).to_be_checked()
    # A facilitator cannot choose the restricted visibility.
    assert page.locator('select[name="visibility"] option[value="restricted"]').count() == 0
    text = "Jean-Marc est paresseux aujourd'hui, il n'a pas touché à son dessin."
    page.locator("#id_text").fill(text)
    finding = page.locator("#aid mark")
    expect(finding).to_have_text("paresseux", timeout=10_000)
    expect(page.locator("#aid .aid-suggestion").first).not_to_be_empty()
    with page.expect_navigation():
        page.locator('main form[method="post"] button[type="submit"]').click()
    assert page.url.endswith(f"/people/{cast.participant.pk}/")
    entry = Entry.objects.get(text=text)
    assert entry.author == cast.users["facilitator"]
    assert entry.visibility == Visibility.TEAM
    assert list(entry.participants.all()) == [cast.participant]
    # The entry is on the person's timeline.
    expect(page.locator(f'ol.timeline a[href="{entry.get_absolute_url()}"]')).to_be_visible()
