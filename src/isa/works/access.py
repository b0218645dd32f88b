"""Who reaches which work, image and exhibition: one place, 404 outside the scope."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user
from isa.core.models import TEAM_ROLES
from isa.works.models import Exhibition, Work, WorkImage


def get_work_for_user(
    request: HttpRequest, programme_id: int, work_id: int, *, roles: Iterable[str] = TEAM_ROLES
) -> Work:
    """The work if ``request.user`` is on its programme's team (404 otherwise); a member
    without one of ``roles`` gets 403."""
    programme = get_programme_for_user(request, programme_id, roles=roles)
    work = (
        Work.objects.visible_to(request.user)
        .filter(programme=programme, pk=work_id)
        .select_related("medium", "programme__organisation")
        .first()
    )
    if work is None:
        raise Http404
    return work


def get_image_for_user(
    request: HttpRequest,
    programme_id: int,
    image_id: int,
    *,
    roles: Iterable[str] = TEAM_ROLES,
    work_id: int | None = None,
) -> WorkImage:
    programme = get_programme_for_user(request, programme_id, roles=roles)
    images = WorkImage.objects.filter(
        work__in=Work.objects.visible_to(request.user).filter(programme=programme), pk=image_id
    )
    if work_id is not None:
        images = images.filter(work_id=work_id)
    image = images.select_related("work").first()
    if image is None:
        raise Http404
    return image


def get_exhibition_for_user(
    request: HttpRequest,
    programme_id: int,
    exhibition_id: int,
    *,
    roles: Iterable[str] = TEAM_ROLES,
) -> Exhibition:
    programme = get_programme_for_user(request, programme_id, roles=roles)
    exhibition = (
        Exhibition.objects.visible_to(request.user)
        .filter(programme=programme, pk=exhibition_id)
        .select_related("programme__organisation")
        .first()
    )
    if exhibition is None:
        raise Http404
    return exhibition
