"""The report's files read back: the PDF with pypdf, the workbook with openpyxl, a CSV."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from isa.reports.documents import report_pdf, report_xlsx, table_csv
from isa.reports.figures import Period, report_build
from tests.reports import fixture


@pytest.fixture
def figures(db):
    programme = fixture.build()
    return report_build(
        programme, Period.year(2025), "en", protected=True, built_on=date(2026, 1, 15)
    )


def test_pdf_has_a_title_page_contents_page_numbers_and_the_demo_mark(figures, settings):
    settings.ISA_DEMO_BANNER = True
    reader = PdfReader(io.BytesIO(report_pdf(figures, number=1)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 4
    assert "activity and effects report 2025" in pages[0]
    assert "Version 1" in pages[0]
    assert "Data as of 15.01.2026" in pages[0]
    assert "Contents" in pages[1] and "Activity" in pages[1]
    assert f"Page 2 / {len(pages)}" in pages[1]
    assert all("Demonstration: fictional data" in text for text in pages)
    text = "\n".join(pages)
    assert "Exits by reason" in text and "< 5" in text
    assert "Appendix: the statistics" in text
    assert reader.metadata.title.startswith("Atelier fixture")


def test_xlsx_numbers_are_numbers_hidden_cells_marked_no_formula(figures):
    book = load_workbook(io.BytesIO(report_xlsx(figures, number=1)))
    assert book.sheetnames[0] == "Read me"
    assert {"Activity", "Health"} <= set(book.sheetnames)
    activity = book["Activity"]
    values = [c.value for row in activity.iter_rows() for c in row if c.value is not None]
    assert 6 in values  # people accompanied: a number
    assert "< 5" in values  # hidden: marked
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("=")
    readme = [c.value for row in book["Read me"].iter_rows() for c in row]
    assert "Presence rate against the pact" in readme


def test_csv_per_table(figures):
    text = table_csv(figures, "people").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith(";Previous period;This period")
    assert "People accompanied;< 5;6" in lines[1]
