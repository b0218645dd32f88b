"""The report as a PDF (A4, title page, contents, page numbers, charts), an XLSX workbook
(one sheet per section, a "read me" sheet) and a CSV per table, through the one document
layer (:mod:`isa.core.documents`)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import PageBreak, Spacer, Table

from isa.core.documents import pdf
from isa.core.documents.formats import fictional_mark, is_fictional, swiss_date, swiss_number
from isa.core.documents.spreadsheets import Workbook, csv_bytes
from isa.reports import present
from isa.reports.costbenefit import proxy_lines
from isa.reports.present import Cell, Section, TableView

HIDDEN_MARK = "hidden"
#: The name of the proxies' CSV beside the report's tables.
PROXIES_TABLE = "proxies"


def title_of(figures: dict[str, Any]) -> str:
    names = ", ".join(p["name"] for p in figures["programmes"])
    period = figures["period"]
    from datetime import date

    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        when = str(start.year)
    else:
        when = f"{swiss_date(start)}–{swiss_date(end)}"
    return _("%(names)s · activity and effects report %(when)s") % {"names": names, "when": when}


def data_date(figures: dict[str, Any]) -> str:
    from datetime import date

    return swiss_date(date.fromisoformat(figures["data_date"]))


def filename_stem(figures: dict[str, Any], number: int | None) -> str:
    period = figures["period"]
    stem = f"isa-report-{period['start']}-{period['end']}-{figures['language']}"
    return f"{stem}-v{number}" if number else f"{stem}-internal"


# -- PDF ---------------------------------------------------------------------------------------


def facts_header(section: Section) -> list[str]:
    """The header of a section's facts: the previous period first, then this one
    (chronological, as every table with both periods), or this period alone."""
    if section.has_previous:
        return [_("Figure"), _("Previous period"), _("This period")]
    return [_("Figure"), _("This period")]


def fact_cells(fact: present.Fact, header: list[str]) -> list[present.Cell]:
    """A fact's cells in the order of ``header`` (from :func:`facts_header`)."""
    if len(header) == 3:
        return [fact.previous or present.Cell(""), fact.current]
    return [fact.current]


def _heading(text: str, style: Any, level: int) -> Any:
    return pdf.heading(text, style, level)


def _bar_chart(view: TableView, width: float = 160 * mm) -> Drawing | None:
    """A bar per row beside its label; a long label wraps onto more lines (never cut)."""
    bars = [(label, value) for label, value in view.bars if value is not None]
    if not bars or max(v for _l, v in bars) <= 0:
        return None
    top = max(v for _l, v in bars)
    size, leading = 7, 8.5
    label_width = 55 * mm
    labels = [
        simpleSplit(label, pdf.FONT, size, label_width - 3 * mm) or [""] for label, _v in bars
    ]
    heights = [max(5 * mm, len(lines) * leading + 2.2 * mm) for lines in labels]
    drawing = Drawing(width, sum(heights) + 2 * mm)
    y = drawing.height
    for (_label, value), lines, height in zip(bars, labels, heights, strict=True):
        y -= height
        top_line = y + height - 1.2 * mm - size
        for n, line in enumerate(lines):
            drawing.add(String(0, top_line - n * leading, line, fontName=pdf.FONT, fontSize=size))
        length = (width - label_width - 15 * mm) * value / top
        bar_y = top_line - 0.7 * mm
        drawing.add(
            Rect(
                label_width,
                bar_y,
                length,
                5 * mm - 1.5 * mm,
                fillColor=pdf.WARM,
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                label_width + length + 2,
                top_line,
                swiss_number(value),
                fontName=pdf.FONT,
                fontSize=size,
            )
        )
    return drawing


def _table(view: TableView, style: dict[str, Any], widths: list[float] | None = None) -> list[Any]:
    title = ParagraphStyle("table-title", parent=style["accent"], keepWithNext=1)
    story: list[Any] = [pdf.paragraph(view.title, title)]
    rows = [[pdf.paragraph(h, style["cell_header"]) for h in view.header]]
    for cells in [*view.rows, *([view.total] if view.total else [])]:
        rows.append([pdf.paragraph(c.text, style["cell"]) for c in cells])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style(total_row=view.total is not None))
    story.append(table)
    if view.note:
        story.append(Spacer(1, 1.5 * mm))
        story.append(pdf.paragraph(view.note, style["small"]))
    chart = _bar_chart(view)
    if chart is not None:
        story.append(Spacer(1, 2 * mm))
        story.append(chart)
    story.append(Spacer(1, 5 * mm))
    return story


