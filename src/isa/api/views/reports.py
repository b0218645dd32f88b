"""Published report figures, for the funders (and the team): the published versions of a
programme's report and one version's protected figures, as frozen at publication.

Thin over the reports app: its access helpers (404 outside the programme, 403 for roles that
do not read reports, 404 for a draft), its read of the frozen figures
(:func:`isa.reports.published.figures_for`) and the page's audit of a reading.  Only published
versions are served, to every reader: a draft has no protected figures yet (the head previews
it on the page).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from isa.api.schemas import ERRORS, ReportFiguresOut, ReportVersionOut
from isa.core.models import AuditAction
from isa.core.services import audit_record
from isa.reports.access import (
    get_published_version_for_user,
    get_reports_programme_for_user,
    versions_for_user,
)
from isa.reports.models import ReportVersion
from isa.reports.published import figures_for

router = Router(tags=["reports"])


def _version(version: ReportVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "period_start": version.period_start,
        "period_end": version.period_end,
        "language": version.language,
        "number": version.number,
        "published_at": version.published_at,
        "correction_reason": version.correction_reason,
        "corrects_id": version.corrects_id,
    }


@router.get(
    "/programmes/{id:programme_id}/reports",
    response={200: list[ReportVersionOut], **ERRORS},
    url_name="report_list",
    summary="The published versions of the programme's report",
)
def report_list(request: HttpRequest, programme_id: int) -> Any:
    """Newest period first; a correction is a version of its own, with its reason."""
    programme = get_reports_programme_for_user(request, programme_id)
    return [_version(v) for v in versions_for_user(request, programme) if v.is_published]


@router.get(
    "/programmes/{id:programme_id}/reports/{id:version_id}",
    response={200: ReportFiguresOut, **ERRORS},
    url_name="report_figures",
    summary="A published version with its protected figures",
)
def report_figures(request: HttpRequest, programme_id: int, version_id: int) -> Any:
    """The figures as published (small counts protected), the same the report page shows to
    funders.  A draft is a 404, for the head too.  The reading is recorded, as on the page."""
    version = get_published_version_for_user(request, programme_id, version_id)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        obj=version,
        detail={"internal": False},
    )
    return {**_version(version), "figures": figures_for(version)}
