"""Who reaches which journal entry: one place, 404 outside the scope."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user
from isa.core.models import TEAM_ROLES
from isa.journal.models import Entry


def get_entry_for_user(request: HttpRequest, programme_id: int, entry_id: int) -> Entry:
    """An entry ``request.user`` may read (its visibility allows them) in a programme where
    they are on the team; 403 for other members, 404 elsewhere."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    entry = (
        Entry.objects.visible_to(request.user)
        .filter(programme=programme, pk=entry_id)
        .select_related("author", "programme")
        .first()
    )
    if entry is None:
        raise Http404
    return entry
