"""The head prepares and publishes last year's report; the funder opens it, reads it (axe
clean) and downloads the PDF and the workbook."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from isa.reports.models import ReportVersion
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import axe_violations, login


def test_the_head_publishes_and_the_funder_reads_and_downloads(
    page: Page, new_page, live_server, cast: Cast, tmp_path
):
    pid = cast.programme.pk
    login(page, live_server, cast.users["head"].email, PASSWORD)
    page.goto(f"{live_server.url}/p/{pid}/reports/")
    form = page.locator('main form:has(input[name="start"])')
    form.locator('input[name="start"]').fill("2025-01-01")
    form.locator('input[name="end"]').fill("2025-12-31")
    form.locator('select[name="language"]').select_option("en")
    form.locator('textarea[name="foreword"]').fill("Une année de petits pas à l'atelier.")
    form.locator('input[name="deadweight_reason"]').fill("Une partie serait arrivée sans nous.")
    form.locator('input[name="attribution_reason"]').fill("Le CMS accompagne aussi.")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(page.locator("main")).to_contain_text("Aperçu interne pour l’équipe")
    with page.expect_navigation():
        page.locator('main form[action$="/publish/"] button').click()
    expect(page.locator("main")).to_contain_text("Version 1")
    version = ReportVersion.objects.published().get(programme=cast.programme)

    funder = new_page()
    login(funder, live_server, cast.users["funder"].email, PASSWORD)
    funder.goto(f"{live_server.url}/p/{pid}/reports/")
    with funder.expect_navigation():
        funder.locator(f'main a[href="/p/{pid}/reports/{version.pk}/"]').click()
    main = funder.locator("main")
    expect(main).to_contain_text("People accompanied")
    expect(main).to_contain_text("< 5")
    expect(main).not_to_contain_text("Aperçu interne")
    assert axe_violations(funder) == []
    with funder.expect_download() as download:
        funder.locator('main a[href$="download.pdf"]').click()
    target = tmp_path / "report.pdf"
    download.value.save_as(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "activity and effects report 2025" in text
    with funder.expect_download() as workbook:
        funder.locator('main a[href$="download.xlsx"]').click()
    assert workbook.value.suggested_filename.endswith("-v1.xlsx")


def test_the_report_charts_are_legible_at_phone_tablet_and_desktop_width(
    new_page, live_server, cast: Cast, screenshot
):
    """A German report read in French: the charts' text stays at least 12 px wide from a
    360 px phone up, nothing is cut or overflows the page; the error summary takes the
    focus on an invalid draft."""
    from datetime import date

    from isa.core.models import Membership, Role
    from isa.presence.models import Medium
    from isa.reports import services
    from tests.reports import fixture

    for code, fr, de, en in (
        ("painting", "Peinture", "Malerei", "Painting"),
        ("drawing", "Dessin", "Zeichnung", "Drawing"),
    ):
        # the shipped media, gone with the flush of a browser test's database
        Medium.objects.get_or_create(
            code=code, organisation=None, defaults={"name_fr": fr, "name_de": de, "name_en": en}
        )
    programme = fixture.build()
    for user, role in (("head", Role.HEAD), ("funder", Role.FUNDER)):
        Membership.objects.create(user=cast.users[user], programme=programme, role=role)
    draft = services.report_draft_save(
        actor=cast.actor("head"),
        programme=programme,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        language="de",
        deadweight_reason="x",
        attribution_reason="y",
    )
    for width in (360, 768, 1280):  # the head's preview: every number, every chart
        page = new_page({"width": width, "height": 900})
        login(page, live_server, cast.users["head"].email, PASSWORD)
        page.goto(f"{live_server.url}/p/{programme.pk}/reports/{draft.pk}/")
        expect(page.locator(".report-body h2").first).to_have_text("Tätigkeit")
        charts = page.locator("svg.report-chart")
        assert charts.count() > 3
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            drawn = chart.evaluate(
                "svg => ({w: svg.getBoundingClientRect().width, vb: svg.viewBox.baseVal.width,"
                " font: parseFloat(svg.getAttribute('font-size'))})"
            )
            assert drawn["font"] * drawn["w"] / drawn["vb"] >= 12, (width, drawn)
        wide = page.evaluate(
            "w => [...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)",
            width,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
        page.locator("#s-activity").scroll_into_view_if_needed()
        screenshot(page, f"report-charts-{width}", full_page=False)
        page.locator("#s-effects").scroll_into_view_if_needed()
        screenshot(page, f"report-effects-{width}", full_page=False)
        page.context.close()

    head = new_page({"width": 360, "height": 800})
    login(head, live_server, cast.users["head"].email, PASSWORD)
    head.goto(f"{live_server.url}/p/{programme.pk}/reports/")
    form = head.locator('main form:has(input[name="start"])')
    form.locator('input[name="start"]').fill("2025-12-31")
    form.locator('input[name="end"]').fill("2025-01-01")
    form.locator('input[name="deadweight"]').fill("0.3")
    with head.expect_navigation():
        form.locator('button[type="submit"]').click()
    summary = head.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    screenshot(head, "report-draft-error-summary-360", full_page=False)
