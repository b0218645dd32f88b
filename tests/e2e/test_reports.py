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
