"""Report pages: the head prepares, previews, publishes and corrects; the funder reads the
published versions only; downloads are audited exports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from isa.core.models import AuditAction, AuditEvent, Membership, Role
from isa.reports import services
from isa.reports.models import ReportVersion
from isa.reports.published import figures_for, rebuild
from tests.conftest import Cast
from tests.reports import fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _draft(cast: Cast, language: str = "en") -> ReportVersion:
    return services.report_draft_save(
        actor=cast.actor("head"),
        programme=cast.programme,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        language=language,
        foreword="Une année de petits pas.",
        deadweight_reason="Some would have happened anyway.",
        attribution_reason="Others help too.",
    )


def test_the_head_previews_publishes_and_corrects(cast: Cast):
    head = cast.client("head")
    url = reverse("report_draft", args=[cast.programme.pk])
    response = head.post(
        url,
        {
            "start": "2024-01-01",
            "end": "2024-12-31",
            "language": "en",
            "foreword": "A year of small steps.",
            "highlights": "",
            "deadweight": "0.3",
            "deadweight_reason": "Some of it anyway.",
            "attribution": "0.2",
            "attribution_reason": "The CMS helps too.",
        },
        **EN,
    )
    draft = ReportVersion.objects.get(programme=cast.programme)
    assert response.status_code == 302
    page = head.get(reverse("report_version", args=[cast.programme.pk, draft.pk]), **EN)
    assert b"Internal preview for the team" in page.content
    assert b"<svg" in page.content or b"People accompanied" in page.content
    publish = reverse("report_publish", args=[cast.programme.pk, draft.pk])
    assert head.post(publish).status_code == 302
    assert head.post(publish).status_code == 302  # twice: no duplicate
    assert ReportVersion.objects.published().count() == 1
    draft.refresh_from_db()
    assert draft.number == 1 and draft.figures["protected"] is True
    assert draft.data_date is not None and draft.code_version
    correct = reverse("report_correct", args=[cast.programme.pk, draft.pk])
    head.post(correct, {"reason": "A stay was entered late."})
    second = ReportVersion.objects.published().get(number=2)
    assert second.corrects == draft and second.correction_reason == "A stay was entered late."
    listing = head.get(reverse("report_list", args=[cast.programme.pk]), **EN)
    assert b"A stay was entered late." in listing.content


def test_a_bad_period_is_refused_plainly(cast: Cast):
    response = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {
            "start": "2025-01-01",
            "end": "2024-01-01",
            "language": "en",
            "deadweight": "0",
            "attribution": "0",
        },
        **EN,
    )
    assert response.status_code == 400
    assert b"ends before it starts" in response.content
    response = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {
            "start": "2015-01-01",
            "end": "2024-01-01",
            "language": "en",
            "deadweight": "0",
            "attribution": "0",
        },
        **EN,
    )
    assert b"at most 5 years" in response.content


def test_a_funder_sees_published_versions_only(cast: Cast):
    draft = _draft(cast)
    funder = cast.client("funder")
    url = reverse("report_version", args=[cast.programme.pk, draft.pk])
    assert funder.get(url).status_code == 404
    assert (
        funder.get(
            reverse("report_download", args=[cast.programme.pk, draft.pk, "pdf"])
        ).status_code
        == 404
    )
    services.report_publish(actor=cast.actor("head"), version=draft)
    page = funder.get(url, **EN)
    assert page.status_code == 200
    assert b"Internal preview" not in page.content
    assert cast.client("other_head").get(url).status_code == 404
    assert cast.client("researcher").get(url).status_code == 403


def test_downloads_are_audited_exports(cast: Cast):
    version = services.report_publish(actor=cast.actor("head"), version=_draft(cast))
    funder = cast.client("funder")
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    pdf = funder.get(reverse("report_download", args=[cast.programme.pk, version.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 3
    xlsx = funder.get(reverse("report_download", args=[cast.programme.pk, version.pk, "xlsx"]))
    load_workbook(io.BytesIO(xlsx.content))
    csv = funder.get(reverse("report_table_csv", args=[cast.programme.pk, version.pk, "exits"]))
    assert csv.status_code == 200
    assert (
        funder.get(
            reverse("report_table_csv", args=[cast.programme.pk, version.pk, "nope"])
        ).status_code
        == 404
    )
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 3


def test_published_figures_can_be_rebuilt(cast: Cast):
    version = services.report_publish(actor=cast.actor("head"), version=_draft(cast))
    assert rebuild(version) == figures_for(version)


def test_proxies_refuse_a_value_without_source(cast: Cast):
    url = reverse("report_proxies", args=[cast.programme.pk])
    head = cast.client("head")
    assert head.get(url).status_code == 200
    response = head.post(
        url, {"code": "police_hour", "value": "260", "year": "2024", "source": ""}, **EN
    )
    assert response.status_code == 400
    response = head.post(
        url, {"code": "police_hour", "value": "-1", "year": "2024", "source": "x"}, **EN
    )
    assert response.status_code == 400
    response = head.post(
        url, {"code": "police_hour", "value": "260", "year": "2024", "source": "Commune de Sion"}
    )
    assert response.status_code == 302
    assert cast.client("funder").get(url).status_code == 403


def test_cross_programme_report_adds_up_then_protects(cast: Cast, db):
    a, b = fixture.build("Atelier A"), fixture.build("Atelier B")
    funder = cast.users["funder"]
    for programme in (a, b):
        Membership.objects.create(user=funder, programme=programme, role=Role.FUNDER)
        Membership.objects.create(user=cast.users["head"], programme=programme, role=Role.HEAD)
    client = cast.client("funder")
    url = reverse("funded_combined", args=[2025])
    assert client.get(url).status_code == 404  # nothing published yet
    for programme in (a, b):
        draft = services.report_draft_save(
            actor=cast.actor("head"),
            programme=programme,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            language="en",
            deadweight_reason="x",
            attribution_reason="y",
        )
        services.report_publish(actor=cast.actor("head"), version=draft)
    page = client.get(url, **EN)
    assert page.status_code == 200
    text = page.content.decode()
    # 6 + 6 people accompanied in 2025, 2 + 2 the year before: 4 is still hidden
    assert "<td>12</td>" in text
    pdf = client.get(reverse("funded_combined_download", args=[2025, "pdf"]))
    assert pdf.status_code == 200
    assert cast.client("other_head").get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_unknown_format_is_404(cast: Cast, fmt: str):
    version = services.report_publish(actor=cast.actor("head"), version=_draft(cast))
    assert (
        cast.client("head")
        .get(reverse("report_download", args=[cast.programme.pk, version.pk, fmt + "x"]))
        .status_code
        == 404
    )


def test_the_audit_log_says_what_happened_to_a_report(cast: Cast):
    version = services.report_publish(actor=cast.actor("head"), version=_draft(cast))
    cast.client("funder").get(
        reverse("report_download", args=[cast.programme.pk, version.pk, "xlsx"])
    )
    log = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]), **EN)
    text = log.content.decode()
    assert "published a report" in text
    assert "downloaded a report (XLSX)" in text


def test_the_writing_aid_reads_the_foreword(cast: Cast):
    response = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {
            "start": "2024-01-01",
            "end": "2024-12-31",
            "language": "fr",
            "foreword": "Certains participants sont paresseux.",
            "deadweight": "0",
            "attribution": "0",
            "end_extra": "",
            "start_extra": "",
            "language_extra": "",
            "highlights": "",
            "deadweight_reason": "",
            "attribution_reason": "",
        },
    )
    # saved (never blocked); the aid speaks on the draft's page
    assert response.status_code == 302
    draft = cast.client("head").get(response["Location"])
    assert 'class="aid"' in draft.content.decode()
    form = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {
            "start": "2024-12-31",
            "end": "2024-01-01",
            "language": "fr",
            "foreword": "Certains participants sont paresseux.",
            "deadweight": "0",
            "attribution": "0",
        },
    )
    assert form.status_code == 400
    assert "paresseux" in form.content.decode()
    assert 'class="aid"' in form.content.decode()


def test_the_team_finds_the_reports_on_the_programme_page(cast: Cast):
    url = reverse("report_list", args=[cast.programme.pk])
    page = cast.client("head").get(reverse("programme", args=[cast.programme.pk]))
    assert f'href="{url}"' in page.content.decode()
    page = cast.client("referrer").get(reverse("programme", args=[cast.programme.pk]))
    assert f'href="{url}"' not in page.content.decode()
