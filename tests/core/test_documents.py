"""The document layer: the page of every PDF, the XLSX and CSV writers, Swiss formats, and no
process-wide setting changed by making a document."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab import rl_config, rl_settings
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph

from isa.core.documents import pdf, spreadsheets
from isa.core.documents.formats import chf, swiss_amount, swiss_date, swiss_datetime, swiss_number
from isa.people.models import ConsentKind
from isa.presence.sheets import monthly_sheet, sheet_pdf, sheet_xlsx
from isa.works import pdf as works_pdf
from isa.works import services as works
from isa.works.demo_images import artwork_jpeg
from tests import pdftext
from tests.conftest import Cast
from tests.works.helpers import give, make_work

DEMO_MARK = "Demonstration: fictional data"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def three_pages(**options) -> bytes:
    st = pdf.styles()
    story = []
    for n in range(3):
        story += [pdf.paragraph(f"Part {n + 1}", st["title"]), PageBreak()]
    story.pop()
    return pdf.build_pdf(
        story, title="Three", subject="Test", heading="ISA Sion · Three", **options
    )


# -- the page ----------------------------------------------------------------------------------


def test_every_page_says_its_number_and_the_number_of_pages():
    texts = pages_text(three_pages(fictional=False))
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} / 3" in text
        assert "ISA Sion · Three" in text
        assert "Generated on" in text


def test_the_page_numbers_are_translated():
    with translation.override("de"):
        texts = pages_text(three_pages(fictional=False))
    assert "Seite 2 / 3" in texts[1]


def test_a_cover_page_has_no_running_heading_but_its_number():
    first, second, _third = pages_text(three_pages(fictional=False, cover=True))
    assert "ISA Sion · Three" not in first and "Page 1 / 3" in first
    assert "ISA Sion · Three" in second


def test_fictional_data_is_marked_on_every_page_and_real_data_on_none():
    assert all(DEMO_MARK in text for text in pages_text(three_pages(fictional=True)))
    assert not any(DEMO_MARK in text for text in pages_text(three_pages(fictional=False)))


@pytest.mark.parametrize("demo", [True, False])
def test_the_demo_mark_follows_the_demo_setting_of_the_pages(demo: bool):
    with override_settings(ISA_DEMO_BANNER=demo):
        texts = pages_text(three_pages())
    assert all((DEMO_MARK in text) is demo for text in texts)


def test_a_long_heading_is_shortened_beside_the_demo_mark():
    content = pdf.build_pdf(
        [Paragraph("x", pdf.styles()["text"])],
        title="Long",
        subject="Test",
        heading="ISA Sion · " + "Une exposition au titre très long " * 6,
        fictional=True,
    )
    runs = pdftext.runs(content)
    assert any(r.text.endswith("…") for r in runs)
    assert any(r.text == DEMO_MARK for r in runs)
    assert pdftext.overlaps(runs) == []


def test_the_metadata_name_the_document():
    content = three_pages(fictional=False)
    meta = PdfReader(io.BytesIO(content)).metadata
    assert (meta.title, meta.subject, meta.author) == ("Three", "Test", "ISA")


# -- pictures ----------------------------------------------------------------------------------


def test_a_jpeg_goes_into_the_pdf_as_it_is():
    jpeg = artwork_jpeg("painting", 1, size=(300, 200))
    image = pdf.jpeg_image(jpeg, 150 * mm, 150 * mm)
    assert image is not None and (image.width, image.height) == (300, 200)  # never enlarged
    twice = [image, pdf.jpeg_image(jpeg, 50 * mm, 50 * mm)]
    content = pdf.build_pdf(twice, title="Image", subject="Test", heading="Image", fictional=False)
    page = PdfReader(io.BytesIO(content)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    assert len(xobjects) == 1  # the same bytes, stored once
    stream = next(iter(xobjects.values())).get_object()
    assert stream["/Filter"] == ["/DCTDecode"]
    assert stream.get_data() == jpeg
    assert (stream["/Width"], stream["/Height"]) == (300, 200)


def test_other_pictures_are_converted_and_unreadable_ones_left_out():
    from tests.works.helpers import image_bytes

    png = pdf.jpeg_image(image_bytes("PNG", (64, 48)), 100, 100)
    assert png is not None and png.data[:2] == b"\xff\xd8"  # JPEG now
    assert (png.width, png.height) == (64, 48)
    assert pdf.jpeg_image(b"not an image", 100, 100) is None


# -- narrow labels -----------------------------------------------------------------------------


def test_labels_take_the_longest_form_that_fits_all_of_them():
    labels = pdf.fit_labels([["Vorm.", "V"], ["Nachm.", "N"]], 30)
    assert [label.text for label in labels] == ["Vorm.", "Nachm."]
    labels = pdf.fit_labels([["Vorm.", "V"], ["Nachm.", "N"]], 12)
    assert [label.text for label in labels] == ["V", "N"]
    assert {label.size for label in labels} == {6}


def test_a_label_too_wide_in_every_form_gets_a_smaller_font_that_fits():
    (label,) = pdf.fit_labels([["Mo\n31", "31"]], 6)
    assert label.text == "31"
    assert pdf.text_width(label.text, pdf.FONT_BOLD, label.size) <= 6
    assert label.size < 6


# -- spreadsheets ------------------------------------------------------------------------------


def workbook() -> bytes:
    book = spreadsheets.Workbook(title="Test")
    sheet = book.sheet("A sheet: with [odd] characters and a very long name")
    sheet.title("ISA Sion · Test")
    sheet.line("=not a formula either")
    sheet.header(["Name", "Count", "Share", "Day", "Moment"], formats={3: "0%"}, freeze_columns=1)
    sheet.row(
        [
            '=HYPERLINK("http://evil.example","x")',
            3,
            0.25,
            date(2025, 3, 7),
            datetime(2025, 3, 7, 13, 5, tzinfo=UTC),
        ]
    )
    sheet.row(["-2+3", Decimal("10.5"), 1, None, None])
    sheet.row(["Total", 13.5, 1.25, None, None], total=True)
    return book.to_bytes()


def test_the_xlsx_keeps_numbers_and_dates_and_neutralises_formulas():
    ws = load_workbook(io.BytesIO(workbook())).active
    assert ws.title == "A sheet with odd characters and"  # 31 characters, spaces once
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A2"].value == "'=not a formula either"
    assert ws["A4"].value == '\'=HYPERLINK("http://evil.example","x")'
    assert ws["A5"].value == "'-2+3"
    assert (ws["B4"].value, ws["B4"].data_type) == (3, "n")
    assert (ws["B5"].value, ws["B5"].data_type) == (10.5, "n")
    assert ws["C4"].number_format == "0%"
    assert ws["D4"].is_date and ws["D4"].value == datetime(2025, 3, 7)
    assert ws["D4"].number_format == "DD.MM.YYYY"
    assert ws["E4"].is_date and ws["E4"].value == datetime(2025, 3, 7, 14, 5)  # Zurich time
    assert ws["E4"].number_format == "DD.MM.YYYY HH:MM"


def test_the_xlsx_header_is_bold_frozen_and_printed_on_every_page():
    ws = load_workbook(io.BytesIO(workbook())).active
    assert ws.freeze_panes == "B4"  # below the header row, right of the names
    assert all(c.font.b for c in ws[3])
    assert ws.print_title_rows == "$3:$3"
    assert [c.value for c in ws[6]][:2] == ["Total", 13.5] and ws["A6"].font.b
    assert not ws["A1"].value.startswith("'") and ws["A1"].font.sz == 14


def test_the_xlsx_columns_are_as_wide_as_their_content():
    ws = load_workbook(io.BytesIO(workbook())).active
    widths = {col: ws.column_dimensions[col].width for col in "ABCDE"}
    assert widths["A"] >= len('\'=HYPERLINK("http://evil.example","x")')
    assert widths["B"] == spreadsheets.MIN_WIDTH + 1 or widths["B"] >= len("Count")
    assert widths["D"] >= len("07.03.2025")
    assert all(spreadsheets.MIN_WIDTH <= w <= spreadsheets.MAX_WIDTH for w in widths.values())


def test_the_csv_is_utf8_with_a_bom_and_neutralises_formulas():
    content = spreadsheets.csv_bytes(
        [
            ["Name", "Born", "Hours"],
            ["=1+2", date(1971, 3, 14), Decimal("2.5")],
            ["Zoé", datetime(2025, 3, 7, 13, 5, tzinfo=UTC), None],
        ]
    )
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Name", "Born", "Hours"],
        ["'=1+2", "14.03.1971", "2.5"],
        ["Zoé", "07.03.2025 14:05", ""],
    ]


# -- Swiss formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_swiss_formats_in_every_language(language: str):
    with translation.override(language):
        assert swiss_date(date(2025, 3, 7)) == "07.03.2025"
        assert swiss_datetime(datetime(2025, 3, 7, 13, 5, tzinfo=UTC)) == "07.03.2025 14:05"
        assert chf(Decimal("1234.5")) == "CHF 1'234.50"
        assert swiss_amount(1234567.891) == "1'234'567.89"
        assert swiss_amount(Decimal("-1234.005")) == "-1'234.01"  # half up, as people round
        assert swiss_amount(0.125) == "0.13"
        assert swiss_number(999, 0) == "999"
        assert swiss_number(Decimal("1320"), 1) == "1'320.0"


# -- no process-wide setting changed -----------------------------------------------------------


def rl_settings_now() -> dict[str, object]:
    return {
        name: repr(getattr(rl_config, name))
        for name in dir(rl_config)
        if not name.startswith("_") and not callable(getattr(rl_config, name))
    }


def build_sheet(cast: Cast) -> list[bytes]:
    sheet = monthly_sheet(cast.programme, 2025, 3)
    return [sheet_pdf(sheet), sheet_xlsx(sheet)]


def build_catalogue(cast: Cast) -> list[bytes]:
    give(cast.participant, ConsentKind.EXHIBITION, cast.users["head"])
    exhibition = works.exhibition_create(
        programme=cast.programme,
        title="Couleurs du Valais",
        venue="Ferme-Asile, Sion",
        starts_on=date(2024, 6, 7),
        ends_on=date(2024, 6, 30),
        actor=cast.actor("facilitator"),
    )
    work = make_work(cast, title="Vigne dorée")
    works.work_add_image(
        work=work, upload=artwork_jpeg("painting", 3), actor=cast.actor("facilitator")
    )
    works.exhibition_add_work(exhibition=exhibition, work=work, actor=cast.actor("head"))
    shown = works.catalogue_works(exhibition)
    credits = works.credits_for(p for w in shown for p in w.creators.all())
    return [works_pdf.catalogue_pdf(exhibition, shown, credits)]


def build_portfolio(cast: Cast) -> list[bytes]:
    work = make_work(cast, title="Récente", image=True)
    credits = works.credits_for(work.creators.all())
    return [works_pdf.portfolio_pdf(cast.programme, cast.participant, "Jean-Marc", [work], credits)]


@pytest.mark.parametrize("build", [build_sheet, build_catalogue, build_portfolio])
def test_making_a_document_changes_no_reportlab_setting(cast: Cast, build):
    before = rl_settings_now()
    files = build(cast)
    assert rl_settings_now() == before
    assert rl_config.useA85 == rl_settings.useA85  # as ReportLab ships it
    for content in files:
        if content.startswith(b"%PDF"):
            texts = pages_text(content)
            assert all(f"Page {n} / {len(texts)}" in t for n, t in enumerate(texts, start=1))
