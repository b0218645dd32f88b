"""The report's figures laid out for reading: sections, facts and tables, each number with
its text ("< 5" when hidden).  One layout for every format (HTML, PDF, XLSX, CSV), so a
figure reads the same everywhere.

The layout is written in the report's own language (chosen at drafting, stored with the
figures), whatever the reader's interface language: :func:`sections`, :func:`appendix` and
:func:`table_view` switch to it themselves (:func:`report_language`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from isa.core.documents.formats import swiss_number
from isa.evaluation.results import signed_percent


@contextmanager
def report_language(figures: dict[str, Any]) -> Iterator[str]:
    """Within: the report's language (French for figures that do not say)."""
    language = str(figures.get("language") or "fr")
    with translation.override(language):
        yield language


@dataclass
class Cell:
    """A number as shown: ``text`` for reading, ``number`` rounded as the text shows it (for
    a workbook), ``number_format`` the spreadsheet format that shows it the same way."""

    text: str
    number: float | int | None = None
    hidden: bool = False
    number_format: str = ""


def rounded(value: float | int, decimals: int) -> float | int:
    """``value`` rounded half up (as :func:`swiss_number` rounds), an int for no decimals."""
    quantum = Decimal(1).scaleb(-decimals)
    result = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(result) if decimals == 0 else float(result)


def number_format(decimals: int, unit: str = "", prefix: str = "") -> str:
    """A spreadsheet number format: thousands grouped, ``decimals`` decimals, the unit."""
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    quote = '"'
    before = f"{quote}{prefix} {quote}" if prefix else ""
    after = f"{quote} {unit.replace(quote, '')}{quote}" if unit else ""
    return f"{before}{body}{after}"


@dataclass
class TableView:
    key: str
    title: str
    note: str
    header: list[str]
    rows: list[list[Cell]]  # first cell: the row's label
    total: list[Cell] | None = None
    bars: list[tuple[str, float | None]] = field(default_factory=list)  # for a chart
    chart: str = ""  # the SVG of the page (filled by the view)
    bars_label: str = ""  # the column the bars show


@dataclass
class Fact:
    label: str
    current: Cell
    previous: Cell | None = None


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        """Whether its facts show the previous period beside this one."""
        return any(f.previous is not None for f in self.facts)


def hidden_text(k: int) -> str:
    return f"< {k}"


def count_cell(value: int | None, k: int) -> Cell:
    if value is None:
        return Cell(hidden_text(k), None, True)
    return Cell(swiss_number(value), value, number_format="#,##0")


def stat_cell(stat: dict[str, Any], k: int, *, previous: bool = False) -> Cell:
    hidden = stat["previous_hidden"] if previous else stat["hidden"]
    value = stat["previous"] if previous else stat["value"]
    if hidden:
        return Cell(_("not shown (fewer than %(k)d people)") % {"k": k}, None, True)
    if value is None:
        return Cell("—")
    unit = stat.get("unit", "")
    if unit == "%":
        if stat["key"].startswith("costs_"):
            return Cell(signed_percent(value), rounded(value, 2), number_format="+0%;-0%;0%")
        return Cell(f"{swiss_number(100 * value)}\u00a0%", rounded(value, 2), number_format="0%")
    decimals = 0 if float(value).is_integer() else (2 if abs(value) < 10 else 1)
    text = swiss_number(value, decimals)
    return Cell(
        f"{text} {unit}".strip(),
        rounded(value, decimals),
        number_format=number_format(decimals, unit),
    )


def chf_cell(value: float | int) -> Cell:
    return Cell(
        f"CHF {swiss_number(value)}",
        rounded(value, 0),
        number_format=number_format(0, prefix="CHF"),
    )


