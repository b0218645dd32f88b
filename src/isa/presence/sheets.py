"""The monthly attendance sheet of a programme: its data, and its PDF and XLSX files.

:func:`monthly_sheet` is the one source of the month view, the PDF and the XLSX: the three
show the same rows and the same totals by construction.  Columns are half-days (a day and
"am" or "pm"); a cell says whether the person came, on a half-day of their pact or not, or
did not come on a half-day of their pact.  Presence is described, never judged.
"""

from __future__ import annotations

import calendar
import functools
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from isa.core.exports import safe_cell
from isa.core.models import Programme
from isa.people.models import Participant
from isa.presence import rates
from isa.presence.models import HalfDayPart, Medium

# -- the data ----------------------------------------------------------------------------------

PACT = "pact"  # present on a half-day of the pact
EXTRA = "extra"  # present outside the pact
MISSED = "missed"  # a pact half-day the workshops were open, without presence
NONE = ""

SYMBOLS = {PACT: "●", EXTRA: "○", MISSED: "·", NONE: ""}
MARK_LABELS = {
    PACT: gettext_lazy("present, pact half-day"),
    EXTRA: gettext_lazy("present, outside the pact"),
    MISSED: gettext_lazy("pact half-day, not present"),
    NONE: "",
}
LEGEND = [(PACT, SYMBOLS[PACT]), (EXTRA, SYMBOLS[EXTRA]), (MISSED, SYMBOLS[MISSED])]
TENTH = Decimal("0.1")


def part_short(part: str) -> str:
    return (
        pgettext("half-day, short", "am")
        if part == HalfDayPart.MORNING
        else pgettext("half-day, short", "pm")
    )


def percent(attended: int, expected: int) -> int | None:
    """100 × attended / expected, rounded half up; None without expected half-days."""
    if not expected:
        return None
    return (200 * attended + expected) // (2 * expected)


