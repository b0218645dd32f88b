"""The public gallery of a programme, its images, its settings, and the programme panel.

The gallery is off by default.  When open, it shows only works whose every creator has given
the ONLINE consent, checked at each request, with each creator's chosen credit and nothing
else about the person: no ids of people, no dates of birth, no names beyond the credit.
Its pages may be stored by a cache but are asked again at every visit (``Cache-Control:
public, no-cache``): a withdrawal of consent takes the work off the gallery at the next
request, everywhere.  Its images are cached for 5 minutes at most (``public,
max-age=300``): no page links to a withdrawn work's image any more, and the image itself
answers 404 at once on the server.  The pages set no cookie and need no session.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from isa.core.access import get_programme_for_user, known_or_404
from isa.core.models import TEAM_ROLES, Role
from isa.works import services
from isa.works.access import get_open_gallery, get_public_image
from isa.works.forms import GalleryForm
from isa.works.gallery import public_entries
from isa.works.models import GALLERY_ROLES, WORK_EDITOR_ROLES, Exhibition, Work
from isa.works.views.works import image_response

#: Pages: any cache may store them, none may show them without asking again.
PUBLIC_CACHE = "public, no-cache"
#: Images: heavy, and no longer linked once a consent is withdrawn.
PUBLIC_IMAGE_CACHE = "public, max-age=300"


def _public(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    # A signed-in visitor's response carries their session cookie: never let a shared cache
    # keep it, and ask again each time (a participant who just withdrew their consent in
    # their space sees their work gone at once).  Anonymous visitors get pages any cache
    # may keep but must ask again for, and images it may keep five minutes.
    authenticated = getattr(request, "user", None) is not None and request.user.is_authenticated
    image = response.get("Content-Type", "").startswith("image/")
    public = PUBLIC_IMAGE_CACHE if image else PUBLIC_CACHE
    response["Cache-Control"] = "private, no-cache" if authenticated else public
    response["X-Content-Type-Options"] = "nosniff"
    # Shown to whoever has the address, not offered to search engines: a credited name
    # should not become a search result about the person.
    response["X-Robots-Tag"] = "noindex, noimageindex, nofollow"
    return response


@require_GET
def gallery(request: HttpRequest, programme_id: int) -> HttpResponse:
    settings = get_open_gallery(programme_id)
    programme = settings.programme
    entries = public_entries(programme)
    response = render(
        request,
        "works/gallery.html",
        {
            "programme_id": programme.pk,
            "programme_name": programme.name,
            "settings": settings,
            "entries": entries,
        },
    )
    return _public(response, request)


@require_GET
def gallery_image(request: HttpRequest, programme_id: int, key: Any, size: str) -> HttpResponse:
    """A display-size or thumbnail rendition, never the original, of a work the gallery shows
    now: consent and the gallery's opening are checked again for every image."""
    known_or_404(size, ("thumb", "display"))
    image = get_public_image(programme_id, key)
    return _public(image_response(image, size, public=True), request)


@login_required
@require_http_methods(["GET", "POST"])
def gallery_settings(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=GALLERY_ROLES)
    current = services.gallery_settings_for(programme)
    form = GalleryForm(
        request.POST or None,
        initial={
            "enabled": current.enabled if current else False,
            "introduction": current.introduction if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        services.gallery_settings_set(
            programme=programme,
            enabled=form.cleaned_data["enabled"],
            introduction=form.cleaned_data["introduction"],
            actor=request.actor,
        )
        messages.success(request, _("The gallery settings were saved."))
        return redirect("gallery_settings", programme.pk)
    shown = Work.objects.publicly_shown(programme).count()
    total = Work.objects.visible_to(request.user).in_programme(programme).count()
    return render(
        request,
        "works/gallery_settings.html",
        {
            "programme": programme,
            "form": form,
            "gallery": current,
            "shown": shown,
            "total": total,
        },
        status=400 if request.method == "POST" else 200,
    )


def programme_panel(request: HttpRequest, programme: Any) -> tuple[str, dict[str, Any]] | None:
    """On the programme page: the works, the exhibitions, and the gallery's state."""
    roles = request.user.roles_on(programme)
    if not roles & TEAM_ROLES:
        return None
    counts = Work.objects.visible_to(request.user).in_programme(programme).aggregate(n=Count("pk"))
    settings = services.gallery_settings_for(programme)
    return "works/_programme_panel.html", {
        "programme": programme,
        "works": counts["n"],
        "exhibitions": Exhibition.objects.visible_to(request.user)
        .filter(programme=programme)
        .count(),
        "gallery": settings,
        "is_head": Role.HEAD in roles,
        "can_edit": bool(roles & WORK_EDITOR_ROLES),
    }