def _section(section: Section, style: dict[str, Any], level: int = 0) -> list[Any]:
    story: list[Any] = [
        _heading(section.title, style["title"] if level == 0 else style["accent"], level)
    ]
    for text in section.paragraphs:
        story.append(pdf.paragraph(text, style["text"]))
        story.append(Spacer(1, 3))
    if section.facts:
        header = facts_header(section)
        rows = [[pdf.paragraph(h, style["cell_header"]) for h in header]]
        for fact in section.facts:
            rows.append(
                [pdf.paragraph(fact.label, style["cell"])]
                + [pdf.paragraph(c.text, style["cell"]) for c in fact_cells(fact, header)]
            )
        table = Table(rows, colWidths=[90 * mm] + [40 * mm] * (len(header) - 1), hAlign="LEFT")
        table.setStyle(pdf.table_style())
        story += [table, Spacer(1, 5 * mm)]
    for view in section.tables:
        story += _table(view, style)
    for sub in section.subsections:
        story += _section(sub, style, level + 1)
    return story


def report_pdf(figures: dict[str, Any], *, number: int | None) -> bytes:
    with translation.override(figures["language"]):
        style = pdf.styles()
        title = title_of(figures)
        story: list[Any] = [
            Spacer(1, 40 * mm),
            pdf.paragraph(_("Report to the funders"), style["kicker"]),
            pdf.paragraph(title, style["cover"]),
            pdf.paragraph(_version_line(figures, number), style["cover_line"]),
            pdf.paragraph(
                _("Data as of %(date)s · small numbers (fewer than %(k)d people) are not shown.")
                % {"date": data_date(figures), "k": figures["k"]}
                if figures["protected"]
                else _("Internal version for the team: every number is shown. Not for funders."),
                style["facts"],
            ),
        ]
        if is_fictional():
            story.append(pdf.paragraph(fictional_mark(), style["accent"]))
        story.append(PageBreak())
        toc = pdf.contents([style["text"], style["small"]])
        story += [pdf.paragraph(_("Contents"), style["title"]), toc, PageBreak()]
        texts = figures.get("texts", {})
        if texts.get("foreword") or texts.get("highlights"):
            story.append(_heading(_("Foreword"), style["title"], 0))
            story += pdf.paragraphs(texts.get("foreword", ""), style["text"])
            if texts.get("highlights"):
                story.append(pdf.paragraph(_("Highlights"), style["accent"]))
                story += pdf.paragraphs(texts["highlights"], style["text"])
        if figures.get("empty"):
            story.append(
                pdf.paragraph(_("No activity was recorded in this period."), style["text"])
            )
        for section in present.sections(figures):
            story += _section(section, style)
        story += _section(present.appendix(figures), style)
        proxies = proxies_view(figures)
        if proxies is not None:
            # the source is the long text: it gets the room
            story += _table(proxies, style, [36 * mm, 24 * mm, 30 * mm, 12 * mm, 68 * mm])
        return pdf.build_pdf(
            story,
            title=title,
            subject=_("Report to the funders"),
            heading=title,
            cover=True,
            contents=True,
        )


def _version_line(figures: dict[str, Any], number: int | None) -> str:
    if len(figures["programmes"]) > 1:
        return _("Combined report of %(n)d programmes") % {"n": len(figures["programmes"])}
    if number:
        return _("Version %(n)d") % {"n": number}
    return _("Preview, not published")


# -- XLSX and CSV ------------------------------------------------------------------------------


def _number_or_mark(cell: present.Cell) -> Any:
    """A number as a number, rounded as the page shows it; a hidden one as its mark."""
    if cell.hidden:
        return cell.text  # "< 5": text, marked
    return cell.number if cell.number is not None else cell.text


def _sheet_row(sheet: Any, label: str, cells: list[present.Cell], *, total: bool = False) -> None:
    """A row of a workbook: the label, then each number in its number format."""
    sheet.row(
        [label, *(_number_or_mark(c) for c in cells)],
        total=total,
        formats=["", *(c.number_format for c in cells)],
    )


def report_xlsx(figures: dict[str, Any], *, number: int | None) -> bytes:
    with translation.override(figures["language"]):
        book = Workbook(title=title_of(figures))
        readme = book.sheet(_("Read me"))
        readme.title(title_of(figures))
        readme.line(_version_line(figures, number))
        readme.line(_("Data as of %(date)s.") % {"date": data_date(figures)})
        readme.line(
            _(
                "Cells marked “< %(k)d” are hidden: fewer than %(k)d people, or a cell that would "
                "let one be recomputed."
            )
            % {"k": figures["k"]}
        )
        readme.line()
        readme.header([_("Term"), _("Definition")])
        for term, definition in definitions():
            readme.row([term, definition])
        for section in [*present.sections(figures), present.appendix(figures)]:
            sheet = book.sheet(section.title)
            sheet.title(section.title)
            for text in section.paragraphs:
                sheet.line(text)
            _sheet_section(sheet, section)
        proxies = book.sheet(_("Proxies"))
        proxies.header([_("Proxy"), _("Value"), _("Unit"), _("Year"), _("Source")])
        for line in proxy_lines(figures):
            proxies.row([line.label, line.value, line.unit, line.year, line.source])
        return book.to_bytes()


