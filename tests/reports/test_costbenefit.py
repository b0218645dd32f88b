"""The cost–benefit proxies in words, in the reader's language; an organisation's own value
removed again; the combined report valuing each programme with its own assumptions."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from isa.core.models import AuditAction, AuditEvent, Membership, Role
from isa.reports import services
from isa.reports.costbenefit import PROXY_WORDS, Assumption, default_proxies, proxy_line
from isa.reports.documents import report_pdf, report_xlsx, table_csv
from isa.reports.figures import Period, report_build
from isa.reports.models import ProxyOverride, ReportVersion
from isa.reports.present import assumptions_view
from isa.reports.published import assumptions_for
from tests.conftest import Cast
from tests.reports import fixture

BUILT = date(2026, 1, 15)
YEAR = Period.year(2025)
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _visible_text(page: str) -> str:
    """The page's text as a reader sees it (no tags, no attribute values)."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _publish(cast: Cast, programme, language: str = "fr", **adjustments) -> ReportVersion:
    draft = services.report_draft_save(
        actor=cast.actor("head"),
        programme=programme,
        start=YEAR.start,
        end=YEAR.end,
        language=language,
        deadweight_reason="Une partie serait arrivée sans l'atelier.",
        attribution_reason="Le CMS aide aussi.",
        **adjustments,
    )
    return services.report_publish(actor=cast.actor("head"), version=draft)


# -- 1. proxies in words -----------------------------------------------------------------------


def test_every_shipped_proxy_has_words_in_three_languages():
    for code in default_proxies():
        words = PROXY_WORDS[code]
        for text in (words.label, words.per, words.source):
            seen = set()
            for language in ("fr", "de", "en"):
                with translation.override(language):
                    seen.add(str(text))
            assert len(seen) == 3, f"{code}: {text} is not translated"


def test_a_proxy_in_french_words_and_swiss_francs():
    with translation.override("fr"):
        day = proxy_line(default_proxies()["psychiatric_clinic_day"])
        share = proxy_line(default_proxies()["cantonal_share_inpatient"])
    assert day.label == "Une journée en clinique psychiatrique"
    assert day.amount == "CHF 710.00"
    assert day.per == "par jour"
    assert day.source.startswith("Office fédéral de la statistique")
    assert share.amount == "55\u00a0%"


def test_the_proxies_page_speaks_french_and_shows_no_code(cast: Cast):
    url = reverse("report_proxies", args=[cast.programme.pk])
    page = cast.client("head").get(url, **FR)
    assert page.status_code == 200
    text = _visible_text(page.content.decode())
    assert "Une journée en clinique psychiatrique" in text
    assert "CHF 24'032.00" in text
    assert "Office fédéral de la santé publique" in text
    for code in default_proxies():
        assert code not in text, f"the code {code} is shown"
    assert "CHF per day" not in text and "FSO (OFS/BFS)" not in text
    # the form's list too: words, the code only as the option's value
    assert '<option value="police_hour">Une heure de travail de police</option>' in (
        page.content.decode()
    )


@pytest.fixture
def figures_fr(db):
    return report_build(fixture.build(), YEAR, "fr", protected=True, built_on=BUILT)


def test_the_workbook_names_the_proxies_in_the_reports_language(figures_fr):
    book = load_workbook(io.BytesIO(report_xlsx(figures_fr, number=1)))
    sheet = book["Proxies"] if "Proxies" in book.sheetnames else book["Valeurs de référence"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Valeur de référence", "Valeur", "Unité", "Année", "Source"]
    labels = [r[0] for r in rows[1:]]
    assert "Une journée en clinique psychiatrique" in labels
    assert not set(labels) & set(default_proxies())
    day = next(r for r in rows if r[0] == "Une journée en clinique psychiatrique")
    assert day[1] == 710 and day[2] == "CHF par jour" and day[3] == 2022
    assert day[4].startswith("Office fédéral de la statistique")


def test_the_pdf_and_csv_list_the_proxies_in_words(figures_fr):
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(report_pdf(figures_fr, number=1))).pages
    )
    assert "Valeurs de référence utilisées" in text
    assert "Une journée en clinique psychiatrique" in text and "CHF 710.00" in text
    assert "psychiatric_clinic_day" not in text
    csv = table_csv(figures_fr, "proxies").decode("utf-8-sig")
    assert csv.splitlines()[0] == "Valeur de référence;Valeur;Unité;Année;Source"
    assert "Une journée en clinique psychiatrique;710.0;CHF par jour;2022;" in csv


