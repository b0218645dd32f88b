"""Cost–benefit, SROI-style and honest (OUTWARD.md, "Cost–benefit"; docs/cost-benefit.md).

``value = quantity × proxy × (1 − deadweight) × (1 − attribution)`` for each outcome
valued, over the report's period; ``ratio = value / investment`` (the programme's budget
for the period).  Low / central / high: every adjustment and proxy at its unfavourable,
central and favourable value.  Outcomes valued:

- the change in health costs (the insurers' statements, in francs: no proxy needed);
- psychiatric hospital days avoided, at the day cost of a clinic times the canton's share
  (the insurers' statements hold only the insurer's share of an inpatient stay).

Emergency visits are in the insurers' statements already: they are shown, not valued
again.  Nothing is valued on fewer than K people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isa.core.documents.formats import chf, swiss_number

PROXY_FILE = Path(__file__).parent / "data" / "proxies_ch.json"
#: How far the low and high cases move the head's adjustments.
ADJUSTMENT_SPREAD = Decimal("0.1")
#: Deadweight and attribution when the head set none (a combined report, for a programme
#: without a published report of the period).
DEFAULT_ADJUSTMENT = Decimal("0.3")


@dataclass(frozen=True)
class Proxy:
    code: str
    value: float
    low: float
    high: float
    unit: str
    year: int
    source: str
    estimate: bool = False
    overridden: bool = False


@dataclass(frozen=True)
class ProxyWords:
    """A proxy in the reader's words: what it prices, per what, and where the shipped
    figure comes from.  The JSON file keeps the values, years and the code (the stable
    key); the words are here, translated."""

    label: Promise
    per: Promise  # "per day": after an amount in francs (for a share: of what)
    source: Promise
    share: bool = False  # a share (0.55 = 55 %), not an amount


PROXY_WORDS: dict[str, ProxyWords] = {
    "psychiatric_clinic_day": ProxyWords(
        gettext_lazy("A day in a psychiatric clinic"),
        gettext_lazy("per day"),
        gettext_lazy(
            "Federal Statistical Office, hospital statistics: cost per day in psychiatric "
            "clinics; the TARPSY day rates are of the same order."
        ),
    ),
    "cantonal_share_inpatient": ProxyWords(
        gettext_lazy("The canton's share of a hospital stay"),
        gettext_lazy("share of the cost of the stay"),
        gettext_lazy(
            "Health insurance act (LAMal), art. 49a para. 2: the canton of residence pays at "
            "least 55 percent of inpatient hospital costs, the part missing from the insurers' "
            "statements."
        ),
        share=True,
    ),
    "psychiatric_case": ProxyWords(
        gettext_lazy("A stay in a psychiatric clinic"),
        gettext_lazy("per stay"),
        gettext_lazy(
            "Federal Statistical Office, hospital statistics: average cost of a stay in a "
            "psychiatric clinic."
        ),
    ),
    "lamal_adult_valais": ProxyWords(
        gettext_lazy("Health costs of an insured adult in Valais"),
        gettext_lazy("per insured adult and year"),
        gettext_lazy(
            "Federal Office of Public Health, statistics of compulsory health insurance: "
            "gross costs per insured adult aged 26 and over, Valais (Switzerland: "
            "CHF 5'237)."
        ),
    ),
    "social_aid_net_per_recipient": ProxyWords(
        gettext_lazy("Social aid for one person"),
        gettext_lazy("per person helped and year"),
        gettext_lazy(
            "Federal Statistical Office, social aid statistics: net social aid per person "
            "helped, Switzerland."
        ),
    ),
    "police_hour": ProxyWords(
        gettext_lazy("An hour of police work"),
        gettext_lazy("per officer-hour"),
        gettext_lazy("Canton of Valais: police time billed to the communes per officer-hour."),
    ),
    "emergency_visit": ProxyWords(
        gettext_lazy("A visit to a hospital emergency department"),
        gettext_lazy("per visit"),
        gettext_lazy(
            "Estimate by the ISA project: the order of magnitude of an outpatient emergency "
            "visit (TARMED). Not an official figure: replace it with your own."
        ),
    ),
}


def proxy_label(code: str) -> str:
    """The proxy's name in the current language (the code, spaced, for a proxy the code no
    longer knows, e.g. in an old published report)."""
    words = PROXY_WORDS.get(code)
    return str(words.label) if words else code.replace("_", " ")


def proxy_choices() -> list[tuple[str, str]]:
    """The shipped proxies for a form's list, in words, in the order of the file."""
    return [(code, proxy_label(code)) for code in default_proxies()]


@dataclass(frozen=True)
class ProxyLine:
    """One proxy as a reader sees it (page, PDF, workbook, CSV)."""

    code: str
    label: str
    amount: str  # "CHF 710.00" or "55 %"
    value: float  # the number, for a spreadsheet cell
    unit: str  # "CHF per day", "share of the cost of the stay"
    per: str  # "per day"
    year: int
    source: str
    estimate: bool
    overridden: bool


