"""A small stable surface for other apps (the API): the protected figures of a published
version, and their rebuild from the version's stored parameters."""

from __future__ import annotations

import copy
from typing import Any

from isa.reports.figures import Period, report_build
from isa.reports.models import ReportVersion


def figures_for(version: ReportVersion) -> dict[str, Any]:
    """The protected figures of a published version, JSON-serialisable, as published."""
    if not version.is_published:
        raise ValueError("only a published version has figures to hand out")
    return copy.deepcopy(version.figures)


def rebuild(version: ReportVersion) -> dict[str, Any]:
    """The protected figures of ``version`` computed again from the data, with its stored
    parameters (programme, period, language, data date, adjustments): the same as
    :func:`figures_for` while the data has not changed (texts aside)."""
    figures = report_build(
        version.programme,
        Period(version.period_start, version.period_end),
        version.language,
        protected=True,
        built_on=version.data_date,
        deadweight=version.deadweight,
        attribution=version.attribution,
    )
    figures["texts"] = copy.deepcopy(version.figures.get("texts", {}))
    return figures
