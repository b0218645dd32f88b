"""The API's interactive documentation (Swagger UI) works in a real browser under the pages'
Content-Security-Policy, with every file from ISA itself (no CDN)."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login


def test_the_api_documentation_loads_from_isa_alone_within_the_csp(
    page: Page, live_server, cast: Cast
):
    own = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    refused: list[str] = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != own
            else None
        ),
    )
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login(page, live_server, cast.users["head"].email, PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ISA API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert not elsewhere, elsewhere
    assert not refused, refused
