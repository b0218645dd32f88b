"""Who reaches which work, image and exhibition: one place, 404 outside the scope.  The
public gallery's helpers answer for anyone, and only for what the gallery shows now."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO
from uuid import UUID

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user, pk_or_404
from isa.core.models import TEAM_ROLES
from isa.works import services
from isa.works.models import Exhibition, GallerySettings, PressMention, Work, WorkImage


def get_work_for_user(
    request: HttpRequest,
    programme_id: int,
    work_id: object,
    *,
    roles: Iterable[str] = TEAM_ROLES,
) -> Work:
    """The work if ``request.user`` is on its programme's team (404 otherwise); a member
    without one of ``roles`` gets 403.  The id may come from a form."""
    programme = get_programme_for_user(request, programme_id, roles=roles)
    work = (
        Work.objects.visible_to(request.user)
        .filter(programme=programme, pk=pk_or_404(work_id))
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


def get_press_mention(exhibition: Exhibition, mention_id: object) -> PressMention:
    """A press mention of ``exhibition`` (already reached through
    :func:`get_exhibition_for_user`), else 404."""
    mention = exhibition.press.filter(pk=pk_or_404(mention_id)).first()
    if mention is None:
        raise Http404
    return mention


def get_open_gallery(programme_id: int) -> GallerySettings:
    """The settings of a programme's public gallery if it is open, else 404 (also when the
    programme does not exist)."""
    settings = services.gallery_settings_for(programme_id)
    if settings is None or not settings.enabled:
        raise Http404
    return settings


def get_public_image(programme_id: int, key: UUID) -> WorkImage:
    """An image of a work the open gallery shows now (consent checked again), else 404."""
    programme = get_open_gallery(programme_id).programme
    image = (
        WorkImage.objects.filter(key=key, work__in=Work.objects.publicly_shown(programme))
        .select_related("work")
        .first()
    )
    if image is None:
        raise Http404
    return image


def open_rendition(field: FieldFile) -> IO[bytes]:
    """The stored file of one rendition of an image reached through a helper above; 404
    when it is missing from the storage."""
    if not field.name:
        raise Http404
    try:
        return default_storage.open(field.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
