"""A small stable surface for other apps (the API): the protected figures of a published
version, and their rebuild from the version's stored parameters."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from isa.core.models import Programme
from isa.reports.costbenefit import DEFAULT_ADJUSTMENT, Assumption
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


def assumptions_for(programmes: Sequence[Programme], period: Period) -> list[Assumption]:
    """For a combined report, each programme's deadweight and attribution: those of its
    latest published version for exactly ``period`` (a correction included, any language),
    or the default when none is published."""
    latest: dict[int, ReportVersion] = {}
    versions = (
        ReportVersion.objects.published()
        .filter(
            programme__in=list(programmes),
            period_start=period.start,
            period_end=period.end,
        )
        .order_by("published_at", "pk")
    )
    for version in versions:
        latest[version.programme_id] = version  # the last published wins
    result = []
    for programme in programmes:
        version = latest.get(programme.pk)
        if version is None:
            result.append(Assumption(programme.pk, DEFAULT_ADJUSTMENT, DEFAULT_ADJUSTMENT))
        else:
            published_at = version.published_at or version.created_at
            result.append(
                Assumption(
                    programme.pk,
                    version.deadweight,
                    version.attribution,
                    timezone.localdate(published_at),
                )
            )
    return result
