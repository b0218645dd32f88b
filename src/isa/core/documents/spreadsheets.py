"""One XLSX writer and one CSV writer for every spreadsheet ISA hands out.

The rule of both: every text cell goes through :func:`isa.core.exports.safe_cell` (a name
typed as ``=HYPERLINK(…)`` stays text), numbers stay numbers a spreadsheet can add up, dates
stay dates (shown dd.mm.yyyy).  A workbook's header row is bold on paper colour, frozen, and
repeated on printed pages; columns get widths from their content.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from isa.core.documents.formats import swiss_date, swiss_datetime
from isa.core.exports import safe_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
TEXT_FORMAT = "@"

PAPER = "F3EFE8"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor=PAPER)
TOP_LINE = Border(top=Side(style="thin"))
CENTRE = Alignment(horizontal="center")

MIN_WIDTH, MAX_WIDTH = 6, 50


def cell_value(value: Any) -> Any:
    """What a spreadsheet cell holds for ``value``: text made safe, numbers and dates as they
    are (an aware date-time in local time, as spreadsheets know no time zone)."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(timezone.localtime(value))
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, Promise):
        value = str(value)
    return safe_cell(value if isinstance(value, str) else str(value))


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float | Decimal):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _safe_title(title: str) -> str:
    """A worksheet title: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))
    cleaned = " ".join(cleaned.split())  # "Annexe : les statistiques" → "Annexe les statistiques"
    return cleaned[:31].strip() or "Sheet"


class Sheet:
    """One worksheet, written top to bottom: an optional title and lines of text, one header
    row, data rows, an optional total row, more lines."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.header_row: int | None = None
        self._formats: dict[int, str] = {}
        self._centre_from: int | None = None
        self._widths: dict[int, float] = {}
        self._measured: dict[int, int] = {}

    # text above and below the table

    def title(self, text: str) -> None:
        """A first line in large bold type."""
        self._append([text])
        self.ws.cell(self.ws.max_row, 1).font = TITLE

    def line(self, text: str = "") -> None:
        """A line of text in the first column (a subtitle, a legend, a note); empty: a gap."""
        if text:
            self.ws.append([cell_value(text)])
        else:
            self.ws.append([])

    # the table

    def header(
        self,
        labels: Sequence[str],
        *,
        notes: Sequence[str] | None = None,
        formats: Mapping[int, str] | None = None,
        centre_from: int | None = None,
        freeze_columns: int = 0,
        height: float | None = None,
    ) -> None:
        """The header row: bold on paper colour, frozen with the rows above it (and the
        first ``freeze_columns`` columns), repeated on printed pages.  ``notes`` become cell
        comments; ``formats`` (1-based column → number format) and ``centre_from`` apply to
        the rows that follow."""
        self._append(labels, measure=True)
        row = self.ws.max_row
        self.header_row = row
        for i, cell in enumerate(self.ws[row], start=1):
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(
                horizontal="left" if centre_from is None or i < centre_from else "center",
                vertical="bottom",
                wrap_text=True,
            )
            if notes and i <= len(notes) and notes[i - 1]:
                cell.comment = Comment(str(notes[i - 1]), "ISA")
        self._formats = dict(formats or {})
        self._centre_from = centre_from
        self.ws.freeze_panes = f"{get_column_letter(1 + freeze_columns)}{row + 1}"
        self.ws.print_title_rows = f"{row}:{row}"
        if height:
            self.ws.row_dimensions[row].height = height

    def row(
        self,
        values: Sequence[Any],
        *,
        total: bool = False,
        as_text: bool = False,
        formats: Sequence[str] | None = None,
    ) -> None:
        """A data row; ``total``: bold above a line; ``as_text``: cells formatted as text, so
        that a spreadsheet keeps "14.03.1971" as typed; ``formats``: a number format for
        each cell of this row ("" for none), over the header's."""
        cells = self._append(values, measure=True)
        for i, cell in enumerate(cells):
            self._style(cell)
            number = isinstance(cell.value, int | float | Decimal)
            if number and formats and i < len(formats) and formats[i]:
                cell.number_format = formats[i]
            if total:
                cell.font = BOLD
                cell.border = TOP_LINE
            if as_text:
                cell.number_format = TEXT_FORMAT

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.row(values)

    # layout

    def widths(self, widths: Mapping[int, float]) -> None:
        """Fixed widths (1-based column → characters) instead of measured ones."""
        self._widths.update(widths)

    def landscape(self) -> None:
        """Printed across A4 landscape pages, as wide as one page."""
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        # in place of a new sheet's blank properties
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    def finish(self) -> None:
        for column in set(self._measured) | set(self._widths):
            width = self._widths.get(column)
            if width is None:
                width = min(max(self._measured[column] + 2, MIN_WIDTH), MAX_WIDTH)
            self.ws.column_dimensions[get_column_letter(column)].width = width

    # inside

    def _append(self, values: Sequence[Any], *, measure: bool = False) -> list[Cell]:
        self.ws.append([cell_value(v) for v in values])
        # an appended row has no merged cell
        cells = [c for c in self.ws[self.ws.max_row][: len(values)] if isinstance(c, Cell)]
        if measure:
            for cell in cells:
                length = _shown_length(cell.value)
                if length > self._measured.get(cell.column, 0):
                    self._measured[cell.column] = length
        return cells

    def _style(self, cell: Cell) -> None:
        if isinstance(cell.value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT
        number_format = self._formats.get(cell.column)
        if number_format and isinstance(cell.value, int | float | Decimal):
            cell.number_format = number_format
        if self._centre_from is not None and cell.column >= self._centre_from:
            cell.alignment = CENTRE


class Workbook:
    """An XLSX workbook made of :class:`Sheet` s; :meth:`to_bytes` gives the file."""

    def __init__(self, *, title: str) -> None:
        self._wb = OpenpyxlWorkbook()
        self._wb.properties.creator = "ISA"
        self._wb.properties.title = str(title)
        self._sheets: list[Sheet] = []

    def sheet(self, name: str) -> Sheet:
        """A new worksheet named ``name`` (cut to what spreadsheets accept)."""
        active = self._wb.active  # a new workbook's one worksheet
        if not self._sheets and isinstance(active, Worksheet):
            ws = active
            ws.title = _safe_title(name)
        else:
            ws = self._wb.create_sheet(_safe_title(name))
        sheet = Sheet(ws)
        self._sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self._sheets:
            sheet.finish()
        buffer = io.BytesIO()
        self._wb.save(buffer)
        return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    """A CSV file as ISA's exports write it: UTF-8 with a byte order mark (so that Excel
    reads accents), ``;`` between cells (Swiss Excel's list separator), every text through
    :func:`safe_cell`, dates dd.mm.yyyy, numbers with a decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for values in rows:
        writer.writerow([_csv_text(v) for v in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, datetime):
        return swiss_datetime(value)
    if isinstance(value, date):
        return swiss_date(value)
    if value is None:
        return ""
    return value
