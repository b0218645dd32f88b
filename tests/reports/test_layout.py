"""The report as read: in its own language whatever the reader's, both periods in
chronological order, the previous period beside this one in effects and health (protected
like the rest), numbers in the workbook as the page shows them, charts that fit a phone, the
draft form's error summary."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from isa.core.models import Membership, Role
from isa.evaluation.models import Administration, HealthPeriod
from isa.people.models import Participant
from isa.reports import charts, present, services
from isa.reports.documents import report_pdf, report_xlsx, table_csv
from isa.reports.figures import Period, report_build
from isa.reports.models import ReportVersion
from tests import pdftext
from tests.conftest import Cast
from tests.reports import fixture

BUILT = date(2026, 1, 15)
YEAR = Period.year(2025)
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def with_a_previous_year(programme):
    """The fixture with 2024 figures: P1 answers WHO-5 twice in 2024 (40 → 70, better) and
    P3 too (80 → 60, no reliable change); P1's health over 2024 (CHF 7000).  This year's
    figures do not change (first and latest answers, latest health period)."""
    people = {p.last_name: p for p in Participant.objects.filter(programme=programme)}
    for who, on, value in (("P1", date(2024, 12, 1), 70.0), ("P3", date(2024, 11, 1), 60.0)):
        Administration.objects.create(
            programme=programme,
            participant=people[who],
            instrument_code="who5",
            instrument_version="1998",
            on=on,
            mode="paper",
            status="complete",
            primary_value=value,
        )
    HealthPeriod.objects.create(
        programme=programme,
        participant=people["P1"],
        kind="follow_up",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        costs_chf=7000,
        hospital_days=2,
        emergency_visits=1,
        medications={},
    )
    return programme


@pytest.fixture
def programme(db):
    return with_a_previous_year(fixture.build())


def stat(stats: list[dict], key: str) -> dict:
    return next(s for s in stats if s["key"] == key)


# -- the previous period in effects and health -------------------------------------------------


def test_effects_and_health_figures_for_both_periods(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    assert r["schema"] == 2
    (who5,) = r["effects"]["questionnaires"]
    changes = r["tables"][who5["tables"][0]]
    assert changes["column_labels"] == ["Previous period", "This period"]
    # better, same, worse: 2024 (P1 +30, P3 −20), 2025 (+40, +2, −60)
    assert changes["cells"] == [[1, 1], [1, 1], [0, 1]]
    answers = r["tables"][who5["tables"][1]]
    assert answers["cells"] == [[2, 3], [0, 1], [0, 1]]  # twice, once, declined
    median = stat(who5["stats"], "median_change")
    assert (median["previous"], median["value"]) == (5, 2)
    share = stat(who5["stats"], "share_improved")
    assert share["previous"] == 0.5 and share["value"] == pytest.approx(1 / 3, abs=1e-4)
    # the summary in words is this period's
    assert who5["summary"].startswith("Of 3 people who answered twice")

    health = r["health"]["stats"]
    people = stat(health, "health_people")
    assert (people["previous"], people["value"]) == (1, 2)  # 2024: P1 only
    before, after = stat(health, "costs_before"), stat(health, "costs_after")
    assert (before["previous"], before["value"]) == (10000, 8000)
    assert (after["previous"], after["value"]) == (7000, 4500)
    assert stat(health, "hospital_after")["previous"] == 2


def test_the_previous_period_consent_is_the_one_in_force_on_the_data_date(programme):
    Participant.objects.filter(programme=programme, last_name="P1").get().consents.create(
        kind="health", state="withdrawn", on=date(2026, 1, 10), method="paper"
    )
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    assert stat(r["health"]["stats"], "health_people")["previous"] == 0


def test_small_cells_of_the_previous_period_are_hidden(programme):
    r = report_build(programme, YEAR, "en", protected=True, built_on=BUILT)
    (who5,) = r["effects"]["questionnaires"]
    changes = r["tables"][who5["tables"][0]]
    # 2024: 1, 1, 0 of 2 — the ones and their total hidden, the zero shown
    assert [row[0] for row in changes["cells"]] == [None, None, 0]
    assert changes["column_totals"] == [None, None]
    answers = r["tables"][who5["tables"][1]]
    assert answers["cells"][0] == [None, None]  # the total, repeated: hidden there too
    for key in ("median_change", "share_improved"):
        s = stat(who5["stats"], key)
        assert s["previous"] is None and s["previous_hidden"] is True
        assert s["value"] is None and s["hidden"] is True
    health = r["health"]["stats"]
    for key in ("health_people", "costs_before", "costs_after", "hospital_after"):
        s = stat(health, key)
        assert s["previous"] is None and s["previous_hidden"] is True, key
    layout = {s.key: s for s in present.sections(r)}
    texts = [f.previous.text for f in layout["health"].facts if f.previous]
    assert texts and all(t == "not shown (fewer than 5 people)" for t in texts)
    assert "7000" not in str(r) and "7'000" not in str(r)


def test_a_statistic_of_the_previous_period_on_enough_people_is_shown(programme):
    r = report_build(programme, YEAR, "en", protected=True, built_on=BUILT, k=2)
    (who5,) = r["effects"]["questionnaires"]
    median = stat(who5["stats"], "median_change")
    assert median["previous"] == 5 and median["previous_hidden"] is False
    share = stat(who5["stats"], "share_improved")
    assert share["previous"] is None and share["previous_hidden"] is True  # 1 of 2: hidden


def test_layout_puts_the_previous_period_beside_this_one(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    layout = {s.key: s for s in present.sections(r)}
    (who5,) = layout["effects"].subsections
    assert who5.has_previous
    share = next(f for f in who5.facts if f.label.startswith("Share of them"))
    assert (share.previous.text, share.current.text) == ("50\u00a0%", "33\u00a0%")
    assert who5.tables[0].header == ["", "Previous period", "This period"]
    costs = next(f for f in layout["health"].facts if "12 months before" in f.label)
    assert (costs.previous.text, costs.current.text) == ("10'000 CHF", "8'000 CHF")
    # a version published before (schema 1) keeps its single column
    r["schema"] = 1
    old = {s.key: s for s in present.sections(r)}
    assert not old["health"].has_previous
    assert old["activity"].has_previous


# -- one order of the periods ------------------------------------------------------------------


def test_every_table_with_both_periods_reads_previous_then_this(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    for key, table in r["tables"].items():
        if "This period" in table["column_labels"]:
            assert table["column_labels"] == ["Previous period", "This period"], key
    # XLSX: the facts' header
    book = load_workbook(io.BytesIO(report_xlsx(r, number=None)))
    headers = [
        [c.value for c in row if c.value is not None]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        if row[0].value == "Figure"
    ]
    assert ["Figure", "Previous period", "This period"] in headers
    assert all(
        h in (["Figure", "Previous period", "This period"], ["Figure", "This period"])
        for h in headers
    )
    # PDF: on the facts' header line, the previous period stands left of this one
    content = report_pdf(r, number=None)
    found = []
    for page in range(len(PdfReader(io.BytesIO(content)).pages)):
        for line in pdftext.lines(pdftext.runs(content, page)).values():
            texts = [run.text.strip() for run in line]
            if "Figure" in texts and "This period" in texts:
                found.append(texts)
    assert found
    for texts in found:
        if "Previous period" in texts:
            assert texts.index("Previous period") < texts.index("This period")
    assert any("Previous period" in t for t in found)
    # CSV
    assert table_csv(r, "people").decode("utf-8-sig").splitlines()[0] == (
        ";Previous period;This period"
    )


# -- the report's language ---------------------------------------------------------------------


def _published_in_german(cast: Cast, programme) -> ReportVersion:
    for user, role in (("head", Role.HEAD), ("funder", Role.FUNDER)):
        Membership.objects.create(user=cast.users[user], programme=programme, role=role)
    draft = services.report_draft_save(
        actor=cast.actor("head"),
        programme=programme,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        language="de",
        foreword="Ein Jahr der kleinen Schritte.",
        deadweight_reason="x",
        attribution_reason="y",
    )
    return services.report_publish(actor=cast.actor("head"), version=draft)


def test_a_german_report_read_by_a_french_speaker_is_german_in_every_format(cast: Cast, programme):
    version = _published_in_german(cast, programme)
    funder = cast.client("funder")
    args = [programme.pk, version.pk]
    page = funder.get(reverse("report_version", args=args), **FR).content.decode()
    # the page's chrome in the reader's language
    assert '<html lang="fr">' in page
    assert "Mes mesures" in page and "Télécharger :" in page
    # the report's body in its own, marked as such
    assert '<div class="report-body" lang="de">' in page
    assert '<h1 lang="de">Atelier fixture · Tätigkeits- und Wirkungsbericht 2025</h1>' in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Tätigkeits" not in title  # the window's title, in the reader's language
    body = page[page.index('<div class="report-body"') :]
    for german in (
        '<h2 id="s-activity">Tätigkeit</h2>',
        '<h2 id="s-effects">Wirkungen für die Personen</h2>',
        '<h2 id="s-health">Gesundheit</h2>',
        "Anhang: die Statistik",
        '<th scope="col">Kennzahl</th><th scope="col">Vorheriger Zeitraum</th>'
        '<th scope="col">Dieser Zeitraum</th>',
        "Begleitete Personen",
        "Austritte nach Grund",
        "ein Balken pro Zeile der Tabelle",
        "Vorwort",
    ):
        assert german in body, german
    for french in ("Activité", "Santé", "Annexe", "Cette période", "Période précédente"):
        assert french not in body, french
    # the link beside each table is the page's: in French
    assert '<p class="muted" lang="fr"><a href="' in body

    pdf = funder.get(reverse("report_download", args=[*args, "pdf"]), **FR)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    for german in (
        "Tätigkeit",
        "Gesundheit",
        "Anhang: die Statistik",
        "Kennzahl",
        "Dieser Zeitraum",
    ):
        assert german in text, german
    assert "Activité" not in text and "Cette période" not in text

    xlsx = funder.get(reverse("report_download", args=[*args, "xlsx"]), **FR)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Zum Lesen"
    assert {"Tätigkeit", "Gesundheit"} <= set(book.sheetnames)
    values = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert "Vorheriger Zeitraum" in values and "Période précédente" not in values

    csv = funder.get(reverse("report_table_csv", args=[*args, "exits"]), **FR)
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ";Vorheriger Zeitraum;Dieser Zeitraum"


# -- numbers in the workbook -------------------------------------------------------------------


def test_xlsx_numbers_are_rounded_as_shown_and_stay_numbers(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    book = load_workbook(io.BytesIO(report_xlsx(r, number=None)))
    rows = {
        row[0].value: row for sheet in book.worksheets for row in sheet.iter_rows() if row[0].value
    }
    median = rows["Time accompanied, median"]  # 390.5 / 30.4375 = 12.8296… months
    assert median[2].value == 12.8 and "0.0" in median[2].number_format
    assert "months" in median[2].number_format
    rate = rows["Presence rate against the pact, median of the persons"]  # 2 / 3
    assert rate[2].value == 0.67 and rate[2].number_format == "0%"
    change = rows["Change of the health costs"]  # −43.75 %
    assert change[2].value == -0.44 and "%" in change[2].number_format
    people = rows["People accompanied"]
    assert people[1].value == 2 and people[2].value == 6
    for row in rows.values():
        for cell in row[1:]:
            if isinstance(cell.value, float):
                assert round(cell.value, 2) == cell.value, (row[0].value, cell.value)


# -- charts ------------------------------------------------------------------------------------


def test_a_chart_wraps_its_labels_and_scales_from_its_viewbox():
    label = "Personnes adressées par le centre médico-social régional de Sion et environs"
    view = present.TableView(
        "t",
        "Un titre",
        "",
        ["", "Cette période"],
        [],
        bars=[(label, 3), ("Court", 7)],
        bars_label="Cette période",
    )
    svg = str(charts.bars_svg(view))
    assert re.search(r'viewBox="0 0 300 [\d.]+"', svg) and 'width="300"' in svg
    assert '<title id="chart-t-title">Un titre</title>' in svg
    assert "<desc" in svg and "Cette période" in svg and "Court: 7" in svg
    lines = re.findall(r'<text x="0" y="[\d.]+">([^<]*)</text>', svg)
    words = " ".join(lines[:-1]).replace("- ", "-")
    assert words == label  # every word, on several lines (a hyphen may end one)
    assert len(lines) > 2
    assert all(len(line) * charts.CHAR <= charts.WIDTH for line in lines)
    # at most 300 units drawn at 277 px or more (a 360 px phone): text of 12 px at least
    assert charts.FONT * 277 / charts.WIDTH >= 12


# -- the draft form ----------------------------------------------------------------------------


def test_an_invalid_draft_shows_an_error_summary_with_links_and_saves_nothing(cast: Cast):
    response = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {"start": "2025-01-01", "end": "", "language": "xx", "deadweight": "2", "attribution": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400  # bad input: a 4xx, with the form to correct
    page = response.content.decode()
    summary = page[
        page.index("data-error-summary") : page.index("</div>", page.index("data-error-summary"))
    ]
    assert "Please check the fields marked below." in summary
    for field in ("end", "language", "deadweight"):
        assert f'href="#id_{field}"' in summary, field
    assert (
        'tabindex="-1"'
        in page[page.index("error-summary") - 200 : page.index("data-error-summary")]
    )
    assert page.index("data-error-summary") < page.index('name="start"')
    assert not ReportVersion.objects.exists()
    # the service's refusal of the period, too, links to the field it concerns
    response = cast.client("head").post(
        reverse("report_draft", args=[cast.programme.pk]),
        {
            "start": "2025-12-31",
            "end": "2025-01-01",
            "language": "en",
            "deadweight": "0",
            "attribution": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_end">Until: The period ends before it starts' in page
    assert not ReportVersion.objects.exists()