def table_view(data: dict[str, Any], k: int, language: str | None = None) -> TableView:
    """One table of counts laid out, in ``language`` (the report's) when given."""
    if language is not None:
        with translation.override(language):
            return table_view(data, k)
    header = ["", *data["column_labels"]]
    with_row_totals = data["row_totals"] is not None
    if with_row_totals:
        header.append(_("Total"))
    rows = []
    for i, label in enumerate(data["row_labels"]):
        cells = [Cell(label), *(count_cell(v, k) for v in data["cells"][i])]
        if with_row_totals:
            cells.append(count_cell(data["row_totals"][i], k))
        rows.append(cells)
    total = None
    if data["column_totals"] is not None:
        total = [Cell(_("Total")), *(count_cell(v, k) for v in data["column_totals"])]
        if with_row_totals:
            total.append(count_cell(data["total"], k))
    last = len(data["column_labels"]) - 1
    bars = [(label, data["cells"][i][last]) for i, label in enumerate(data["row_labels"])]
    return TableView(
        data["key"],
        data["title"],
        data["note"],
        header,
        rows,
        total,
        bars,
        bars_label=data["column_labels"][last] if data["column_labels"] else "",
    )


def sections(figures: dict[str, Any]) -> list[Section]:
    """The report's sections, in the report's language."""
    with report_language(figures):
        return _sections(figures)


def _with_previous(figures: dict[str, Any]) -> bool:
    """Whether the effects and health figures carry the previous period (from schema 2;
    versions published before keep their single column)."""
    return int(figures.get("schema", 1)) >= 2


def _facts(stats: list[dict[str, Any]], k: int, *, previous: bool) -> list[Fact]:
    return [
        Fact(s["label"], stat_cell(s, k), stat_cell(s, k, previous=True) if previous else None)
        for s in stats
    ]


def _sections(figures: dict[str, Any]) -> list[Section]:
    k = figures["k"]
    tables = figures["tables"]
    both = _with_previous(figures)
    result = []

    activity = Section("activity", _("Activity"))
    activity.facts = _facts(figures["activity"]["stats"], k, previous=True)
    activity.tables = [table_view(tables[key], k) for key in figures["activity"]["tables"]]
    activity.paragraphs.append(
        _(
            "Time accompanied is described as a distribution, never as a target: the "
            "accompaniment has no planned end."
        )
    )
    result.append(activity)

    effects = Section("effects", _("Effects for the persons"))
    if not figures["effects"]["questionnaires"]:
        effects.paragraphs.append(_("No questionnaire was answered twice in this period."))
    for q in figures["effects"]["questionnaires"]:
        sub = Section(q["key"], q["title"], paragraphs=[q["summary"]])
        sub.facts = _facts(q.get("stats", []), k, previous=both)
        sub.tables = [table_view(tables[key], k) for key in q["tables"]]
        effects.subsections.append(sub)
    effects.tables = [table_view(tables[key], k) for key in figures["effects"]["grid"]]
    effects.paragraphs.append(
        _(
            "The effects grid is filled in from two points of view, the participant's and the "
            "professional's, kept apart; the two perverse effects are shown beside the gains."
        )
    )
    result.append(effects)

    health = Section("health", _("Health"), paragraphs=[figures["health"]["consent_note"]])
    if figures["health"]["caution"]:
        health.paragraphs.append(figures["health"]["caution"])
    health.facts = _facts(figures["health"]["stats"], k, previous=both)
    health.tables = [table_view(tables[key], k) for key in figures["health"]["tables"]]
    result.append(health)

    cb = figures.get("cost_benefit") or {}
    society = Section("society", _("Effects for society and cost–benefit"))
    if cb.get("hidden"):
        society.paragraphs.append(
            _("Too few people have health figures to value anything (fewer than %(k)d).") % {"k": k}
        )
    elif cb.get("outcomes"):
        society.facts = [
            Fact(
                f"{o['label']} ({swiss_number(o['quantity'], 1)} {o['unit']})",
                chf_cell(o["value"]),
            )
            for o in cb["outcomes"]
        ]
        society.facts.append(
            Fact(_("Investment (the programme's budget)"), chf_cell(cb["investment"]))
        )
        if cb.get("ratio"):
            for case, label in (
                ("low", _("Ratio, low case")),
                ("central", _("Ratio, central case")),
                ("high", _("Ratio, high case")),
            ):
                value = cb["ratio"][case]
                society.facts.append(
                    Fact(
                        label,
                        Cell(swiss_number(value, 2), rounded(value, 2), number_format="0.00"),
                    )
                )
    else:
        society.paragraphs.append(_("No health figures before and after: nothing is valued."))
    if cb.get("assumptions"):
        society.paragraphs.append(
            _(
                "Each programme is valued with its own deadweight and attribution to others: "
                "those of its published report for the period, else the default."
            )
        )
        if all("clinic_day" in row for row in cb["assumptions"]):
            society.paragraphs.append(
                _(
                    "Its hospital days avoided are valued with its organisation's values of a "
                    "psychiatric clinic day and of the canton's share."
                )
            )
        society.tables.append(assumptions_view(cb["assumptions"]))
    elif cb:
        society.paragraphs.append(
            _("Deadweight %(dw)s %% and attribution to others %(at)s %%, as set by the head.")
            % {
                "dw": swiss_number(100 * cb["deadweight"]),
                "at": swiss_number(100 * cb["attribution"]),
            }
        )
    if cb:
        texts = figures.get("texts", {})
        for key in ("deadweight_reason", "attribution_reason"):
            if texts.get(key):
                society.paragraphs.append(texts[key])
        society.paragraphs.append(cb["limits"])
    result.append(society)
    return result