def proxy_line(proxy: Proxy | dict[str, Any]) -> ProxyLine:
    """A proxy (or the dict of one, as frozen in a published report) in the current
    language.  The organisation's own value keeps its own source, in its own words."""
    data = proxy if isinstance(proxy, dict) else proxy.__dict__
    code = str(data["code"])
    words = PROXY_WORDS.get(code)
    value = float(data["value"])
    overridden = bool(data.get("overridden", False))
    if words is None:
        per, share = str(data.get("unit", "")), False
        source = str(data.get("source", ""))
    else:
        per, share = str(words.per), words.share
        source = str(data.get("source", "")) if overridden else str(words.source)
    if share:
        amount = f"{swiss_number(100 * value)}\u00a0%"
        unit = per
    else:
        amount = chf(value)
        unit = f"CHF {per}" if words else per
    return ProxyLine(
        code=code,
        label=proxy_label(code),
        amount=amount,
        value=value,
        unit=unit,
        per=per,
        year=int(data["year"]),
        source=source,
        estimate=bool(data.get("estimate", False)),
        overridden=overridden,
    )


def proxy_lines(figures: dict[str, Any]) -> list[ProxyLine]:
    """The proxies a report used, in the current language."""
    cb = figures.get("cost_benefit") or {}
    return [proxy_line(p) for p in cb.get("proxies", [])]


def check_proxy(entry: dict[str, Any]) -> None:
    """Refuse a proxy without a source, or with a negative value, saying why."""
    code = entry.get("code") or "?"
    if not str(entry.get("source") or "").strip():
        raise ValidationError(
            _("The proxy %(code)s has a value but no source: name where the figure comes from.")
            % {"code": code},
            code="proxy_source",
        )
    for key in ("value", "low", "high"):
        value = entry.get(key)
        if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
            raise ValidationError(
                _("The proxy %(code)s needs a number as its %(key)s.") % {"code": code, "key": key},
                code="proxy_number",
            )
        if value < 0:
            raise ValidationError(
                _("The proxy %(code)s has a negative cost: a cost cannot be below zero.")
                % {"code": code},
                code="proxy_negative",
            )
    if not isinstance(entry.get("year"), int):
        raise ValidationError(
            _("The proxy %(code)s needs the year of its figure.") % {"code": code},
            code="proxy_year",
        )


def parse_proxies(text: str) -> dict[str, Proxy]:
    """The proxies of a file, each checked (:func:`check_proxy`)."""
    data = json.loads(text)
    proxies = {}
    for entry in data["proxies"]:
        check_proxy(entry)
        proxies[entry["code"]] = Proxy(
            code=entry["code"],
            value=float(entry["value"]),
            low=float(entry["low"]),
            high=float(entry["high"]),
            unit=str(entry.get("unit", "")),
            year=int(entry["year"]),
            source=str(entry["source"]),
            estimate=bool(entry.get("estimate", False)),
        )
    return proxies


@cache
def default_proxies() -> dict[str, Proxy]:
    return parse_proxies(PROXY_FILE.read_text(encoding="utf-8"))


def proxies_for(organisation_id: int) -> dict[str, Proxy]:
    """The shipped proxies with the organisation's own values in their place."""
    return proxies_of_organisations([organisation_id])[organisation_id]


def proxies_of_organisations(organisation_ids: Iterable[int]) -> dict[int, dict[str, Proxy]]:
    """:func:`proxies_for` of several organisations, read in one query (a combined report)."""
    from isa.reports.models import ProxyOverride

    result = {pk: dict(default_proxies()) for pk in organisation_ids}
    for row in ProxyOverride.objects.filter(organisation_id__in=list(result)):
        proxies = result[row.organisation_id]
        base = proxies.get(row.code)
        value = float(row.value)
        proxies[row.code] = Proxy(
            code=row.code,
            value=value,
            low=value,
            high=value,
            unit=base.unit if base else "",
            year=row.year,
            source=row.source,
            overridden=True,
        )
    return result


#: The two proxies that value the hospital days avoided (the others are shown, not used).
CLINIC_DAY = "psychiatric_clinic_day"
CANTON_SHARE = "cantonal_share_inpatient"


