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
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PROXY_FILE = Path(__file__).parent / "data" / "proxies_ch.json"
#: How far the low and high cases move the head's adjustments.
ADJUSTMENT_SPREAD = Decimal("0.1")


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
    from isa.reports.models import ProxyOverride

    proxies = dict(default_proxies())
    for row in ProxyOverride.objects.filter(organisation_id=organisation_id):
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
    return proxies


def _clamp(value: Decimal) -> float:
    return float(min(max(value, Decimal("0")), Decimal("1")))


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
) -> dict[str, Any]:
    """The cost–benefit section: outcomes, investment, the three ratios, what they cannot
    claim.  ``health`` is :class:`isa.evaluation.results.HealthGroup`."""
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
    costs = health.costs
    cost_saved = (costs.total_before - costs.total_after) if costs else 0.0
    days_avoided = health.hospital_before - health.hospital_after
    day = proxies["psychiatric_clinic_day"]
    share = proxies["cantonal_share_inpatient"]
    scale = years  # per-year figures over the period

    def value(case: str) -> dict[str, float]:
        if case == "low":
            dw, at = deadweight + ADJUSTMENT_SPREAD, attribution + ADJUSTMENT_SPREAD
            day_v, share_v = day.low, share.low
        elif case == "high":
            dw, at = deadweight - ADJUSTMENT_SPREAD, attribution - ADJUSTMENT_SPREAD
            day_v, share_v = day.high, share.high
        else:
            dw, at, day_v, share_v = deadweight, attribution, day.value, share.value
        keep = (1 - _clamp(dw)) * (1 - _clamp(at))
        costs_part = cost_saved * scale * keep
        days_part = days_avoided * day_v * share_v * scale * keep
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
