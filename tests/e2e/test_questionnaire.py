"""A participant answers the WHO-5 on a tablet: one question per screen, Back once, a
thank-you without a score; then the social worker sees the new result on the file."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from isa.evaluation.models import Administration, AdministrationStatus
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot


def test_a_participant_answers_the_who5_on_the_tablet(new_page, live_server, cast: Cast):
    page: Page = new_page("tablet")
    login(page, live_server, cast.users["social_worker"].email, PASSWORD)
    base = f"{live_server.url}/p/{cast.programme.pk}/people/{cast.participant.pk}"
    page.goto(f"{base}/evaluation/start/")
    who5 = page.locator("li.panel", has=page.locator('input[name="instrument"][value="who5@1998"]'))
    with page.expect_navigation():
        who5.locator('form[method="post"]:not([action]) button[type="submit"]').click()
    # The welcome screen: no navigation of the application.
    expect(page.locator(".main-nav")).to_have_count(0)
    screenshot(page, "questionnaire-tablet-welcome")
    with page.expect_navigation():
        page.locator("a.tablet-next").click()
    expect(page.locator(".tablet-progress")).to_contain_text("1")
    screenshot(page, "questionnaire-tablet-item")
    # 1 → "Most of the time" (4), 2 → 3, then Back to 2 and change it to 5.
    answers = ["4", "3"]
    for value in answers:
        with page.expect_navigation():
            page.locator(f'button.tablet-option[value="{value}"]').click()
    with page.expect_navigation():
        page.locator("a.tablet-back").click()
    expect(page.locator('button.tablet-option[value="3"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    for value in ("5", "2", "4", "3"):
        with page.expect_navigation():
            page.locator(f'button.tablet-option[value="{value}"]').click()
    expect(page.locator(".tablet-title")).to_be_visible()
    assert page.url.endswith("/done/")
    screenshot(page, "questionnaire-tablet-thanks")
    text = page.locator("main").inner_text()
    assert "72" not in text and "18" not in text  # 4+5+2+4+3 = 18 → 72 %
    # The tablet stays locked: the file leads back to the thank-you screen.
    page.goto(f"{base}/")
    assert page.url.endswith("/done/")
    a = Administration.objects.get()
    assert a.status == AdministrationStatus.COMPLETE
    assert a.scores["scores"]["raw"] == 18
    # The social worker takes the tablet back and sees the result on the file.
    with page.expect_navigation():
        page.locator(".tablet-team a").click()
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()
    assert page.url.endswith(f"/people/{cast.participant.pk}/evaluation/")
    page.goto(f"{base}/")
    panel = page.locator("section.eval-panel")
    expect(panel).to_contain_text("72")
    expect(panel).to_contain_text("WHO-5")
