"""Rollback scenarios for the audited services of the reports: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from isa.reports import services as reports
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast


def _report_draft(cast: Cast) -> Any:
    return reports.report_draft_save(
        actor=cast.actor("head"),
        programme=cast.programme,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        language="fr",
        deadweight_reason="Une partie serait arrivée de toute façon.",
        attribution_reason="Le CMS aide aussi.",
    )


@scenario("isa.reports.services.report_draft_save")
def _report_draft_save(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: _report_draft(cast)


@scenario("isa.reports.services.report_publish")
def _report_publish(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    draft = _report_draft(cast)
    return lambda: reports.report_publish(actor=cast.actor("head"), version=fresh(draft))


@scenario("isa.reports.services.report_correct")
def _report_correct(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    published = reports.report_publish(actor=cast.actor("head"), version=_report_draft(cast))
    return lambda: reports.report_correct(
        actor=cast.actor("head"), version=fresh(published), reason="Un séjour saisi en retard."
    )


@scenario("isa.reports.services.proxy_set")
def _proxy_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: reports.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
        programme=cast.programme,
    )


@scenario("isa.reports.services.proxy_override_delete")
def _proxy_override_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    row = reports.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
    )
    return lambda: reports.proxy_override_delete(
        actor=cast.actor("head"), override=row, programme=cast.programme
    )