def test_the_report_page_and_its_proxies_csv(cast: Cast):
    version = _publish(cast, cast.programme)
    page = cast.client("funder").get(
        reverse("report_version", args=[cast.programme.pk, version.pk]), **FR
    )
    text = _visible_text(page.content.decode())
    assert "Une journée en clinique psychiatrique" in text
    assert "psychiatric_clinic_day" not in text
    csv = cast.client("funder").get(
        reverse("report_table_csv", args=[cast.programme.pk, version.pk, "proxies"])
    )
    assert csv.status_code == 200
    assert "Une journée en clinique psychiatrique" in csv.content.decode("utf-8-sig")


def test_an_organisations_own_value_keeps_its_own_source():
    line = proxy_line(
        {
            "code": "police_hour",
            "value": 260.0,
            "low": 260.0,
            "high": 260.0,
            "unit": "CHF per agent-hour",
            "year": 2024,
            "source": "Commune de Sion, décompte 2024",
            "overridden": True,
        }
    )
    assert line.source == "Commune de Sion, décompte 2024"
    assert line.amount == "CHF 260.00"


# -- 2. an organisation's own value removed ---------------------------------------------------


def _own_value(cast: Cast, code: str = "psychiatric_clinic_day", value: str = "900"):
    return services.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code=code,
        value=Decimal(value),
        year=2024,
        source="Clinique de Malévoz, tarif 2024",
        programme=cast.programme,
    )


def test_the_head_goes_back_to_the_national_value(cast: Cast):
    _own_value(cast)
    page_url = reverse("report_proxies", args=[cast.programme.pk])
    page = cast.client("head").get(page_url, **FR).content.decode()
    url = reverse("report_proxy_remove", args=[cast.programme.pk, "psychiatric_clinic_day"])
    assert f'action="{url}"' in page
    assert "la valeur nationale de CHF 710.00 (2022)" in page  # the confirmation says it
    response = cast.client("head").post(url, **FR)
    assert response.status_code == 302
    assert not ProxyOverride.objects.filter(organisation=cast.organisation).exists()
    event = AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="reports.proxyoverride"
    ).get()
    assert event.detail["code"] == "psychiatric_clinic_day"
    assert event.programme_id == cast.programme.pk
    page = cast.client("head").get(page_url, **FR).content.decode()
    assert "/remove/" not in page  # no button left
    assert "CHF 900.00" not in page


def test_removing_is_post_only_and_for_the_head_only(cast: Cast):
    _own_value(cast)
    url = reverse("report_proxy_remove", args=[cast.programme.pk, "psychiatric_clinic_day"])
    assert cast.client("head").get(url).status_code == 405
    assert cast.client("funder").post(url).status_code == 403
    assert cast.client("other_head").post(url).status_code == 404
    assert ProxyOverride.objects.filter(organisation=cast.organisation).count() == 1


def test_removing_a_value_that_is_not_there_is_a_404(cast: Cast):
    head = cast.client("head")
    for code in ("psychiatric_clinic_day", "no_such_proxy", "x" * 80):
        url = reverse("report_proxy_remove", args=[cast.programme.pk, code])
        assert head.post(url).status_code == 404
    # another organisation's value is not reachable from this programme
    services.proxy_set(
        actor=cast.actor("other_head"),
        organisation=cast.other_programme.organisation,
        code="police_hour",
        value=Decimal("300"),
        year=2024,
        source="Autre commune",
    )
    url = reverse("report_proxy_remove", args=[cast.programme.pk, "police_hour"])
    assert head.post(url).status_code == 404
    other = reverse("report_proxy_remove", args=[cast.other_programme.pk, "police_hour"])
    assert head.post(other).status_code == 404
    assert ProxyOverride.objects.filter(code="police_hour").count() == 1


