"""Who reaches which report (SECURITY.md: funders see aggregated, protected figures only).

- the head prepares, previews (the internal figures, for the team only), publishes and
  corrects;
- the team reads the published versions of its programme;
- a funder reads the published versions of the programmes where it holds the funder role,
  and the cross-programme report of those programmes; an unpublished version is a 404;
- other roles of the programme get 403; anyone outside it, 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user, require_head
from isa.core.models import TEAM_ROLES, AnyUser, Programme, Role
from isa.reports.models import ProxyOverride, ReportStatus, ReportVersion

#: Who reads the published versions of a programme.
READER_ROLES = frozenset({*TEAM_ROLES, Role.FUNDER})
#: Who prepares, previews, publishes and corrects.
EDITOR_ROLES = frozenset({Role.HEAD})


def get_reports_programme_for_user(request: HttpRequest, programme_id: int) -> Programme:
    """The programme whose reports the user may read (404 outside, 403 for other roles)."""
    return get_programme_for_user(request, programme_id, roles=READER_ROLES)


def get_reports_programme_for_head(request: HttpRequest, programme_id: int) -> Programme:
    return require_head(request, programme_id)


def get_proxy_override_for_head(
    request: HttpRequest, programme_id: int, code: str
) -> tuple[Programme, ProxyOverride]:
    """The organisation's own value of a proxy, for the head of one of its programmes (403
    for other roles, 404 outside, and 404 when the organisation has no value for ``code``)."""
    programme = require_head(request, programme_id)
    override = ProxyOverride.objects.filter(
        organisation_id=programme.organisation_id, code=code
    ).first()
    if override is None:
        raise Http404
    return programme, override


def can_edit(user: AnyUser, programme: Programme | int) -> bool:
    return bool(user.is_authenticated and user.has_role(programme, EDITOR_ROLES))


def versions_for_user(request: HttpRequest, programme: Programme) -> list[ReportVersion]:
    """The versions the user may see: every one for the head, the published ones for the
    other readers."""
    versions = ReportVersion.objects.filter(programme=programme).select_related("published_by")
    if not can_edit(request.user, programme):
        versions = versions.published()
    return list(versions)


def get_report_version_for_user(
    request: HttpRequest, programme_id: int, version_id: int
) -> ReportVersion:
    """A version of the programme's report: a draft only for the head; a published one for
    every reader.  404 for a draft asked by someone else, or another programme's version."""
    programme = get_reports_programme_for_user(request, programme_id)
    version = (
        ReportVersion.objects.filter(programme=programme, pk=version_id)
        .select_related("programme", "programme__organisation", "corrects")
        .first()
    )
    if version is None:
        raise Http404
    if version.status != ReportStatus.PUBLISHED and not can_edit(request.user, programme):
        raise Http404
    return version


def get_published_version_for_user(
    request: HttpRequest, programme_id: int, version_id: int
) -> ReportVersion:
    """A published version, for every reader (the API's published figures): a draft is a
    404 here for the head too, as it has no protected figures yet."""
    version = get_report_version_for_user(request, programme_id, version_id)
    if not version.is_published:
        raise Http404
    return version


def get_draft_for_head(request: HttpRequest, programme_id: int, version_id: int) -> ReportVersion:
    """A version the head acts on (publish, correct): 403 for other readers."""
    version = get_report_version_for_user(request, programme_id, version_id)
    if not can_edit(request.user, version.programme_id):
        raise PermissionDenied
    return version


def funded_programmes(user: AnyUser) -> list[Programme]:
    """The programmes where ``user`` holds the funder role."""
    return list(Programme.objects.visible_to(user, roles={Role.FUNDER}).order_by("name"))


def get_funded_programmes_for_user(request: HttpRequest, year: int) -> list[Programme]:
    """The funded programmes with a published report for the calendar ``year``; 404 when
    there is none (the user funds nothing, or nothing was published)."""
    if not 1900 <= year <= 2999:
        raise Http404
    programmes = funded_programmes(request.user)
    published = set(
        ReportVersion.objects.published()
        .filter(
            programme__in=programmes,
            period_start__year=year,
            period_start__month=1,
            period_start__day=1,
            period_end__year=year,
            period_end__month=12,
            period_end__day=31,
        )
        .values_list("programme_id", flat=True)
    )
    chosen = [p for p in programmes if p.pk in published]
    if not chosen:
        raise Http404
    return chosen
