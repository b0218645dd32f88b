"""The head goes back to the national value of a proxy in a real browser: the confirmation
opens, the value goes, and the page (with its message) meets WCAG AA."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page

from isa.reports import services
from isa.reports.models import ProxyOverride
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import axe_violations, login


def test_the_head_removes_an_own_value_with_a_confirmation(page: Page, live_server, cast: Cast):
    services.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
    )
    login(page, live_server, cast.users["head"].email, PASSWORD)
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/reports/proxies/")
    button = page.locator("details.proxy-remove button")
    assert not button.is_visible()  # behind the confirmation
    page.locator("details.proxy-remove summary").click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        button.click()
    assert not ProxyOverride.objects.filter(organisation=cast.organisation).exists()
    assert page.locator("details.proxy-remove").count() == 0
    assert page.locator('[role="status"] .message').count() == 1
    assert axe_violations(page) == []  # the message list is a list for assistive technology