def assumptions_view(rows: list[dict[str, Any]]) -> TableView:
    """The assumptions used per programme in a combined report, and where they come from."""
    from datetime import date

    from isa.core.documents.formats import swiss_date

    def percent(value: float) -> Cell:
        return Cell(f"{swiss_number(100 * value)}\u00a0%", value)

    def source(row: dict[str, Any]) -> str:
        if row["published_on"]:
            return _("published report of %(date)s") % {
                "date": swiss_date(date.fromisoformat(row["published_on"]))
            }
        return _("default (no published report for the period)")

    from isa.core.documents.formats import chf
    from isa.reports.costbenefit import CANTON_SHARE, CLINIC_DAY, proxy_label

    # The two proxies that value the days avoided, as each programme's organisation sets
    # them (not in the rows of combined reports computed before they were kept per programme).
    valued = all("clinic_day" in row for row in rows)
    header = [_("Programme"), _("Deadweight"), _("Attribution to others"), _("Source")]
    if valued:
        header[3:3] = [proxy_label(CLINIC_DAY), proxy_label(CANTON_SHARE)]

    def line(row: dict[str, Any]) -> list[Cell]:
        cells = [Cell(row["programme"]), percent(row["deadweight"]), percent(row["attribution"])]
        if valued:
            own = " *" if row.get("own_values") else ""
            cells += [Cell(f"{chf(row['clinic_day'])}{own}", row["clinic_day"])]
            cells += [percent(row["canton_share"])]
        return [*cells, Cell(source(row))]

    return TableView(
        key="assumptions",
        title=_("Assumptions used per programme"),
        note=_("* the organisation's own value of a proxy; the others are the shipped ones.")
        if valued and any(row.get("own_values") for row in rows)
        else "",
        header=header,
        rows=[line(row) for row in rows],
    )


def appendix(figures: dict[str, Any]) -> Section:
    """The statistics for each questionnaire, for a reader who is not a statistician, in
    the report's language."""
    with report_language(figures):
        return _appendix(figures)


def _appendix(figures: dict[str, Any]) -> Section:
    k = figures["k"]
    section = Section(
        "appendix",
        _("Appendix: the statistics"),
        paragraphs=[
            _(
                "For each questionnaire, the first and the latest answer of each person who "
                "answered twice are compared. The Wilcoxon signed-rank test asks whether the "
                "changes lean to one side more than chance would make them; it is computed "
                "exactly, as suits a small group. The bootstrap interval gives a range of "
                "plausible values for the median change. The effect size (rank-biserial "
                "correlation, from −1 to 1) tells how one-sided the changes are. None of "
                "these can show that the workshops caused a change: there is no comparison "
                "group."
            )
        ],
    )
    for q in figures["effects"]["questionnaires"]:
        sub = Section(q["key"], q["title"], paragraphs=[q["caution"]])
        sub.facts = [Fact(s["label"], stat_cell(s, k)) for s in q["appendix"]]
        section.subsections.append(sub)
    return section


def proxies_table(figures: dict[str, Any]) -> list[list[str]]:
    """The proxies used, in words, in the report's language (costbenefit.proxy_lines)."""
    from isa.reports.costbenefit import proxy_lines

    return [
        [line.label, line.amount, line.per, str(line.year), line.source]
        for line in proxy_lines(figures)
    ]
