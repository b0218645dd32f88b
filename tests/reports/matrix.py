"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py).

Published versions: the team and the funders of the programme; the rest (drafts, the
internal preview, publishing, correcting, proxies): the head.  Another organisation 404.
The cross-programme report: funders of a programme with a published year; others 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from isa.reports import services
from isa.reports.models import ReportVersion
from tests.conftest import Cast
from tests.matrix import TEAM, Case, expect, only, programme

READERS = TEAM | {"funder"}
YEAR = 2024


def published(c: Cast) -> ReportVersion:
    draft = services.report_draft_save(
        actor=c.actor("head"),
        programme=c.programme,
        start=date(YEAR, 1, 1),
        end=date(YEAR, 12, 31),
        language="fr",
        deadweight_reason="Une partie serait arrivée sans l'atelier.",
        attribution_reason="Le CMS aide aussi.",
    )
    return services.report_publish(actor=c.actor("head"), version=draft)


def version(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "version_id": published(c).pk}


def download(c: Cast) -> dict[str, Any]:
    return {**version(c), "fmt": "pdf"}


def table(c: Cast) -> dict[str, Any]:
    return {**version(c), "table": "exits"}


def own_proxy(c: Cast) -> dict[str, Any]:
    services.proxy_set(
        actor=c.actor("head"),
        organisation=c.programme.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
    )
    return {"programme_id": c.programme.pk, "code": "police_hour"}


def year(c: Cast) -> dict[str, Any]:
    published(c)
    return {"year": YEAR}


MATRIX: dict[str, Case] = {
    "report_list": Case(programme, expect=only(READERS)),
    "report_draft": Case(programme, expect=only({"head"})),
    "report_proxies": Case(programme, expect=only({"head"})),
    "report_proxy_remove": Case(own_proxy, method="post", expect=only({"head"}, ok=302)),
    "report_version": Case(version, expect=only(READERS)),
    "report_publish": Case(version, method="post", expect=only({"head"}, ok=302)),
    "report_correct": Case(
        version,
        method="post",
        data=lambda c: {"reason": "Un séjour saisi en retard."},
        expect=only({"head"}, ok=302),
    ),
    "report_download": Case(download, expect=only(READERS)),
    "report_table_csv": Case(table, expect=only(READERS)),
    "funded_reports": Case(expect=expect(200)),
    "funded_combined": Case(year, expect=expect(404, funder=200)),
    "funded_combined_download": Case(
        lambda c: {**year(c), "fmt": "xlsx"}, expect=expect(404, funder=200)
    ),
}