def test_removed_twice_changes_nothing_the_second_time(cast: Cast):
    row = _own_value(cast)
    assert services.proxy_override_delete(actor=cast.actor("head"), override=row) is True
    events = AuditEvent.objects.count()
    assert services.proxy_override_delete(actor=cast.actor("head"), override=row) is False
    assert AuditEvent.objects.count() == events


def test_a_published_report_keeps_its_frozen_proxy(cast: Cast):
    _own_value(cast)
    version = _publish(cast, cast.programme)
    frozen = {p["code"]: p for p in version.figures["cost_benefit"]["proxies"]}
    assert frozen["psychiatric_clinic_day"]["value"] == 900
    cast.client("head").post(
        reverse("report_proxy_remove", args=[cast.programme.pk, "psychiatric_clinic_day"])
    )
    version.refresh_from_db()
    frozen = {p["code"]: p for p in version.figures["cost_benefit"]["proxies"]}
    assert frozen["psychiatric_clinic_day"]["value"] == 900
    assert frozen["psychiatric_clinic_day"]["overridden"] is True
    page = cast.client("funder").get(
        reverse("report_version", args=[cast.programme.pk, version.pk]), **FR
    )
    assert "CHF 900.00" in page.content.decode()
    # a new draft uses the national value again
    today = report_build(cast.programme, YEAR, "fr", protected=False)
    now = {p["code"]: p for p in today["cost_benefit"]["proxies"]}
    assert now["psychiatric_clinic_day"]["value"] == 710


# -- 3. the combined report: each programme's own assumptions ---------------------------------


def test_the_combined_value_uses_each_programmes_assumptions(db):
    a, b, c = (fixture.build(f"Atelier {n}") for n in "ABC")
    assumptions = [
        Assumption(a.pk, Decimal("0.1"), Decimal("0.2"), date(2026, 2, 1)),
        Assumption(b.pk, Decimal("0.5"), Decimal("0"), date(2026, 2, 3)),
        Assumption(c.pk, Decimal("0.3"), Decimal("0.3")),
    ]
    r = report_build(
        [a, b, c], YEAR, "en", protected=False, built_on=BUILT, assumptions=assumptions
    )
    cb = r["cost_benefit"]
    # each programme: 7000 CHF saved and 30 hospital days at CHF 710 x 55 % (see
    # test_figures.test_cost_benefit_by_hand), kept at (1 - dw)(1 - at)
    one = 7000 + 30 * 710 * 0.55
    central = one * (0.9 * 0.8 + 0.5 * 1 + 0.7 * 0.7)
    assert cb["value"]["central"] == pytest.approx(central, abs=0.01)
    assert cb["outcomes"][0]["quantity"] == 21000
    assert cb["ratio"]["low"] < cb["ratio"]["central"] < cb["ratio"]["high"]
    assert [row["published_on"] for row in cb["assumptions"]] == ["2026-02-01", "2026-02-03", None]
    # the old way (one pair for everyone) would have kept 0.49 of each
    assert cb["value"]["central"] != pytest.approx(one * 3 * 0.49, abs=1)


