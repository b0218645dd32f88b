"""The public gallery of a programme, for a city website or a gallery's screen: no token,
only the works whose creators all consent to online publication at the moment of the call,
with their credit and nothing else about the people (the gallery page's own reading)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from isa.api.auth import public_rate_limit
from isa.api.schemas import Gallery, Problem
from isa.works.access import get_open_gallery
from isa.works.gallery import public_entries

router = Router(tags=["gallery"])


@router.get(
    "/programmes/{id:programme_id}/gallery",
    response={200: Gallery, 404: Problem, 429: Problem},
    auth=None,
    url_name="gallery",
    summary="The public gallery (no token)",
)
def gallery(request: HttpRequest, response: HttpResponse, programme_id: int) -> Any:
    """404 while the programme's gallery is closed.  Images are the gallery's own
    addresses (display size and thumbnail, never the original)."""
    public_rate_limit(request)
    # As the gallery page: a cache may keep it but asks again each time (a withdrawn
    # consent shows at the next request), no search engine lists it.
    response["Cache-Control"] = "public, no-cache"
    response["X-Robots-Tag"] = "noindex, noimageindex, nofollow"
    settings = get_open_gallery(programme_id)
    programme = settings.programme

    def image(key: Any, size: str) -> str:
        return request.build_absolute_uri(reverse("gallery_image", args=[programme.pk, key, size]))

    works = [
        {
            **{k: v for k, v in entry.items() if k != "images"},
            "images": [
                {
                    "thumbnail": image(key, "thumb"),
                    "display": image(key, "display"),
                    "alt_text": alt,
                }
                for key, alt in entry["images"]
            ],
        }
        for entry in public_entries(programme)
    ]
    return {"programme": programme.name, "introduction": settings.introduction, "works": works}