def _sheet_section(sheet: Any, section: Section) -> None:
    if section.facts:
        sheet.line()
        header = facts_header(section)
        sheet.header(header)
        for fact in section.facts:
            _sheet_row(sheet, fact.label, fact_cells(fact, header))
    for view in section.tables:
        sheet.line()
        sheet.line(view.title)
        sheet.header(view.header)
        for cells in view.rows:
            _sheet_row(sheet, cells[0].text, cells[1:])
        if view.total:
            _sheet_row(sheet, view.total[0].text, view.total[1:], total=True)
        if view.note:
            sheet.line(view.note)
    for sub in section.subsections:
        sheet.line()
        sheet.line(sub.title)
        for text in sub.paragraphs:
            sheet.line(text)
        _sheet_section(sheet, sub)


def proxies_view(figures: dict[str, Any]) -> TableView | None:
    """The proxies the report used, in words, as a table of the PDF and a CSV."""
    lines = proxy_lines(figures)
    if not lines:
        return None
    return TableView(
        key=PROXIES_TABLE,
        title=_("Proxies used"),
        note="",
        header=[_("Proxy"), _("Value"), _("Unit"), _("Year"), _("Source")],
        rows=[
            [
                Cell(line.label),
                Cell(line.amount, line.value),
                Cell(line.per),
                Cell(str(line.year), line.year),
                Cell(line.source),
            ]
            for line in lines
        ],
    )


def table_csv(figures: dict[str, Any], key: str) -> bytes:
    """One table of the report as CSV, in the report's language (``proxies``: the proxies)."""
    with translation.override(figures["language"]):
        return _table_csv(figures, key)


def _table_csv(figures: dict[str, Any], key: str) -> bytes:
    if key == PROXIES_TABLE:
        return csv_bytes(
            [
                [_("Proxy"), _("Value"), _("Unit"), _("Year"), _("Source")],
                *(
                    [line.label, line.value, line.unit, line.year, line.source]
                    for line in proxy_lines(figures)
                ),
            ]
        )
    view = present.table_view(figures["tables"][key], figures["k"], figures["language"])
    rows: list[list[Any]] = [view.header]
    for cells in [*view.rows, *([view.total] if view.total else [])]:
        rows.append([cells[0].text, *(_number_or_mark(c) for c in cells[1:])])
    return csv_bytes(rows)


def definitions() -> list[tuple[str, str]]:
    return [
        (
            _("Accompanied in a period"),
            _(
                "A person with a stay (admission to exit, pauses included) that "
                "overlaps the period."
            ),
        ),
        (
            _("Admission, return"),
            _("A first stay begins (admission), or a new stay after an exit (return)."),
        ),
        (
            _("Time accompanied"),
            _(
                "Sum of the days of the person's stays up to the end of the period, "
                "pauses excluded; shown as quartiles, never as a target."
            ),
        ),
        (_("Waiting list"), _("Referrals received and not yet answered on that day.")),
        (
            _("Waiting days"),
            _("From the referral to the admission, for the admissions and returns of the period."),
        ),
        (
            _("Presence rate against the pact"),
            _(
                "Presence half-days over the pact's half-days that were held and have "
                "ended, per person; the group figure is the median of the persons' "
                "rates."
            ),
        ),
        (_("Half-days held"), _("Half-days on which at least one workshop took place.")),
        (
            _("Reliable change"),
            _(
                "A change too large to come from the questionnaire's measurement error "
                "alone (reliable change index, Jacobson & Truax 1991), or at least the "
                "minimal important change."
            ),
        ),
        (
            _("Declined"),
            _(
                "A person said no to a questionnaire that day: a respected answer, "
                "counted, not missing data."
            ),
        ),
        (
            _("Health costs per person-year"),
            _(
                "Sum of the costs over the years covered, for the 12 months before "
                "entry and the latest 12 months; only people whose health-data consent "
                "is in force when the report is built."
            ),
        ),
        (
            _("Small numbers"),
            _(
                "A count of 1 to 4 people (below the minimum cell size) is not shown, "
                "nor any figure that would let it be recomputed; zeros are shown."
            ),
        ),
        (
            _("Cost–benefit ratio"),
            _(
                "Value of the outcomes (quantity × proxy × (1 − deadweight) × (1 − "
                "attribution)) over the programme's budget for the period."
            ),
        ),
    ]
