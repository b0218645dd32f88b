"""The walk of a new team's first week, page by page, with axe-core: no WCAG 2.1 A/AA
violation on any page a head or a facilitator opens (the register at 360 px, the kiosk, the
import and the group results have their own walks in test_layout.py and test_kiosk.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.conftest import Cast
from tests.e2e.conftest import axe_violations
from tests.e2e.test_register import _sign_in

#: (URL name, its arguments from the cast) of the pages of the walk.
PAGES = [
    ("home", lambda c: []),
    ("programme", lambda c: [c.programme.pk]),
    ("participant_list", lambda c: [c.programme.pk]),
    ("participant", lambda c: [c.programme.pk, c.participant.pk]),
    ("journal_list", lambda c: [c.programme.pk]),
    ("journal_entry", lambda c: [c.programme.pk, c.entry.pk]),
    ("work_list", lambda c: [c.programme.pk]),
    ("watch_board", lambda c: [c.programme.pk]),
    ("audit_log", lambda c: [c.programme.pk]),
    ("evaluation_group", lambda c: [c.programme.pk]),
    ("waiting_list", lambda c: [c.programme.pk]),
    ("account", lambda c: []),
]


def test_the_sign_in_page_has_no_violation(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('login')}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_of_the_walk_has_no_violation(new_page, live_server, cast: Cast, viewport):
    page = new_page(viewport)
    _sign_in(page, live_server, cast.users["head"].email)
    found = {}
    for name, args in PAGES:
        response = page.goto(f"{live_server.url}{reverse(name, args=args(cast))}")
        assert response is not None and response.status == 200, name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}
