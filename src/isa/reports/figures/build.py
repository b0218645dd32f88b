"""The report's figures, as one JSON-serialisable dict: built from the lower apps' data for
one or several programmes and a period, in one language, internal (every number) or
protected (small cells hidden, :mod:`isa.reports.disclosure`).

A published version stores the protected dict with its parameters; :func:`report_build`
with the same parameters rebuilds it from the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from importlib import metadata
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from isa.core.models import Programme
from isa.evaluation.effects import CHANGE_SCALE, PRESENCE_SCALE
from isa.evaluation.models import Perspective
from isa.evaluation.results import (
    InstrumentGroup,
    group_of,
    rci_label,
    wilcoxon_method_label,
)
from isa.people.models import ExitReason
from isa.reports import costbenefit, disclosure
from isa.reports.disclosure import Link, Table
from isa.reports.figures import effects as fx
from isa.reports.figures.activity import Activity, activity, medium_labels, quartiles
from isa.reports.figures.period import Period

#: 2: the effects (questionnaires) and health figures carry the previous period too.
SCHEMA = 2
MONTH_DAYS = 30.4375


def code_version() -> str:
    try:
        return metadata.version("isa")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed
        return "unknown"


def _stat(
    key: str,
    label: str,
    value: float | None,
    n: int | None,
    *,
    unit: str = "",
    protected: bool,
    k: int,
    previous: float | None = None,
    previous_n: int | None = None,
) -> dict[str, Any]:
    """A figure computed on ``n`` people (None: not about people, never hidden); the
    previous period's beside it, computed on ``previous_n`` people.  Hidden below K people
    by the one rule of :mod:`isa.reports.disclosure`."""
    hidden = protected and n is not None and disclosure.is_sensitive(n, k)
    previous_hidden = (
        protected and previous_n is not None and disclosure.is_sensitive(previous_n, k)
    )
    return {
        "key": key,
        "label": label,
        "value": None if hidden else value,
        "n": None if (hidden or n is None) else n,
        "hidden": hidden,
        "unit": unit,
        "previous": None if previous_hidden else previous,
        "previous_hidden": previous_hidden,
    }


# -- tables ------------------------------------------------------------------------------------


def _activity_tables(current: Activity, previous: Activity) -> tuple[list[Table], list[Link]]:
    columns = [_("Previous period"), _("This period")]
    headline = Table(
        "people",
        _("People accompanied, arrivals and departures"),
        [
            _("People accompanied"),
            _("Admissions"),
            _("Returns"),
            _("People who took a pause"),
            _("Exits"),
            _("Referrals received"),
            _("Waiting list at the start"),
            _("Waiting list at the end"),
        ],
        columns,
        [
            [len(a.accompanied) for a in (previous, current)],
            [a.admissions for a in (previous, current)],
            [a.returns for a in (previous, current)],
            [a.paused for a in (previous, current)],
            [sum(a.exits.values()) for a in (previous, current)],
            [sum(a.referrals.values()) for a in (previous, current)],
            [a.waiting_start for a in (previous, current)],
            [a.waiting_end for a in (previous, current)],
        ],
        column_totals=False,
        note=_(
            "A person is accompanied in a period when one of their stays (admission to exit, "
            "pauses included) overlaps it. A return is a new stay after an exit."
        ),
    )
    reasons = list(ExitReason)
    exits = Table(
        "exits",
        _("Exits by reason"),
        [str(r.label) for r in reasons],
        columns,
        [[a.exits.get(r.value, 0) for a in (previous, current)] for r in reasons],
        note=_("Return to employment is one reason among others, never a target."),
    )
    services = sorted(set(current.referrals) | set(previous.referrals))
    referrals = Table(
        "referrals",
        _("Referrals by service"),
        services,
        columns,
        [[a.referrals.get(s, 0) for a in (previous, current)] for s in services],
    )
    bands = Table(
        "presence_rates",
        _("People by presence rate against the pact"),
        [_("below 50 %"), _("50 % to 80 %"), _("at least 80 %")],
        columns,
        [[a.rate_bands[i] for a in (previous, current)] for i in range(3)],
        note=_(
            "Presence half-days over the pact's half-days that were held, per person; the "
            "group figure is the median of the persons' rates, never a pooled ratio."
        ),
    )
    media_ids = set(current.media_half_days) | set(previous.media_half_days)
    work_ids = set(current.works) | set(previous.works)
    labels = medium_labels(media_ids | work_ids)
    unnamed = _("Medium not noted")
    media_order = sorted(media_ids, key=lambda m: (m is None, labels.get(m, unnamed)))
    media = Table(
        "media",
        _("Half-days of presence by medium"),
        [labels.get(m, unnamed) for m in media_order],
        columns,
        [[a.media_half_days.get(m, 0) for a in (previous, current)] for m in media_order],
    )
    works_order = sorted(work_ids, key=lambda m: labels.get(m, unnamed))
    works = Table(
        "works",
        _("Works by medium"),
        [labels.get(m, unnamed) for m in works_order],
        columns,
        [[a.works.get(m, 0) for a in (previous, current)] for m in works_order],
    )
    links = [Link(("people", ("cell", 4, j)), ("exits", ("column_total", j))) for j in (0, 1)] + [
        Link(("people", ("cell", 5, j)), ("referrals", ("column_total", j))) for j in (0, 1)
    ]
    return [headline, exits, referrals, bands, media, works], links


def _activity_stats(
    current: Activity, previous: Activity, *, protected: bool, k: int
) -> list[dict[str, Any]]:
    def q(values: list[float], index: int) -> float | None:
        found = quartiles(values)
        return None if found is None else round(found[index], 3)

    months = [d / MONTH_DAYS for d in current.days_accompanied]
    months_before = [d / MONTH_DAYS for d in previous.days_accompanied]
    stats = []
    for index, label in (
        (0, _("Time accompanied, first quartile")),
        (1, _("Time accompanied, median")),
        (2, _("Time accompanied, third quartile")),
    ):
        stats.append(
            _stat(
                f"months_q{index + 1}",
                label,
                q(months, index),
                len(months),
                unit=_("months"),
                protected=protected,
                k=k,
                previous=q(months_before, index),
                previous_n=len(months_before),
            )
        )
    stats += [
        _stat(
            "waiting_days_median",
            _("Median waiting days (referral to admission)"),
            q([float(d) for d in current.waiting_days], 1),
            len(current.waiting_days),
            unit=_("days"),
            protected=protected,
            k=k,
            previous=q([float(d) for d in previous.waiting_days], 1),
            previous_n=len(previous.waiting_days),
        ),
        _stat(
            "half_days_held",
            _("Half-days the workshops were open"),
            current.half_days_held,
            None,
            protected=protected,
            k=k,
            previous=previous.half_days_held,
        ),
        _stat(
            "presence_half_days",
            _("Half-days of presence"),
            current.presence_half_days,
            len(current.accompanied),
            protected=protected,
            k=k,
            previous=previous.presence_half_days,
            previous_n=len(previous.accompanied),
        ),
        _stat(
            "hours",
            _("Hours of activity"),
            round(current.hours, 1),
            len(current.accompanied),
            unit=_("hours"),
            protected=protected,
            k=k,
            previous=round(previous.hours, 1),
            previous_n=len(previous.accompanied),
        ),
        _stat(
            "rate_median",
            _("Presence rate against the pact, median of the persons"),
            q(current.rates, 1),
            len(current.rates),
            unit="%",
            protected=protected,
            k=k,
            previous=q(previous.rates, 1),
            previous_n=len(previous.rates),
        ),
        _stat(
            "exhibitions",
            _("Exhibitions"),
            current.exhibitions,
            None,
            protected=protected,
            k=k,
            previous=previous.exhibitions,
        ),
        _stat(
            "visitors",
            _("Visitors to the exhibitions"),
            current.visitors,
            None,
            protected=protected,
            k=k,
            previous=previous.visitors,
        ),
        _stat(
            "press",
            _("Press mentions"),
            current.press,
            None,
            protected=protected,
            k=k,
            previous=previous.press,
        ),
    ]
    return stats


def _questionnaire(
    index: int,
    group: InstrumentGroup,
    before: InstrumentGroup | None,
    *,
    protected: bool,
    k: int,
) -> tuple[dict[str, Any], list[Table], list[Link]]:
    """One questionnaire: the paired changes of the previous period (``before``, None when
    nobody answered it then) beside this period's, and this period's statistics."""
    change = group.change
    earlier = before.change if before is not None else None
    key = f"q{index}"

    def both(current: int, previous: int | None) -> list[int]:
        return [previous or 0, current]

    if group.reliable:
        rows = [_("Feel better in a reliable way"), _("No reliable change"), _("Feel worse")]
    else:
        rows = [_("Better score"), _("Same score"), _("Worse score")]
    table = Table(
        key,
        _("%(title)s: first and latest answers") % {"title": group.instrument.title},
        rows,
        [_("Previous period"), _("This period")],
        [
            both(change.improved, earlier and earlier.improved),
            both(change.unchanged, earlier and earlier.unchanged),
            both(change.deteriorated, earlier and earlier.deteriorated),
        ],
        note=group.threshold_note,
    )
    participation = Table(
        f"{key}_answers",
        _("%(title)s: answers") % {"title": group.instrument.title},
        [_("Answered twice or more"), _("Answered once"), _("Declined (a respected answer)")],
        [_("Previous period"), _("This period")],
        [
            both(change.n, earlier and earlier.n),
            both(group.answered_once, before and before.answered_once),
            both(group.declined, before and before.declined),
        ],
        column_totals=False,
    )
    links = [Link((key, ("column_total", j)), (f"{key}_answers", ("cell", 0, j))) for j in (0, 1)]
    stats = [
        _stat(
            "median_change",
            _("Median change"),
            change.median_change,
            change.n,
            protected=protected,
            k=k,
            previous=earlier.median_change if earlier else None,
            previous_n=earlier.n if earlier else 0,
        ),
    ]
    appendix = [
        _stat(
            "median_before",
            _("Median of the first answers"),
            change.median_before,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "median_after",
            _("Median of the latest answers"),
            change.median_after,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "median_change",
            _("Median change"),
            change.median_change,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "ci_low",
            _("Bootstrap interval (95 %) of the median change, low"),
            change.ci_low,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "ci_high",
            _("Bootstrap interval (95 %) of the median change, high"),
            change.ci_high,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "wilcoxon",
            _("Wilcoxon signed-rank statistic"),
            change.statistic,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "p_value",
            _("p-value (%(method)s)") % {"method": wilcoxon_method_label(change.method)},
            change.p_value,
            change.n,
            protected=protected,
            k=k,
        ),
        _stat(
            "effect_size",
            _("Effect size (matched-pairs rank-biserial correlation)"),
            change.rank_biserial,
            change.n,
            protected=protected,
            k=k,
        ),
    ]
    data = {
        "key": key,
        "title": str(group.instrument.title),
        "higher_is_better": group.score.higher_is_better,
        "reliable": group.reliable,
        "caution": _small_caution(k) if protected and 0 < change.n < k else change.caution,
        "unprotected_summary": group.summary,
        "appendix": appendix,
        "stats": stats,
        "labels": {
            "improved": rci_label("improved"),
            "unchanged": rci_label("no_reliable_change"),
            "deteriorated": rci_label("deteriorated"),
        },
    }
    return data, [table, participation], links


def _grid_tables(grids: dict[str, fx.GridCounts]) -> list[Table]:
    tables = []
    views = {
        Perspective.PARTICIPANT: _("the participants' view"),
        Perspective.PROFESSIONAL: _("the professionals' view"),
    }
    for perspective, counts in grids.items():
        view = views[Perspective(perspective)]
        tables.append(
            Table(
                f"grid_{perspective}",
                _("Effects grid, %(view)s: gains") % {"view": view},
                [str(e.label) for e in fx.gains()],
                [str(label) for _level, label in CHANGE_SCALE],
                [counts.levels[e.code] for e in fx.gains()],
                row_totals=True,
                column_totals=False,
            )
        )
        tables.append(
            Table(
                f"perverse_{perspective}",
                _("Effects grid, %(view)s: perverse effects") % {"view": view},
                [str(e.label) for e in fx.perverse()],
                [str(label) for _level, label in PRESENCE_SCALE],
                [counts.levels[e.code] for e in fx.perverse()],
                row_totals=True,
                column_totals=False,
                note=_("The perverse effects are recorded with the same care as the gains."),
            )
        )
    return tables


def _health_values(group: Any) -> dict[str, tuple[float | None, int]]:
    """Each health figure of a group and the number of people it is computed on."""
    costs = group.costs
    cost_n = group.cost_people
    per_person_before = costs.total_before / cost_n if costs and cost_n else None
    per_person_after = costs.total_after / cost_n if costs and cost_n else None
    return {
        "health_people": (group.people, group.people),
        "costs_before": (
            None if per_person_before is None else round(per_person_before, 2),
            cost_n,
        ),
        "costs_after": (
            None if per_person_after is None else round(per_person_after, 2),
            cost_n,
        ),
        "costs_change": (costs.relative_change if costs else None, cost_n),
        "costs_ci_low": (costs.ci_low if costs else None, cost_n),
        "costs_ci_high": (costs.ci_high if costs else None, cost_n),
        "hospital_before": (round(group.hospital_before, 1), group.hospital_people),
        "hospital_after": (round(group.hospital_after, 1), group.hospital_people),
        "emergency_before": (round(group.emergency_before, 1), group.emergency_people),
        "emergency_after": (round(group.emergency_after, 1), group.emergency_people),
    }


def _health(
    group: Any, before: Any, *, protected: bool, k: int
) -> tuple[list[dict[str, Any]], list[Table]]:
    """The health figures of this period, the previous period's (``before``) beside them:
    each hidden on its own below K people."""
    current = _health_values(group)
    previous = _health_values(before)
    labels = {
        "health_people": (_("People with health figures before and after"), ""),
        "costs_before": (_("Health costs per person-year, 12 months before entry"), "CHF"),
        "costs_after": (_("Health costs per person-year, latest 12 months"), "CHF"),
        "costs_change": (_("Change of the health costs"), "%"),
        "costs_ci_low": (_("Bootstrap interval (95 %) of the change, low"), "%"),
        "costs_ci_high": (_("Bootstrap interval (95 %) of the change, high"), "%"),
        "hospital_before": (_("Psychiatric hospital days per year, before"), ""),
        "hospital_after": (_("Psychiatric hospital days per year, latest"), ""),
        "emergency_before": (_("Emergency visits per year, before"), ""),
        "emergency_after": (_("Emergency visits per year, latest"), ""),
    }
    stats = [
        _stat(
            key,
            label,
            current[key][0],
            current[key][1],
            unit=unit,
            protected=protected,
            k=k,
            previous=previous[key][0],
            previous_n=previous[key][1],
        )
        for key, (label, unit) in labels.items()
    ]
    medications = group.medications
    table = Table(
        "medications",
        _("Medication changes by class"),
        [str(m["label"]) for m in medications],
        [str(label) for label, _count, _share in (medications[0]["counts"] if medications else [])]
        or [_("Stopped"), _("Reduced"), _("Same"), _("Increased")],
        [[count for _label, count, _share in m["counts"]] for m in medications],
        row_totals=True,
        column_totals=False,
    )
    return stats, [table]


# -- the report --------------------------------------------------------------------------------


def _parts(
    group: list[Programme],
    assumptions: Sequence[costbenefit.Assumption],
    accompanied: set[int],
    built_on: date,
    proxies: dict[int, dict[str, costbenefit.Proxy]],
) -> list[tuple[Any, Decimal, Decimal, dict[str, costbenefit.Proxy]]]:
    """Each programme's health group with its own assumptions and its organisation's proxies
    (none without assumptions)."""
    if not assumptions:
        return []
    chosen = {a.programme_id: a for a in assumptions}
    groups = fx.health_by_programme([p.pk for p in group], accompanied, built_on)
    return [
        (
            groups[p.pk],
            chosen[p.pk].deadweight if p.pk in chosen else costbenefit.DEFAULT_ADJUSTMENT,
            chosen[p.pk].attribution if p.pk in chosen else costbenefit.DEFAULT_ADJUSTMENT,
            proxies[p.organisation_id],
        )
        for p in group
    ]


def report_build(
    programmes: Programme | Sequence[Programme],
    period: Period,
    language: str = "fr",
    *,
    protected: bool = True,
    built_on: date | None = None,
    k: int | None = None,
    deadweight: Decimal = Decimal("0.3"),
    attribution: Decimal = Decimal("0.3"),
    assumptions: Sequence[costbenefit.Assumption] = (),
) -> dict[str, Any]:
    """The figures of the report.  ``built_on``: the day whose health consents count (the
    day of the build; a rebuild of a published version passes the version's data date).
    ``deadweight`` and ``attribution``: the head's cost–benefit adjustments; for a combined
    report, ``assumptions``: each programme's own (they replace the two)."""
    group = [programmes] if isinstance(programmes, Programme) else list(programmes)
    ids = [p.pk for p in group]
    k = disclosure.min_cell_size() if k is None else k
    built_on = built_on or timezone.localdate()
    before = period.previous()
    with translation.override(language):
        current = activity(ids, period)
        previous = activity(ids, before)
        tables, links = _activity_tables(current, previous)
        stats = _activity_stats(current, previous, protected=protected, k=k)

        questionnaires = []
        change_tables: list[Table] = []
        earlier_groups = fx.instrument_groups(ids, previous.accompanied, before.end)
        for index, instrument in enumerate(
            fx.instrument_groups(ids, current.accompanied, period.end)
        ):
            earlier = group_of(earlier_groups, *instrument.key)
            data, q_tables, q_links = _questionnaire(
                index, instrument, earlier, protected=protected, k=k
            )
            data["tables"] = [t.key for t in q_tables]
            questionnaires.append(data)
            change_tables.append(q_tables[0])
            tables += q_tables
            links += q_links
        grid_tables = _grid_tables(fx.effects_grid(ids, current.accompanied, period.end))
        tables += grid_tables
        health_group = fx.health(ids, current.accompanied, built_on, period.end)
        health_before = fx.health(ids, previous.accompanied, built_on, before.end)
        health_stats, health_tables = _health(health_group, health_before, protected=protected, k=k)
        tables += health_tables

        budget = sum((p.annual_budget_chf for p in group), Decimal("0"))
        # Each organisation's own values; a combined report values each programme with its
        # organisation's and shows the shipped ones in its table of proxies.
        proxies = costbenefit.proxies_of_organisations({p.organisation_id for p in group})
        cost_benefit = costbenefit.compute(
            health=health_group,
            proxies=(
                costbenefit.default_proxies()
                if assumptions
                else proxies[group[0].organisation_id]
                if group
                else {}
            ),
            deadweight=deadweight,
            attribution=attribution,
            budget=budget,
            years=period.years,
            k=k,
            protected=protected,
            parts=_parts(group, assumptions, current.accompanied, built_on, proxies),
        )
        if assumptions:
            by_pk = {p.pk: p for p in group}
            cost_benefit["assumptions"] = [
                a.as_json(
                    by_pk[a.programme_id].name, proxies[by_pk[a.programme_id].organisation_id]
                )
                for a in assumptions
                if a.programme_id in by_pk
            ]
        if protected:
            disclosure.protect(tables, links, k=k)
        by_key = {t.key: t.as_json(protected=protected) for t in tables}
        for data, change_table in zip(questionnaires, change_tables, strict=True):
            data["summary"] = _summary(data, by_key[data["tables"][0]], protected, k)
            del data["unprotected_summary"]
            data["stats"].insert(0, _share_improved(change_table, data["reliable"], protected))
        return {
            "schema": SCHEMA,
            "programmes": [{"id": p.pk, "name": p.name, "place": p.place} for p in group],
            "period": period.as_json(),
            "previous_period": before.as_json(),
            "language": language,
            "k": k,
            "protected": protected,
            "data_date": built_on.isoformat(),
            "code_version": code_version(),
            "empty": current.empty,
            "tables": by_key,
            "activity": {
                "tables": ["people", "exits", "referrals", "presence_rates", "media", "works"],
                "stats": stats,
            },
            "effects": {
                "questionnaires": questionnaires,
                "grid": [t.key for t in grid_tables],
            },
            "health": {
                "stats": health_stats,
                "tables": [t.key for t in health_tables],
                "caution": (
                    _small_caution(k)
                    if protected and 0 < health_group.cost_people < k
                    else health_group.costs.caution
                )
                if health_group.costs
                else "",
                "consent_note": _(
                    "Only people whose consent to the use of their health data was in force "
                    "on %(date)s are counted."
                )
                % {"date": built_on.strftime("%d.%m.%Y")},
            },
            "cost_benefit": cost_benefit,
            "raw": {
                "health_people": health_group.people,
                "cost_people": health_group.cost_people,
                "costs_before": health_group.costs.total_before if health_group.costs else 0.0,
                "costs_after": health_group.costs.total_after if health_group.costs else 0.0,
                "hospital_before": health_group.hospital_before,
                "hospital_after": health_group.hospital_after,
                "hospital_people": health_group.hospital_people,
                "emergency_before": health_group.emergency_before,
                "emergency_after": health_group.emergency_after,
                "emergency_people": health_group.emergency_people,
            }
            if not protected
            else {},
        }


def _small_caution(k: int) -> str:
    """The caution of a figure on fewer than K people, without saying how many (the
    evaluation app's caution names the number)."""
    return _(
        "Fewer than %(k)d people: too few to show figures without making them recognisable, "
        "and too few to say anything about a general effect."
    ) % {"k": k}


def _share_improved(table: Table, reliable: bool, protected: bool) -> dict[str, Any]:
    """The share of the people who answered twice who feel better, each period: from the
    protected table (:meth:`Table.share`), so hidden when the count or its total is."""

    def share(j: int) -> float | None:
        if not protected:
            total = sum(row[j] for row in table.cells)
            return table.cells[0][j] / total if total else None
        return table.share(0, j)

    def hidden(j: int) -> bool:
        return protected and (("cell", 0, j) in table.hidden or ("column_total", j) in table.hidden)

    value, previous = share(1), share(0)
    return {
        "key": "share_improved",
        "label": _("Share of them who feel better in a reliable way")
        if reliable
        else _("Share of them with a better score"),
        "value": None if value is None else round(value, 4),
        "n": table.shown(("column_total", 1)) if protected else table.value(("column_total", 1)),
        "hidden": hidden(1),
        "unit": "%",
        "previous": None if previous is None else round(previous, 4),
        "previous_hidden": hidden(0),
    }


def _summary(data: dict[str, Any], table: dict[str, Any], protected: bool, k: int) -> str:
    """The paired change of this period (the table's last column) in plain words, from the
    numbers as published."""
    now = len(table["column_labels"]) - 1
    cells = [row[now] for row in table["cells"]]
    n = table["column_totals"][now]
    if not protected or (n is not None and None not in cells):
        return str(data["unprotected_summary"])
    k_text = _("fewer than %(k)d") % {"k": k}

    def shown(value: int | None) -> str:
        return k_text if value is None else str(value)

    return _(
        "Of %(n)s people who answered twice: %(better)s feel better, %(same)s did not change, "
        "%(worse)s feel worse (small numbers are not shown, to protect the people)."
    ) % {
        "n": shown(n),
        "better": shown(cells[0]),
        "same": shown(cells[1]),
        "worse": shown(cells[2]),
    }
