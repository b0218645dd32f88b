"""The monthly attendance sheet of a programme: its data, and its PDF and XLSX files (made
with the document layer, :mod:`isa.core.documents`).

:func:`monthly_sheet` is the one source of the month view, the PDF and the XLSX: the three
show the same rows and the same totals by construction.  Columns are half-days (a day and
"am" or "pm"); a cell says whether the person came, on a half-day of their pact or not, or
did not come on a half-day of their pact.  Presence is described, never judged.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from isa.core.documents import pdf, spreadsheets
from isa.core.documents.formats import generated_on, swiss_date, swiss_number
from isa.core.models import Programme
from isa.formats import long_date
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
        return f"{long_date(self.day, year=False)}, {self.part_label.lower()}"


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
        return long_date(self.day)


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
        swiss_number(figures.hours, 1),
        str(figures.expected),
        str(figures.attended),
        figures.rate_text,
    ]


def legend() -> list[tuple[str, str, str]]:
    """(mark, symbol, explanation) of the three marks, in the current language."""
    return [(mark, symbol, str(MARK_LABELS[mark])) for mark, symbol in LEGEND]


def part_letter(part: str) -> str:
    """One letter for a half-day, where even "am" does not fit (a month of narrow columns)."""
    return (
        pgettext("half-day, one letter", "a")
        if part == HalfDayPart.MORNING
        else pgettext("half-day, one letter", "p")
    )


def _heading(sheet: MonthlySheet) -> str:
    return f"{sheet.programme.name} · {sheet.title}"


# -- XLSX --------------------------------------------------------------------------------------

XLSX_TYPE = spreadsheets.XLSX_TYPE


def sheet_xlsx(sheet: MonthlySheet) -> bytes:
    """The sheet as a workbook: the grid with its totals, and the media of the month."""
    heading = _heading(sheet)
    book = spreadsheets.Workbook(title=heading)

    grid = book.sheet(_("Presence"))
    n = len(sheet.columns)
    first_total = 2 + n  # column of "Half-days present"
    last = first_total + 4
    grid.title(heading)
    subtitle = _("Attendance sheet") + " · " + generated_on()
    if sheet.is_partial:
        subtitle += " · " + _("until %(date)s") % {"date": swiss_date(sheet.until)}
    grid.line(subtitle)
    grid.line()
    grid.header(
        [_("Participant"), *(c.label for c in sheet.columns), *_total_headers()],
        formats={first_total + 1: "0.0", last: "0%"},
        centre_from=2,
        freeze_columns=1,
        height=30,
    )
    for row in sheet.rows:
        grid.row([row.name, *(SYMBOLS[m] for m in row.marks), *_xlsx_totals(row)])
    grid.row([_("Total"), *(c.present for c in sheet.columns), *_xlsx_totals(sheet)], total=True)
    grid.line()
    for _code, symbol, label in legend():
        grid.line(f"{symbol}  {label}")
    grid.widths(
        {1: 32}
        | dict.fromkeys(range(2, first_total), 7)
        | dict.fromkeys(range(first_total, last + 1), 11)
    )
    grid.landscape()

    media = book.sheet(_("Media"))
    media.title(heading)
    media.line()
    media.header([_("Medium"), _("Half-days")])
    media.rows([label, count] for label, count in sheet.media)
    media.row([_("Total"), sum(count for _label, count in sheet.media)], total=True)
    media.widths({1: 32, 2: 12})
    return book.to_bytes()


# -- PDF ---------------------------------------------------------------------------------------

MARK_PADDING = 0.5  # left and right padding of a half-day column, in points


def sheet_pdf(sheet: MonthlySheet) -> bytes:
    """The sheet on A4 landscape pages in the house style: the two header rows (days, then
    half-days) repeat on every page, the totals close the table.  Every label of the header
    fits its column: narrow columns get shorter labels ("Mo", "a"), then a smaller font."""
    st = pdf.styles()
    page = pdf.LANDSCAPE
    margin = 10 * mm
    heading = _heading(sheet)

    n = len(sheet.columns)
    name_width = 42 * mm
    total_widths = [15 * mm, 11 * mm, 15 * mm, 14 * mm, 11 * mm]
    room = page[0] - 2 * margin - name_width - sum(total_widths)
    column_width = min(9 * mm, room / n) if n else 0
    inner = column_width - 2 * MARK_PADDING

    # Two header rows: the day (spanning its half-days), then the half-day.
    days = sheet.days
    day_labels: dict[int, pdf.Label] = {}
    for span in {d.span for d in days}:
        group = [i for i, d in enumerate(days) if d.span == span]
        options = []
        for i in group:
            weekday, number = date_format(days[i].day, "D"), days[i].day.day
            options.append([f"{weekday}\n{number}", f"{weekday[:2]}\n{number}", str(number)])
        labels = pdf.fit_labels(options, span * column_width - 2 * MARK_PADDING)
        day_labels.update(zip(group, labels, strict=True))
    part_labels = pdf.fit_labels(
        [[c.part_short, part_letter(c.part)] for c in sheet.columns], inner
    )
    letters = [label.text for label in part_labels] != [c.part_short for c in sheet.columns]
    count_labels = pdf.fit_labels(
        [[str(c.present)] for c in sheet.columns], inner, font=pdf.FONT_BOLD, size=6.5
    )

    days_row: list[object] = [pdf.paragraph(_("Participant"), st["cell_bold"])]
    parts_row: list[object] = [""]
    sizes: list[tuple[object, ...]] = []
    spans: list[tuple[object, ...]] = [("SPAN", (0, 0), (0, 1))]
    col = 1
    for i, day in enumerate(days):
        label = day_labels[i]
        days_row += [label.text] + [""] * (day.span - 1)
        sizes += _size(col, 0, label.size)
        if day.span > 1:
            spans.append(("SPAN", (col, 0), (col + day.span - 1, 0)))
        col += day.span
    for i, label in enumerate(part_labels):
        parts_row.append(label.text)
        sizes += _size(1 + i, 1, label.size)
    totals_header = [
        pdf.fitting(h, w - 4, st["cell_header"])
        for h, w in zip(_total_headers(), total_widths, strict=True)
    ]
    days_row += totals_header
    parts_row += [""] * len(totals_header)
    for i in range(len(totals_header)):
        spans.append(("SPAN", (1 + n + i, 0), (1 + n + i, 1)))

    data: list[list[object]] = [days_row, parts_row]
    for row in sheet.rows:
        data.append(
            [
                pdf.paragraph(row.name, st["cell"]),
                *(Dot(m, column_width) if m else "" for m in row.marks),
                *_pdf_totals(row),
            ]
        )
    data.append(
        [
            pdf.paragraph(_("Total"), st["cell_bold"]),
            *(label.text for label in count_labels),
            *_pdf_totals(sheet),
        ]
    )
    last = len(data) - 1
    for i, label in enumerate(count_labels):
        sizes += _size(1 + i, last, label.size)

    table = Table(
        data,
        colWidths=[name_width, *([column_width] * n), *total_widths],
        repeatRows=2,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                *pdf.table_style(header_rows=2, total_row=True),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (1, 0), (n, -1), MARK_PADDING),
                ("RIGHTPADDING", (1, 0), (n, -1), MARK_PADDING),
                ("LINEBEFORE", (1 + n, 0), (1 + n, -1), 0.6, pdf.INK),
                *sizes,
                *spans,
            ]
        )
    )

    story: list[object] = [
        pdf.paragraph(heading, st["title"]),
        pdf.paragraph(_("Attendance sheet"), st["small"]),
        Spacer(1, 4 * mm),
    ]
    if sheet.rows:
        story.append(table)
    else:
        story.append(pdf.paragraph(_("Nobody was accompanied or present this month."), st["small"]))
    story.append(Spacer(1, 3 * mm))
    legend_table = Table(
        [[Dot(mark, 4 * mm), pdf.paragraph(label, st["small"])] for mark, _s, label in legend()],
        colWidths=[5 * mm, 90 * mm],
        hAlign="LEFT",
    )
    legend_table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (0, -1), "CENTER")])
    )
    story.append(legend_table)
    story.append(Spacer(1, 2 * mm))
    figures = []
    if letters:
        figures.append(
            ", ".join(
                f"{part_letter(part)}: {HalfDayPart(part).label.lower()}"
                for part in (HalfDayPart.MORNING, HalfDayPart.AFTERNOON)
            )
        )
    figures += [
        _("Half-days the workshops were open: %(n)s") % {"n": sheet.open_half_days},
        _("Half-days of activity: %(n)s") % {"n": sheet.half_days},
        _("Hours of activity: %(n)s") % {"n": swiss_number(sheet.hours, 1)},
        _("Rate against the pact: %(rate)s (%(attended)s of %(expected)s pact half-days)")
        % {"rate": sheet.rate_text, "attended": sheet.attended, "expected": sheet.expected},
    ]
    if sheet.media:
        figures.append(
            _("By medium: %(list)s")
            % {"list": ", ".join(f"{label} {count}" for label, count in sheet.media)}
        )
    if sheet.is_partial:
        figures.append(_("Counted until %(date)s.") % {"date": swiss_date(sheet.until)})
    story += [pdf.paragraph(line, st["small"]) for line in figures]

    return pdf.build_pdf(
        story,
        title=heading,
        subject=_("Attendance sheet"),
        heading=f"{sheet.programme.name} · {_('Attendance sheet')} · {sheet.title}",
        size=page,
        margin=margin,
    )


def _size(col: int, row: int, size: float) -> list[tuple[object, ...]]:
    """The table commands giving one cell its font size."""
    return [
        ("FONTSIZE", (col, row), (col, row), size),
        ("LEADING", (col, row), (col, row), size + 1),
    ]


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
        canvas.setFillColor(pdf.INK)
        canvas.setStrokeColor(pdf.INK)
        if self.mark == PACT:
            canvas.circle(x, y, r, stroke=0, fill=1)
        elif self.mark == EXTRA:
            canvas.setLineWidth(0.6)
            canvas.circle(x, y, r * 0.9, stroke=1, fill=0)
        elif self.mark == MISSED:
            canvas.circle(x, y, r * 0.3, stroke=0, fill=1)