def percent_text(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


@dataclass(frozen=True)
class Column:
    """One half-day the workshops were open, and how many people came."""

    day: date
    part: str  # "am" | "pm"
    present: int

    @property
    def part_short(self) -> str:
        return part_short(self.part)

    @property
    def part_label(self) -> str:
        return str(HalfDayPart(self.part).label)

    @property
    def label(self) -> str:
        """ "Mon 3 am": one header cell of a spreadsheet."""
        return f"{date_format(self.day, 'D j')} {self.part_short}"

    @property
    def long_label(self) -> str:
        return f"{date_format(self.day, 'l j F')}, {self.part_label.lower()}"


@dataclass(frozen=True)
class Day:
    """A day with at least one column (for headers spanning a day's half-days)."""

    day: date
    span: int

    @property
    def label(self) -> str:
        return date_format(self.day, "D j")

    @property
    def long_label(self) -> str:
        return date_format(self.day, "l j F Y")


@dataclass
class Row:
    participant_id: int
    name: str  # "Last name First name", as the participant list shows it
    marks: list[str]  # one of PACT, EXTRA, MISSED, NONE per column
    half_days: int  # half-days present, pact or not
    hours: Decimal  # rounded to a tenth
    expected: int  # pact half-days the workshops were open and the person accompanied
    attended: int  # of those, the ones the person came

    @property
    def percent(self) -> int | None:
        return percent(self.attended, self.expected)

    @property
    def rate_text(self) -> str:
        return percent_text(self.percent)

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """(mark, symbol, label) per column, for templates."""
        return [(m, SYMBOLS[m], str(MARK_LABELS[m])) for m in self.marks]


@dataclass
class MonthlySheet:
    programme: Programme
    year: int
    month: int
    start: date  # first day of the month
    end: date  # last day of the month
    until: date | None  # last day counted: the end, or today for the current month
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    media: list[tuple[str, int]] = field(default_factory=list)  # (label, half-days)

    @property
    def title(self) -> str:
        """ "March 2025", in the current language."""
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    @property
    def is_partial(self) -> bool:
        return self.until is not None and self.until < self.end

    @property
    def days(self) -> list[Day]:
        days: list[Day] = []
        for column in self.columns:
            if days and days[-1].day == column.day:
                days[-1] = Day(column.day, days[-1].span + 1)
            else:
                days.append(Day(column.day, 1))
        return days

    @property
    def open_half_days(self) -> int:
        return len(self.columns)

    @property
    def half_days(self) -> int:
        return sum(r.half_days for r in self.rows)

    @property
    def hours(self) -> Decimal:
        """The sum of the rows' hours as shown (each rounded to a tenth)."""
        return sum((r.hours for r in self.rows), Decimal(0))

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def attended(self) -> int:
        return sum(r.attended for r in self.rows)

    @property
    def percent(self) -> int | None:
        return percent(self.attended, self.expected)

    @property
    def rate_text(self) -> str:
        return percent_text(self.percent)

    @property
    def filename_stem(self) -> str:
        return f"isa-presence-{self.year:04d}-{self.month:02d}"


def _hours(value: float) -> Decimal:
    minutes = round(value * 60)  # presences are recorded to the minute
    return (Decimal(minutes) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)


def _mark(key: rates.HalfDayKey, person: rates.PersonFigures) -> str:
    present = key in person.present_days
    if key in person.expected_days:
        return PACT if present else MISSED
    return EXTRA if present else NONE


def monthly_sheet(programme: Programme, year: int, month: int) -> MonthlySheet:
    """Everyone accompanied at some point of the month or present in it, one column per
    half-day the workshops were open.  The current month is counted up to today: a pact
    half-day still to come is not a missed one.  A constant number of queries."""
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    today = timezone.localdate()
    until = min(end, today) if start <= today else None
    sheet = MonthlySheet(programme, year, month, start, end, until)
    if until is None:  # a month still to come: nothing happened yet
        return sheet

    figures = rates.compute(programme, start, until)
    people = figures.people
    # A presence kept on a session cancelled afterwards still counts as activity in
    # rates.compute: its half-day gets a column too, so that rows and columns add up.
    keys = set(figures.open_half_days)
    for person in people.values():
        keys |= person.present_days
    keys_sorted = sorted(keys)  # (day, "am" before "pm")
    sheet.columns = [
        Column(day, part, sum(1 for p in people.values() if (day, part) in p.present_days))
        for day, part in keys_sorted
    ]
    names = (
        Participant.objects.filter(programme=programme, pk__in=list(people))
        .only("pk", "last_name", "usual_first_name", "official_first_names", "search_name")
        .order_by("search_name", "pk")
    )
    for participant in names:
        person = people[participant.pk]
        sheet.rows.append(
            Row(
                participant_id=participant.pk,
                name=f"{participant.last_name} {participant.first_name}",
                marks=[_mark(key, person) for key in keys_sorted],
                half_days=person.half_days,
                hours=_hours(person.hours),
                expected=person.expected,
                attended=person.attended,
            )
        )

    counts = figures.by_medium()
    media = Medium.objects.filter(pk__in=[k for k in counts if k is not None])
    sheet.media = [(m.label, counts[m.pk]) for m in media.order_by("order", "code")]
    if counts.get(None):
        sheet.media.append((_("not noted"), counts[None]))
    return sheet


# -- headers shared by the files ---------------------------------------------------------------


def _total_headers() -> list[str]:
    return [_("Half-days present"), _("Hours"), _("Pact half-days"), _("Attended"), _("Rate")]


def _xlsx_totals(figures: Row | MonthlySheet) -> list[object]:
    """Numbers a spreadsheet can add up; the rate as a fraction shown as a percentage."""
    rate = figures.attended / figures.expected if figures.expected else "—"
    return [figures.half_days, float(figures.hours), figures.expected, figures.attended, rate]


def _pdf_totals(figures: Row | MonthlySheet) -> list[str]:
    return [
        str(figures.half_days),
        number_format(figures.hours, 1),
        str(figures.expected),
        str(figures.attended),
        figures.rate_text,
    ]


def legend() -> list[tuple[str, str, str]]:
    """(mark, symbol, explanation) of the three marks, in the current language."""
    return [(mark, symbol, str(MARK_LABELS[mark])) for mark, symbol in LEGEND]


def _generated() -> str:
    return _("Generated on %(date)s") % {
        "date": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    }


# -- XLSX --------------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_xlsx(sheet: MonthlySheet) -> bytes:
    """The sheet as a workbook: the grid with its totals, and the media of the month.
    Every text cell goes through :func:`safe_cell`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F3EFE8")
    centre = Alignment(horizontal="center")
    top_line = Border(top=Side(style="thin"))

    wb = Workbook()
    wb.properties.creator = "ISA"
    wb.properties.title = f"{sheet.programme.name} · {sheet.title}"
    ws = wb.active
    ws.title = _safe_title(_("Presence"))

    n = len(sheet.columns)
    first_total = 2 + n  # column of "Half-days present"
    last = first_total + 4
    ws.append([safe_cell(f"{sheet.programme.name} · {sheet.title}")])
    ws["A1"].font = Font(bold=True, size=14)
    subtitle = _("Attendance sheet") + " · " + _generated()
    if sheet.is_partial:
        subtitle += " · " + _("until %(date)s") % {
            "date": date_format(sheet.until, "SHORT_DATE_FORMAT")
        }
    ws.append([safe_cell(subtitle)])
    ws.append([])
    header = [_("Participant"), *(c.label for c in sheet.columns), *_total_headers()]
    ws.append([safe_cell(h) for h in header])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="bottom", wrap_text=True)
    ws.cell(header_row, 1).alignment = Alignment(horizontal="left", vertical="bottom")

    for row in sheet.rows:
        ws.append(
            [
                safe_cell(row.name),
                *(SYMBOLS[m] for m in row.marks),
                *_xlsx_totals(row),
            ]
        )
    ws.append(
        [
            safe_cell(_("Total")),
            *(c.present for c in sheet.columns),
            *_xlsx_totals(sheet),
        ]
    )
    totals_row = ws.max_row
    for cell in ws[totals_row]:
        cell.font = bold
        cell.border = top_line

    for r in range(header_row + 1, totals_row + 1):
        for c in range(2, last + 1):
            ws.cell(r, c).alignment = centre
        ws.cell(r, first_total + 1).number_format = "0.0"
        ws.cell(r, last).number_format = "0%"

    ws.append([])
    for _code, symbol, label in legend():
        ws.append([safe_cell(f"{symbol}  {label}")])

    ws.column_dimensions["A"].width = 32
    for c in range(2, first_total):
        ws.column_dimensions[get_column_letter(c)].width = 7
    for c in range(first_total, last + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11
    ws.row_dimensions[header_row].height = 30
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    media = wb.create_sheet(_safe_title(_("Media")))
    media.append([safe_cell(f"{sheet.programme.name} · {sheet.title}")])
    media["A1"].font = Font(bold=True, size=14)
    media.append([])
    media.append([safe_cell(_("Medium")), safe_cell(_("Half-days"))])
    for cell in media[media.max_row]:
        cell.font = bold
        cell.fill = header_fill
    for label, count in sheet.media:
        media.append([safe_cell(label), count])
    media.append([safe_cell(_("Total")), sum(count for _label, count in sheet.media)])
    for cell in media[media.max_row]:
        cell.font = bold
        cell.border = top_line
    media.column_dimensions["A"].width = 32
    media.column_dimensions["B"].width = 12

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _safe_title(title: str) -> str:
    """A worksheet title: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"


# -- PDF ---------------------------------------------------------------------------------------

FONT = "IsaVera"
FONT_BOLD = "IsaVeraBold"


def _register_fonts() -> None:
    """Bitstream Vera, shipped with ReportLab: it covers accented Latin names (é, ü, ç, ş, ł…)
    that the PDF core fonts lack, with nothing to install."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(rl_config.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))


def sheet_pdf(sheet: MonthlySheet) -> bytes:
    """The sheet on A4 landscape pages: the header rows repeat on every page, the totals
    close the table, the generation date is in the footer."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    dot = _dot_class()
    page = landscape(A4)
    margin = 10 * mm
    title_text = f"{sheet.programme.name} · {sheet.title}"
    generated = _generated()

    title_style = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=18)
    small = ParagraphStyle("small", fontName=FONT, fontSize=6.5, leading=7.5)
    small_bold = ParagraphStyle("small_bold", parent=small, fontName=FONT_BOLD)
    header_style = ParagraphStyle("header", parent=small_bold, alignment=1)
    text = ParagraphStyle("text", fontName=FONT, fontSize=8.5, leading=11)

    n = len(sheet.columns)
    name_width = 42 * mm
    total_widths = [15 * mm, 11 * mm, 15 * mm, 14 * mm, 11 * mm]
    room = page[0] - 2 * margin - name_width - sum(total_widths)
    column_width = min(9 * mm, room / n) if n else 0

    # Two header rows: the day (spanning its half-days), then "am" / "pm".
    days_row: list[object] = [Paragraph(escape(_("Participant")), small_bold)]
    parts_row: list[object] = [""]
    spans = []
    col = 1
    for day in sheet.days:
        days_row += [f"{date_format(day.day, 'D')}\n{day.day.day}"] + [""] * (day.span - 1)
        if day.span > 1:
            spans.append(("SPAN", (col, 0), (col + day.span - 1, 0)))
        col += day.span
    parts_row += [c.part_short for c in sheet.columns]
    totals_header = [
        _fitting(h, w - 4, header_style)
        for h, w in zip(_total_headers(), total_widths, strict=True)
    ]
    days_row += totals_header
    parts_row += [""] * len(totals_header)
    for i in range(len(totals_header)):
        spans.append(("SPAN", (1 + n + i, 0), (1 + n + i, 1)))
    spans.append(("SPAN", (0, 0), (0, 1)))

    data: list[list[object]] = [days_row, parts_row]
    for row in sheet.rows:
        data.append(
            [
                Paragraph(escape(row.name), small),
                *(dot(m, column_width) if m else "" for m in row.marks),
                *_pdf_totals(row),
            ]
        )
    data.append(
        [
            Paragraph(escape(_("Total")), small_bold),
            *(str(c.present) for c in sheet.columns),
            *_pdf_totals(sheet),
        ]
    )
    last = len(data) - 1

    table = Table(
        data,
        colWidths=[name_width, *([column_width] * n), *total_widths],
        repeatRows=2,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 6.5),
                ("LEADING", (0, 0), (-1, -1), 7.5),
                ("FONT", (0, 0), (-1, 1), FONT_BOLD, 6),
                ("FONT", (0, last), (-1, last), FONT_BOLD, 6.5),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (1, 0), (n, -1), 0.5),
                ("RIGHTPADDING", (1, 0), (n, -1), 0.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#F3EFE8")),
                (
                    "ROWBACKGROUNDS",
                    (0, 2),
                    (-1, last - 1),
                    [colors.white, colors.HexColor("#F8F6F2")],
                ),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, colors.HexColor("#1D2A3A")),
                ("LINEABOVE", (0, last), (-1, last), 0.6, colors.HexColor("#1D2A3A")),
                ("LINEBEFORE", (1 + n, 0), (1 + n, -1), 0.6, colors.HexColor("#1D2A3A")),
                ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#D9D4CA")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#1D2A3A")),
                *spans,
            ]
        )
    )

    story: list[object] = [
        Paragraph(escape(title_text), title_style),
        Paragraph(escape(_("Attendance sheet")), text),
        Spacer(1, 4 * mm),
    ]
    if sheet.rows:
        story.append(table)
    else:
        story.append(Paragraph(escape(_("Nobody was accompanied or present this month.")), text))
    story.append(Spacer(1, 3 * mm))
    legend_table = Table(
        [[dot(mark, 4 * mm), Paragraph(escape(label), text)] for mark, _symbol, label in legend()],
        colWidths=[5 * mm, 90 * mm],
        hAlign="LEFT",
    )
    legend_table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (0, -1), "CENTER")])
    )
    story.append(legend_table)
    story.append(Spacer(1, 2 * mm))
    figures = [
        _("Half-days the workshops were open: %(n)s") % {"n": sheet.open_half_days},
        _("Half-days of activity: %(n)s") % {"n": sheet.half_days},
        _("Hours of activity: %(n)s") % {"n": number_format(sheet.hours, 1)},
        _("Rate against the pact: %(rate)s (%(attended)s of %(expected)s pact half-days)")
        % {"rate": sheet.rate_text, "attended": sheet.attended, "expected": sheet.expected},
    ]
    if sheet.media:
        figures.append(
            _("By medium: %(list)s")
            % {"list": ", ".join(f"{label} {count}" for label, count in sheet.media)}
        )
    if sheet.is_partial:
        figures.append(
            _("Counted until %(date)s.") % {"date": date_format(sheet.until, "SHORT_DATE_FORMAT")}
        )
    story += [Paragraph(escape(line), text) for line in figures]

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#4A5868"))
        canvas.drawString(margin, 6 * mm, f"ISA · {title_text} · {generated}")
        canvas.drawRightString(
            page[0] - margin, 6 * mm, _("Page %(n)s") % {"n": canvas.getPageNumber()}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=12 * mm,
        title=title_text,
        author="ISA",
        subject=_("Attendance sheet"),
        creator="ISA",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _fitting(text: str, width: float, style):  # type: ignore[no-untyped-def]
    """A header paragraph in a font small enough for its longest word (German compounds)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    longest = max(text.split() or [""], key=lambda w: stringWidth(w, style.fontName, 1))
    size = style.fontSize
    while size > 4.5 and stringWidth(longest, style.fontName, size) > width:
        size -= 0.5
    fitted = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size + 1)
    return Paragraph(escape(text), fitted)


@functools.cache
def _dot_class() -> type:
    """The flowable of a mark, built on first use (ReportLab loads only for a PDF)."""
    from reportlab.platypus import Flowable

    class Dot(Flowable):
        """A mark drawn as a shape, whatever the font: a filled dot (present, pact), a ring
        (present outside the pact), a small point (pact half-day without presence)."""

        def __init__(self, mark: str, width: float) -> None:
            super().__init__()
            self.mark = mark
            self.size = min(width, 9.0)
            self.hAlign = "CENTER"

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return (self.size, self.size)

        def draw(self) -> None:
            canvas = self.canv
            r = self.size * 0.32
            x = y = self.size / 2
            canvas.setFillColorRGB(0.114, 0.165, 0.227)
            canvas.setStrokeColorRGB(0.114, 0.165, 0.227)
            if self.mark == PACT:
                canvas.circle(x, y, r, stroke=0, fill=1)
            elif self.mark == EXTRA:
                canvas.setLineWidth(0.6)
                canvas.circle(x, y, r * 0.9, stroke=1, fill=0)
            elif self.mark == MISSED:
                canvas.circle(x, y, r * 0.3, stroke=0, fill=1)

    return Dot