def test_the_combined_value_uses_each_organisations_own_proxies(db):
    """Two organisations, one with its own value of a clinic day: each programme's hospital
    days are valued with its own organisation's (the first's were used for all before)."""
    a, b = (fixture.build(f"Atelier {n}") for n in "DE")
    ProxyOverride.objects.create(
        organisation=b.organisation,
        code="psychiatric_clinic_day",
        value=Decimal("900"),
        year=2025,
        source="Clinique E",
    )
    assumptions = [Assumption(p.pk, Decimal("0.3"), Decimal("0.3")) for p in (a, b)]
    r = report_build([a, b], YEAR, "fr", protected=False, built_on=BUILT, assumptions=assumptions)
    cb = r["cost_benefit"]
    keep = 0.7 * 0.7
    central = (7000 + 30 * 710 * 0.55) * keep + (7000 + 30 * 900 * 0.55) * keep
    assert cb["value"]["central"] == pytest.approx(central, abs=0.01)
    rows = {row["programme"]: row for row in cb["assumptions"]}
    assert (rows["Atelier D"]["clinic_day"], rows["Atelier D"]["own_values"]) == (710, False)
    assert (rows["Atelier E"]["clinic_day"], rows["Atelier E"]["own_values"]) == (900, True)
    # the table of proxies shows the shipped values, not one organisation's
    shown = {p["code"]: p["value"] for p in cb["proxies"]}
    assert shown["psychiatric_clinic_day"] == 710
    # reversed order: the same value (it no longer depends on which programme comes first)
    again = report_build(
        [b, a], YEAR, "fr", protected=False, built_on=BUILT, assumptions=assumptions[::-1]
    )
    assert again["cost_benefit"]["value"]["central"] == pytest.approx(central, abs=0.01)
    view = assumptions_view(cb["assumptions"])
    assert [c.text for c in view.rows[1]][3].endswith("*")
    assert view.note


def test_assumptions_come_from_the_latest_published_report_of_the_period(cast: Cast):
    first = _publish(cast, cast.programme, deadweight=Decimal("0.2"))
    services.report_correct(actor=cast.actor("head"), version=first, reason="Un séjour en retard.")
    # the correction copies the adjustments; a later version in German sets others
    later = _publish(
        cast, cast.programme, language="de", deadweight=Decimal("0.4"), attribution=Decimal("0.1")
    )
    [mine, other] = assumptions_for([cast.programme, cast.other_programme], YEAR)
    assert (mine.deadweight, mine.attribution) == (Decimal("0.4"), Decimal("0.1"))
    assert mine.published_on == later.published_at.date()
    assert (other.deadweight, other.attribution, other.published_on) == (
        Decimal("0.3"),
        Decimal("0.3"),
        None,
    )
    # another period's report is not used
    assert assumptions_for([cast.programme], Period.year(2024))[0].published_on is None


def test_the_combined_report_says_which_assumptions_it_used(cast: Cast):
    a, b = fixture.build("Atelier A"), fixture.build("Atelier B")
    funder = cast.users["funder"]
    for programme in (a, b):
        Membership.objects.create(user=funder, programme=programme, role=Role.FUNDER)
        Membership.objects.create(user=cast.users["head"], programme=programme, role=Role.HEAD)
    _publish(cast, a, deadweight=Decimal("0.1"), attribution=Decimal("0.2"))
    version_b = _publish(cast, b, deadweight=Decimal("0.5"), attribution=Decimal("0"))
    page = cast.client("funder").get(reverse("funded_combined", args=[2025]), **FR)
    assert page.status_code == 200
    text = " ".join(_visible_text(page.content.decode()).split())
    assert "Hypothèses utilisées par programme" in text
    when = version_b.published_at.strftime("%d.%m.%Y")
    shown = text.replace("\u00a0", " ")
    assert f"Atelier A 10 % 20 % CHF 710.00 55 % rapport publié le {when}" in shown
    assert f"Atelier B 50 % 0 % CHF 710.00 55 % rapport publié le {when}" in shown
    assert "fixées par la direction" not in text  # not one pair "set by the head"
    book = load_workbook(
        io.BytesIO(
            cast.client("funder")
            .get(reverse("funded_combined_download", args=[2025, "xlsx"]), **FR)
            .content
        )
    )
    cells = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert "Hypothèses utilisées par programme" in cells