@dataclass(frozen=True)
class Assumption:
    """A programme's deadweight and attribution in a combined report: those of its published
    report for the same period, or the default when it has none."""

    programme_id: int
    deadweight: Decimal
    attribution: Decimal
    published_on: date | None = None  # None: the default

    def as_json(self, name: str, proxies: dict[str, Proxy] | None = None) -> dict[str, Any]:
        """With ``proxies`` (its organisation's), the two values that valued its days."""
        data: dict[str, Any] = {
            "programme": name,
            "deadweight": float(self.deadweight),
            "attribution": float(self.attribution),
            "published_on": self.published_on.isoformat() if self.published_on else None,
        }
        if proxies is not None:
            data["clinic_day"] = proxies[CLINIC_DAY].value
            data["canton_share"] = proxies[CANTON_SHARE].value
            data["own_values"] = proxies[CLINIC_DAY].overridden or proxies[CANTON_SHARE].overridden
        return data


def _clamp(value: Decimal) -> float:
    return float(min(max(value, Decimal("0")), Decimal("1")))


def _avoided(health: Any) -> tuple[float, float]:
    """Health costs saved (CHF per year) and hospital days avoided (per year) of a group."""
    if health is None or not health.people:
        return 0.0, 0.0
    costs = health.costs
    cost_saved = (costs.total_before - costs.total_after) if costs else 0.0
    return cost_saved, health.hospital_before - health.hospital_after


def compute(
    *,
    health: Any,
    proxies: dict[str, Proxy],
    deadweight: Decimal,
    attribution: Decimal,
    budget: Decimal,
    years: float,
    k: int,
    protected: bool,
    parts: Sequence[tuple[Any, Decimal, Decimal, dict[str, Proxy]]] = (),
) -> dict[str, Any]:
    """The cost–benefit section: outcomes, investment, the three ratios, what they cannot
    claim.  ``health`` is :class:`isa.evaluation.results.HealthGroup`.  ``parts``, for a
    combined report: each programme's health group with its own deadweight and attribution
    and its organisation's proxies, valued apart and added up (``deadweight``,
    ``attribution`` and the valuing proxies of ``proxies`` are then unused)."""
    limits = _(
        "These figures cannot claim a causal effect: the group is small, there is no "
        "comparison group, people chose to come (self-selection), health costs vary a lot "
        "from one year to the next, and some costs may have moved elsewhere rather than been "
        "avoided. They are an order of magnitude, to be read with the deadweight and "
        "attribution the team set, and their reasons."
    )
    investment = float(budget) * years
    people = health.people if health is not None else 0
    section: dict[str, Any] = {
        "investment": round(investment, 2),
        "deadweight": float(deadweight),
        "attribution": float(attribution),
        "limits": limits,
        "proxies": [
            {
                "code": p.code,
                "value": p.value,
                "low": p.low,
                "high": p.high,
                "unit": p.unit,
                "year": p.year,
                "source": p.source,
                "estimate": p.estimate,
                "overridden": p.overridden,
            }
            for p in proxies.values()
        ],
        "outcomes": [],
        "ratio": None,
        "people": people,
        "hidden": False,
    }
    if protected and 0 < people < k:
        section["hidden"] = True
        section["people"] = None
        return section
    if not people:
        return section
    cost_saved, days_avoided = _avoided(health)
    scale = years  # per-year figures over the period
    groups = list(parts) or [(health, deadweight, attribution, proxies)]

    def value(case: str) -> dict[str, float]:
        costs_part = days_part = 0.0
        for group, group_dw, group_at, group_proxies in groups:
            day = group_proxies[CLINIC_DAY]
            share = group_proxies[CANTON_SHARE]
            if case == "low":
                dw, at = group_dw + ADJUSTMENT_SPREAD, group_at + ADJUSTMENT_SPREAD
                day_v, share_v = day.low, share.low
            elif case == "high":
                dw, at = group_dw - ADJUSTMENT_SPREAD, group_at - ADJUSTMENT_SPREAD
                day_v, share_v = day.high, share.high
            else:
                dw, at, day_v, share_v = group_dw, group_at, day.value, share.value
            keep = (1 - _clamp(dw)) * (1 - _clamp(at))
            saved, days = _avoided(group)
            costs_part += saved * scale * keep
            days_part += days * day_v * share_v * scale * keep
        return {"costs": costs_part, "hospital": days_part, "total": costs_part + days_part}

    cases = {case: value(case) for case in ("low", "central", "high")}
    section["outcomes"] = [
        {
            "key": "health_costs",
            "label": _("Health costs avoided (insurers' statements)"),
            "quantity": round(cost_saved, 2),
            "unit": _("CHF per year"),
            "value": round(cases["central"]["costs"], 2),
        },
        {
            "key": "hospital_days",
            "label": _("Psychiatric hospital days avoided (canton's share)"),
            "quantity": round(days_avoided, 1),
            "unit": _("days per year"),
            "value": round(cases["central"]["hospital"], 2),
        },
    ]
    section["value"] = {case: round(v["total"], 2) for case, v in cases.items()}
    if investment > 0:
        section["ratio"] = {case: round(v["total"] / investment, 2) for case, v in cases.items()}
    return section
