"""What the public gallery of a programme shows, read once for its page and for the API.

Only works whose every creator consents to online publication *now*
(``Work.objects.publicly_shown``), each with its credit line and nothing else about the
people: no ids of people, no dates of birth, no names beyond the credit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from isa.core.models import Programme
from isa.works import services
from isa.works.models import Work, WorkImage

#: At most this many works, the newest.
GALLERY_LIMIT = 200


def public_entries(programme: Programme) -> list[dict[str, Any]]:
    """The works the gallery of ``programme`` shows now, newest first, in a constant number
    of queries."""
    works = list(
        Work.objects.publicly_shown(programme)
        .select_related("medium")
        .prefetch_related(
            "creators", Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk"))
        )
        .order_by("-made_on", "-pk")[:GALLERY_LIMIT]
    )
    credits = services.credits_for(p for w in works for p in w.creators.all())
    return [
        {
            "title": w.title,
            "credit": services.credit_line(w, credits),
            "medium": w.medium.label,
            "technique": w.technique,
            "dimensions": w.dimensions,
            "year": w.made_on.year,
            "description": w.description,
            "text": w.text,
            "images": [(i.key, i.alt_text) for i in w.images.all()],
        }
        for w in works
    ]
